"""Discussion, following, invitations to collaborate, and who has a record's edit form open."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.choices import Language

from ..choices import TopicKind
from ..markup import COMMENT_MAX_LENGTH
from ..querysets import EditPresenceQuerySet


class Comment(models.Model):
    """A signed-in user's comment on a published initiative; moderators may hide it."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    # One level of replies: a reply's parent is a top-level comment of the same initiative.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    # A TextField's max_length only sizes form fields; the validator makes full_clean hold it.
    body = models.TextField(
        _("comment"), max_length=COMMENT_MAX_LENGTH, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)]
    )
    # Given by the author or detected from the body (search.text_language).
    language = models.CharField(
        _("language of the text"), max_length=8, choices=Language.choices, default=Language.EN
    )
    # Rendered from `body` (initiatives/markup.py) by the service that writes it.
    body_html = models.TextField(null=True, blank=True, editable=False)  # noqa: DJ001 -- NULL: not yet
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    # Deleted by its author: gone, or a placeholder where replies still hang from it.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    # Hidden because enough people reported it, until a moderator decides; not by a moderator.
    hidden_by_reports = models.BooleanField(_("hidden by reports"), default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["initiative", "parent", "created_at"], name="comment_thread_order")]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class TopicFollow(models.Model):
    """A user follows an initiative or a topic of the frame (a key task, an action line, a
    country, a stakeholder or a tag): the initiative's news, and every published record under
    the topic, are news for them. One table, so that one list and one id serve both."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_follows")
    kind = models.CharField(_("kind"), max_length=20, choices=TopicKind.choices)
    # The topic's slug (a tag's too) or a country's ISO code, as the topic's page address has
    # it; for an initiative its slug, which never changes (a merge moves the follow).
    value = models.CharField(_("followed"), max_length=120)
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("initiative"),
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "value"], name="topic_follow_once"),
            models.UniqueConstraint(
                fields=["user", "initiative"],
                condition=models.Q(kind="initiative"),
                name="follow_initiative_once",
            ),
            # An initiative's follow names it by key, a topic's never does.
            models.CheckConstraint(
                condition=models.Q(kind="initiative", initiative__isnull=False)
                | (~models.Q(kind="initiative") & models.Q(initiative__isnull=True)),
                name="follow_initiative_by_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.kind}:{self.value}"


class CollaborationInvitation(models.Model):
    """An invitation to work on a record; the invitee joins only by accepting it."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="invitations"
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaboration_invitations"
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation to collaborate")
        verbose_name_plural = _("invitations to collaborate")
        constraints = [
            # One open invitation per person and record: inviting again changes nothing.
            models.UniqueConstraint(
                fields=["initiative", "invitee"],
                condition=models.Q(state="open"),
                name="invitation_open_once",
            ),
        ]
        indexes = [models.Index(fields=["invitee", "state"], name="invitation_invitee_state")]

    def __str__(self) -> str:
        return f"{self.invitee} → {self.initiative} ({self.state})"


class EditPresence(models.Model):
    """Someone has this record's edit form open: an advisory notice to other editors, never a
    lock. It lapses EDIT_PRESENCE_SECONDS after `seen_at` and goes when its editor saves."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="edit_presences"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(_("editing since"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    objects = EditPresenceQuerySet.as_manager()

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("edit presence")
        verbose_name_plural = _("edit presences")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="edit_presence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ✎ {self.initiative}"
