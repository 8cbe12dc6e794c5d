"""History of initiatives: full snapshots per version, transitions, pending revisions.

Concord keeps its own history rather than django-reversion or django-simple-history:
a version must include the tags, participations, links and countries (reversion needs
follow-registration and misses queryset.update; simple-history ignores many-to-many and
bulk updates), and the snapshot format is also what pending revisions and the API's
`history/` return, so one JSON shape serves all three.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import EventAction, HistoryAction, ModerationState, RevisionState


class Revision(models.Model):
    """A snapshot of an initiative's content at one version, with the field-level changes."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=20, choices=HistoryAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    change_message = models.CharField(_("change message"), max_length=500, blank=True)
    snapshot = models.JSONField(_("snapshot"))
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "version"], name="revision_one_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} v{self.version}"


class InitiativeEvent(models.Model):
    """A step in an initiative's life: who did what, when, from which state to which."""

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    from_state = models.CharField(_("from"), max_length=20, choices=ModerationState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=ModerationState.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.from_state}→{self.to_state}"


class PendingRevision(models.Model):
    """A contributor's proposed change to a published initiative, awaiting a moderator."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="pending_revisions"
    )
    # Everyone who wrote any of the proposal: a second person's change joins it, never
    # replaces its first author (four eyes: none of them decides it).
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("authors"), related_name="+", blank=True
    )
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)
    base_version = models.PositiveIntegerField(_("based on version"))
    snapshot = models.JSONField(_("proposed content"))
    change_message = models.CharField(_("change message"), max_length=500, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=RevisionState.choices, default=RevisionState.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pending revision")
        verbose_name_plural = _("pending revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(state=RevisionState.OPEN),
                name="pendingrevision_one_open_per_initiative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} ({self.get_state_display()})"
