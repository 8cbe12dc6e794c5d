"""The initiative record and what hangs off it directly."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from governance.choices import Language

from ..choices import (
    InitiativeKind,
    InitiativeStatus,
    ModerationState,
    ParticipationRole,
    UpdateKind,
    UpdateState,
)
from ..markup import BODY_MAX_LENGTH, UPDATE_TEXT_MAX_LENGTH
from ..querysets import InitiativeQuerySet


class Initiative(models.Model):
    """A cyberspace cooperation initiative, filed under one key task.

    Writes go through initiatives.services; `version` is bumped by every change so that
    concurrent editors are detected (optimistic concurrency).
    """

    slug = models.SlugField(_("slug"), max_length=120, editable=False)
    # The record's identifier in the system it was imported from; exports carry it so that an
    # import of the same rows finds the record again. NULL: none.
    external_id = models.CharField(  # noqa: DJ001 -- NULL: none, so that uniqueness holds only when set
        _("external identifier"), max_length=200, null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), max_length=2000)
    body = models.TextField(
        _("body"),
        blank=True,
        max_length=BODY_MAX_LENGTH,
        validators=[MaxLengthValidator(BODY_MAX_LENGTH)],
        help_text=_("Markdown."),
    )
    # The body as HTML, written with it by the services; NULL until rendered (see markup.py).
    body_html = models.TextField(null=True, blank=True, editable=False)  # noqa: DJ001 -- NULL: not yet
    language = models.CharField(
        _("language of the text"), max_length=8, choices=Language.choices, default=Language.EN
    )
    key_task = models.ForeignKey(
        "governance.KeyTask",
        verbose_name=_("key task"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    action_line = models.ForeignKey(
        "governance.ActionLine",
        verbose_name=_("action line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InitiativeKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=InitiativeStatus.choices, default=InitiativeStatus.PLANNED
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    countries = models.ManyToManyField(
        "governance.Country", verbose_name=_("countries"), blank=True, related_name="initiatives"
    )
    stakeholders = models.ManyToManyField(
        "governance.Stakeholder",
        verbose_name=_("stakeholders"),
        through="Participation",
        blank=True,
        related_name="initiatives",
    )
    advocacies = models.ManyToManyField(
        "governance.Advocacy", verbose_name=_("advocacies"), blank=True, related_name="initiatives"
    )
    tags = TaggableManager(verbose_name=_("tags"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_initiatives",
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("collaborators"),
        blank=True,
        related_name="collaborating_initiatives",
    )
    moderation_state = models.CharField(
        _("moderation state"),
        max_length=20,
        choices=ModerationState.choices,
        default=ModerationState.DRAFT,
        editable=False,
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        editable=False,
    )
    # Derived text for search (English words plus Chinese character bigrams); see search.py.
    search_document = models.TextField(blank=True, editable=False)
    # Words a search finds the record by besides its own text: its translations' title, summary
    # and body, and its tags' names, labels and synonyms. Written by the services with
    # search_document; the stored English vector reads it too (migration 0025).
    search_extra = models.TextField(blank=True, editable=False, db_default="")

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="initiative_slug_unique"),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=Q(external_id__isnull=False) & ~Q(external_id=""),
                name="initiative_external_id_unique",
                violation_error_message=_("Another initiative has this external identifier."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="initiative_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="initiative_title_not_empty",
                violation_error_message=_("The title cannot be empty."),
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="initiative_version_positive"),
        ]
        indexes = [
            # Every record by latest change: the cursor walk and the lists of members and staff
            # (the state last, as for the orders below).
            models.Index(fields=["updated_at", "id", "moderation_state"], name="initiative_updated_id"),
            # The API's cursor walk over published records, in (updated_at, id) order; scanned
            # backwards, the lists by latest change (-updated_at, -id) in each state.
            models.Index(fields=["moderation_state", "updated_at", "id"], name="initiative_state_cursor"),
            models.Index(fields=["moderation_state", "submitted_at"], name="initiative_queue"),
            # The published list in each order a reader may choose, ties broken by id as the
            # FilterSet does; scanned backwards for the descending orders. The condition is
            # the published list's own filter, so the planner can use them for it.
            *(
                models.Index(
                    fields=[field, "id"],
                    name=f"initiative_published_{name}",
                    condition=Q(moderation_state=ModerationState.PUBLISHED),
                )
                for field, name in (
                    ("title", "title"),
                    ("published_at", "published"),
                    ("start_date", "start"),
                    ("created_at", "created"),
                )
            ),
            # The same orders over every record, for the lists of members (published or
            # theirs) and staff (all), which the published-only ones above cannot serve. The
            # state comes last, so that a member's page of ids is read from the index alone
            # (never-published records, published_at NULL, come first in the descending order).
            *(
                models.Index(fields=[field, "id", "moderation_state"], name=f"initiative_{name}_id")
                for field, name in (
                    ("title", "title"),
                    ("published_at", "published"),
                    ("start_date", "start"),
                    ("created_at", "created"),
                )
            ),
            # A member's unpublished records, read by id for visible_to.
            models.Index(
                fields=["owner", "id"],
                name="initiative_owner_unpublished",
                condition=~Q(moderation_state=ModerationState.PUBLISHED),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.moderation_state == ModerationState.PUBLISHED


class Participation(models.Model):
    """A stakeholder's part in an initiative, with its role."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="participations")
    stakeholder = models.ForeignKey(
        "governance.Stakeholder",
        verbose_name=_("stakeholder"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipationRole.choices)

    class Meta:
        ordering = ["role", "stakeholder__name_en"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "stakeholder"], name="participation_one_role_per_stakeholder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} ({self.get_role_display()})"


class SourceLink(models.Model):
    """A public source that documents the initiative, with what a reader needs to weigh it.

    Only curators change `checked` (services/sources.py); the other details are the editors'.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(_("title"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    language = models.CharField(
        _("language of the source"), max_length=8, choices=Language.choices, blank=True
    )
    published_on = models.DateField(_("date published"), null=True, blank=True)
    accessed_on = models.DateField(_("date accessed"), null=True, blank=True)
    checked = models.BooleanField(
        _("checked"), default=False, help_text=_("A curator has checked what the source says.")
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("source link")
        verbose_name_plural = _("source links")
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | Q(accessed_on__isnull=True)
                | Q(accessed_on__gte=models.F("published_on")),
                name="sourcelink_accessed_not_before_published",
                violation_error_message=_("A source cannot be accessed before it was published."),
            ),
        ]
        indexes = [
            # Which records have a checked source: the curators' flag and its filter.
            models.Index(fields=["initiative"], name="sourcelink_checked", condition=Q(checked=True)),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def html_lang(self) -> str:
        """The source's language as an HTML lang attribute; empty when unknown."""
        return "zh-Hans" if self.language == Language.ZH_HANS else self.language


class Update(models.Model):
    """A dated progress note on an initiative.

    A note by someone whose edit of the record would wait for a moderator waits too (held);
    only published notes reach pages, feeds, digests and anonymous callers.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("kind"), max_length=20, choices=UpdateKind.choices, default=UpdateKind.PROGRESS)
    date = models.DateField(_("date"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=300)
    # A TextField's max_length only sizes form fields; the validator makes full_clean hold it.
    text = models.TextField(
        _("text"),
        blank=True,
        max_length=UPDATE_TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(UPDATE_TEXT_MAX_LENGTH)],
    )
    # Of the title and text; given by the author or detected from them (search.text_language).
    language = models.CharField(
        _("language of the text"), max_length=8, choices=Language.choices, default=Language.EN
    )
    # The text as HTML, written with it by the services; NULL until rendered (see markup.py).
    text_html = models.TextField(null=True, blank=True, editable=False)  # noqa: DJ001 -- NULL: not yet
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=UpdateState.choices, default=UpdateState.PUBLISHED, editable=False
    )
    # When it went live, which is when digests and feeds count it as news.
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    reason = models.TextField(_("reason"), blank=True, editable=False)
    # The indicator of the same record whose progress the note reports, if any.
    indicator = models.ForeignKey(
        "Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="updates",
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="update_title_not_empty"),
            models.CheckConstraint(
                condition=~Q(state=UpdateState.PUBLISHED) | Q(published_at__isnull=False),
                name="update_published_has_time",
            ),
        ]
        indexes = [
            # Digests look for notes published in their window.
            models.Index(fields=["published_at"], name="update_published_at"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.title}"
