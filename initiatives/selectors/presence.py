"""Who else has a record's edit form open now (initiatives/services/presence.py)."""

from django.conf import settings

from ..models import EditPresence, Initiative

# What rules.edit_mode asks of a record; its collaborators it reads itself.
_EDIT_RULE_FIELDS = ("pk", "slug", "owner_id", "moderation_state", "merged_into_id")


def initiative_for_presence(*, user, slug: str):
    """The record an open edit form is on, with only what the edit rule reads; None when
    this user may not see it."""
    return Initiative.objects.visible_to(user).filter(slug=slug).only(*_EDIT_RULE_FIELDS).first()


def others_editing(*, initiative, user) -> list[EditPresence]:
    """The people other than `user` editing this record now, the longest-editing first."""
    return list(
        EditPresence.objects.filter(initiative=initiative)
        .current()
        .exclude(user=user)
        .select_related("user")
        .order_by("started_at", "id")
    )


def presence_heartbeat_seconds() -> int:
    """How often an open edit form says so: every minute, or often enough to outlast a short
    EDIT_PRESENCE_SECONDS."""
    return min(60, max(5, settings.EDIT_PRESENCE_SECONDS // 2))
