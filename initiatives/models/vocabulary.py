"""The tag vocabulary: each tag's English and Chinese label, the other names it is known
by, and who changed them.

A tag's name stays what records store (`taggit.Tag.name`); labels and synonyms are the
names readers and writers may also use. A write, a filter or a search given any of them
finds the tag (initiatives.vocabulary), so one idea keeps one tag in both languages.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

LABEL_MAX_LENGTH = 100
# The most synonyms one tag may have: each costs a row and words in every tagged record's
# search document.
SYNONYMS_LIMIT = 50


class TagLabel(models.Model):
    """A tag's label in each interface language; every tag has one row (empty labels allowed)."""

    tag = models.OneToOneField(
        Tag, on_delete=models.CASCADE, primary_key=True, related_name="label", verbose_name=_("tag")
    )
    label_en = models.CharField(_("English label"), max_length=LABEL_MAX_LENGTH, blank=True)
    label_zh = models.CharField(_("Chinese label"), max_length=LABEL_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("tag label")
        verbose_name_plural = _("tag labels")

    def __str__(self) -> str:
        return " / ".join(label for label in (self.label_en, self.label_zh) if label) or str(self.tag_id)


class TagSynonym(models.Model):
    """Another name of a tag; unique in any case, and never a tag's name or label
    (services.vocabulary checks the latter)."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="synonyms", verbose_name=_("tag"))
    name = models.CharField(_("synonym"), max_length=LABEL_MAX_LENGTH)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag synonym")
        verbose_name_plural = _("tag synonyms")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="tag_synonym_name_unique_any_case"),
            models.CheckConstraint(condition=~models.Q(name=""), name="tag_synonym_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class TagChange(models.Model):
    """Who changed the vocabulary, when, and how: labels and synonyms set, or a tag merged."""

    class Action(models.TextChoices):
        LABELS = "labels", _("Labels and synonyms set")
        MERGE = "merge", _("Merged into another tag")
        DELETE = "delete", _("Deleted")

    # The tag by name too: a merged tag is deleted, its change stays.
    tag = models.ForeignKey(
        Tag, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("tag")
    )
    tag_name = models.CharField(_("tag name"), max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tag change")
        verbose_name_plural = _("tag changes")

    def __str__(self) -> str:
        return f"{self.tag_name}: {self.get_action_display()}"
