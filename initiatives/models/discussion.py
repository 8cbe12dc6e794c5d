"""What a discussion keeps besides its comments: each earlier wording of an edited comment,
readers' reports of a comment, and the moderators' queue of reported comments."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .social import Comment


class CommentEdit(models.Model):
    """The wording a comment had before one edit: an edit never loses what was said."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="edits")
    body = models.TextField(_("earlier wording"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(_("edited"), default=timezone.now)

    class Meta:
        ordering = ["edited_at", "id"]
        verbose_name = _("comment edit")
        verbose_name_plural = _("comment edits")

    def __str__(self) -> str:
        return f"{self.comment_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


class CommentReport(models.Model):
    """A signed-in reader reports a comment with a reason; once per person and comment.
    Open until a moderator keeps the comment visible or hides it."""

    class Resolution(models.TextChoices):
        KEPT = "kept", _("Kept visible")
        HIDDEN = "hidden", _("Hidden")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(_("decision"), max_length=10, choices=Resolution.choices, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="comment_report_once"),
        ]
        indexes = [
            models.Index(
                fields=["comment"], condition=models.Q(resolved_at__isnull=True), name="comment_report_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reporter} ⚑ {self.comment_id}"


class ReportedComment(Comment):
    """A comment with open reports, as the moderators' queue lists it."""

    class Meta:
        proxy = True
        verbose_name = _("reported comment")
        verbose_name_plural = _("reported comments")
