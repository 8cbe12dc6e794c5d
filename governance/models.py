"""The frame: people, the article's key tasks and advocacies, countries and stakeholders."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rules.permissions import has_perm as rule_allows
from rules.permissions import perm_exists

from .choices import Language, Region, Role, StakeholderKind


class BilingualNameMixin(models.Model):
    """A name kept in English and Simplified Chinese; `name` follows the active language."""

    name_en = models.CharField(_("name (English)"), max_length=300)
    name_zh = models.CharField(_("name (Chinese)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = get_language() or ""
        return (self.name_zh if language.startswith("zh") else self.name_en) or self.name_en


class User(AbstractUser):
    """A person who signs in; roles are the groups Contributor, Curator and Moderator.

    Usernames are stored NFKC-normalised (as Django's forms and manager leave them) and are
    unique ignoring case: `Fresh`, `FRESH` and the full-width `ｆｒｅｓｈ` all name `fresh`.
    """

    affiliation = models.ForeignKey(
        "governance.Stakeholder",
        verbose_name=_("affiliation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.EN
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_unique_ignoring_case",
                violation_error_message=_("A user with that username already exists."),
            ),
        ]

    def has_perm(self, perm, obj=None) -> bool:
        """Object permissions registered as rules are decided by their rule alone.

        Django lets an active superuser do anything without asking; the rules of a record
        bind admins too (four eyes: an admin never approves what they wrote themselves).
        """
        if obj is not None and perm_exists(perm):
            return rule_allows(perm, self, obj)
        return super().has_perm(perm, obj)

    def has_role(self, role: Role | str) -> bool:
        if not self.is_active:
            return False
        cache = getattr(self, "_role_cache", None)
        if cache is None:
            cache = set(self.groups.values_list("name", flat=True))
            self._role_cache = cache
        return str(role) in cache

    @property
    def is_curator(self) -> bool:
        return self.is_active and (self.is_superuser or self.has_role(Role.CURATOR))

    @property
    def is_moderator(self) -> bool:
        return self.is_active and (self.is_superuser or self.has_role(Role.MODERATOR))


class KeyTask(BilingualNameMixin):
    """One of the article's four key tasks; every initiative is filed under one."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    heading_zh = models.CharField(_("article heading (Chinese)"), max_length=200)
    heading_en = models.CharField(_("article heading (English)"), max_length=300)
    # The article's words for the task, quoted exactly, and their English rendering.
    passage_zh = models.TextField(_("article passage (Chinese)"), blank=True)
    passage_en = models.TextField(_("article passage (English rendering)"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")

    @property
    def heading(self) -> str:
        language = get_language() or ""
        return self.heading_zh if language.startswith("zh") else self.heading_en


class ActionLine(BilingualNameMixin):
    """A line of action the article lists under a key task."""

    key_task = models.ForeignKey(
        KeyTask, on_delete=models.PROTECT, related_name="action_lines", verbose_name=_("key task")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # The sentence of the article that names the line, quoted exactly, and its English rendering.
    passage_zh = models.TextField(_("article passage (Chinese)"), blank=True)
    passage_en = models.TextField(_("article passage (English rendering)"), blank=True)

    class Meta:
        ordering = ["key_task__number", "position"]
        verbose_name = _("action line")
        verbose_name_plural = _("action lines")
        constraints = [
            # Target of the initiatives' composite foreign key (action line, key task).
            models.UniqueConstraint(fields=["id", "key_task"], name="actionline_id_key_task_unique"),
        ]


class Advocacy(BilingualNameMixin):
    """One of the article's three advocacies (三个倡导)."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    motto_zh = models.CharField(_("motto (Chinese)"), max_length=100)
    motto_en = models.CharField(_("motto (English)"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("advocacy")
        verbose_name_plural = _("advocacies")


class CountryQuerySet(models.QuerySet):
    def global_south(self):
        return self.filter(global_south=True)


class Country(BilingualNameMixin):
    """An ISO 3166-1 country or territory with its UN M49 region.

    `global_south` is membership of the Group of 77 at the United Nations (G77 + China),
    the usual proxy for the Global South; see governance/migrations/seed/README.md.
    """

    code = models.CharField(_("ISO alpha-2 code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO alpha-3 code"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO numeric code"), max_length=3, unique=True)
    region = models.CharField(_("region"), max_length=10, choices=Region.choices, blank=True)
    subregion = models.CharField(_("sub-region"), max_length=60, blank=True)
    global_south = models.BooleanField(_("Global South (G77)"), default=False)

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class Stakeholder(BilingualNameMixin):
    """An organisation that takes part in initiatives: a government, UN body, NGO, firm…"""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=StakeholderKind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stakeholders",
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class ApiToken(models.Model):
    """A key for the API, stored only as its SHA-256; read-only unless `write` is set.

    The key itself is shown once, when the token is made. A token stops working when it
    expires, when it is revoked (deleted) or when its user is deactivated.
    """

    user = models.ForeignKey(
        "governance.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("key prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True)
    write = models.BooleanField(_("may write"), default=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}… ({self.name})" if self.name else f"{self.user} {self.prefix}…"
