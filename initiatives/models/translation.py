"""A record's text in a language other than the one it was written in.

The original text stays in the record's own columns (`Initiative.title`, `summary`, `body`,
under `Initiative.language`), where the ordering indexes, the stored search vectors and every
list read it; each other language's text is a row here with where it came from. This is
django-parler's layout kept for the translations only: parler would move the original out of
the row as well (and with it the indexes and the generated search columns of migration 0008),
and django-modeltranslation would make every read of `title` follow the active language,
tasks and snapshots included. One row per language keeps a third language a matter of choices.
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.choices import Language

from ..choices import TranslationStatus
from ..markup import BODY_MAX_LENGTH


class InitiativeTranslation(models.Model):
    """The title, summary and body of a record in one more language, written by the services
    with the record's version (they are part of its snapshot, so they are edited, proposed,
    moderated and restored as the rest of the record is)."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    body = models.TextField(
        _("body"), blank=True, max_length=BODY_MAX_LENGTH, validators=[MaxLengthValidator(BODY_MAX_LENGTH)]
    )
    # The body as HTML, rendered by the services with the body (see markup.py).
    body_html = models.TextField(_("body as HTML"), blank=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=[c for c in TranslationStatus.choices if c[0] != TranslationStatus.ORIGINAL],
        default=TranslationStatus.PERSON,
    )

    class Meta:
        ordering = ["language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "language"], name="translation_one_per_language"),
            models.CheckConstraint(
                condition=Q(status__in=[TranslationStatus.PERSON, TranslationStatus.PENDING]),
                name="translation_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} [{self.language}] {self.title}"
