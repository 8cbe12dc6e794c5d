"""Reads: a person's unread count, their notifications and settings, what waits for their digest."""

from initiatives.models import CollaborationInvitation, Comment

from .choices import DEFAULT_CHANNELS, Channel, NotificationKind
from .models import Notification, NotificationSetting


def unread_count(user) -> int:
    """One query on the partial index of unread notifications."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(user):
    """This person's notifications, newest first, with what their texts name."""
    return Notification.objects.filter(recipient=user).select_related("actor", "initiative")


def channels_for(user_ids) -> dict[int, dict[str, str]]:
    """Each person's channel per kind, defaults filled in."""
    chosen: dict[int, dict[str, str]] = {pk: dict(DEFAULT_CHANNELS) for pk in user_ids}
    rows = NotificationSetting.objects.filter(user_id__in=list(chosen)).values_list(
        "user_id", "kind", "channel"
    )
    for user_id, kind, channel in rows:
        if kind in NotificationKind.values and channel in Channel.values:
            chosen[user_id][kind] = channel
    return chosen


def channels_of(user) -> dict[str, str]:
    """{kind: channel} for every kind, in the kinds' order."""
    chosen = channels_for([user.pk])[user.pk]
    return {kind: str(chosen[kind]) for kind in NotificationKind.values}


def may_be_told(user, *, kind: str, initiative, details: dict) -> bool:
    """Whether this person may be told: they may see the record, or, for an invitation, it is
    their own and still open (the invitation itself names the record to them)."""
    if not user.is_active or initiative is None:
        return False
    if kind == NotificationKind.INVITATION:
        return CollaborationInvitation.objects.filter(
            pk=details.get("invitation"), invitee=user, state=CollaborationInvitation.State.OPEN
        ).exists()
    return user.has_perm("initiatives.view_initiative", initiative)


def still_to_tell(notification) -> bool:
    """Whether the recipient may still be told (may_be_told), and a comment is not hidden."""
    details = notification.details or {}
    if not may_be_told(
        notification.recipient, kind=notification.kind, initiative=notification.initiative, details=details
    ):
        return False
    comment = details.get("comment")
    return comment is None or Comment.objects.filter(pk=comment, hidden_at__isnull=True).exists()


def for_digest(user_ids) -> dict[int, list[Notification]]:
    """Per person, the notifications they chose to get in their digest and have not got yet,
    oldest first, leaving out what they may no longer be told."""
    waiting: dict[int, list[Notification]] = {}
    rows = (
        Notification.objects.filter(
            recipient_id__in=list(user_ids), channel=Channel.DIGEST, digested_at__isnull=True
        )
        .select_related("recipient", "actor", "initiative")
        .order_by("created_at", "id")
    )
    for notification in rows:
        if still_to_tell(notification):
            waiting.setdefault(notification.recipient_id, []).append(notification)
    return waiting
