"""A file of records to import, kept until the import has run."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ImportState


class ImportJob(models.Model):
    """An import too large to answer at once: the uploaded file, read by a Celery task, which
    counts its progress here and leaves the per-row report when done."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("owner"),
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    format = models.CharField(_("format"), max_length=10)
    # The file itself until the import has run; emptied once it is done.
    content = models.BinaryField(_("content"), blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    language = models.CharField(_("language of the report"), max_length=10, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ImportState.choices, default=ImportState.QUEUED
    )
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    report = models.JSONField(_("report"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.filename or self.format} ({self.get_state_display()})"
