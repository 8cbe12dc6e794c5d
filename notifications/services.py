"""Every write of notifications: an event's notifications, e-mailing one, marking read,
settings, and what a digest carried.

Tasks call these; the services never import the tasks.
"""

import smtplib

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiatives.models import Initiative

from . import emails, selectors
from .choices import Channel, NotificationKind
from .models import Notification, NotificationSetting
from .recipients import event_recipients


@transaction.atomic
def notifications_create(*, payload: dict) -> list[int]:
    """One notification per person told of this event, in the channel each chose; returns the
    ids whose e-mail is still to send. Run twice, it makes nothing new (one per person and event).

    Nobody is told of their own act, nor of what they may not see (selectors.may_be_told)."""
    initiative = (
        Initiative.objects.select_related("key_task", "action_line", "owner")
        .filter(pk=payload["initiative_id"])
        .first()
    )
    if initiative is None:
        return []
    told, details = event_recipients(payload, initiative)
    User = get_user_model()
    actor_id = payload.get("actor_id")
    if actor_id is not None and not User.objects.filter(pk=actor_id).exists():
        actor_id = None
    users = list(User.objects.filter(pk__in=list(told), is_active=True).order_by("pk"))
    channels = selectors.channels_for(user.pk for user in users)
    rows = [
        Notification(
            recipient=user,
            kind=told[user.pk],
            channel=channels[user.pk][told[user.pk]],
            actor_id=actor_id,
            initiative=initiative,
            event_key=payload["key"][:200],
            details=details,
        )
        for user in users
        if user.pk != actor_id
        and selectors.may_be_told(user, kind=told[user.pk], initiative=initiative, details=details)
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return list(
        Notification.objects.filter(
            event_key=payload["key"][:200], channel=Channel.EMAIL, email_claimed_at__isnull=True
        ).values_list("pk", flat=True)
    )


def notification_email_send(*, notification_id: int, connection=None) -> bool:
    """E-mail one notification once: the claim is taken before sending and kept once the mail
    server has it, so a retried or repeated task never mails twice. A send that fails gives
    the claim back and raises, for the task to try again."""
    notification = (
        Notification.objects.select_related("recipient", "actor", "initiative")
        .filter(pk=notification_id, channel=Channel.EMAIL, email_claimed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.recipient.email:
        return False
    if not selectors.still_to_tell(notification):
        return False
    claimed = Notification.objects.filter(pk=notification.pk, email_claimed_at__isnull=True).update(
        email_claimed_at=timezone.now()
    )
    if not claimed:
        return False
    message = emails.notification_message(notification=notification, connection=connection)
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        Notification.objects.filter(pk=notification.pk).update(email_claimed_at=None)
        raise
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def notification_mark_read(*, actor, notification_id) -> Notification:
    """Mark one of one's own notifications read; anyone else's is as if it did not exist."""
    notification = Notification.objects.get(pk=notification_id, recipient=actor)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor) -> int:
    """Mark all of one's unread notifications read; returns how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def notification_settings_errors(channels: dict) -> dict[str, list[str]]:
    """What is wrong with each key of a choice of channels: an unknown kind, or channel."""
    errors = {}
    for kind, channel in channels.items():
        if kind not in NotificationKind.values:
            errors[str(kind)] = [_("There is no such kind of notification.")]
        elif not isinstance(channel, str) or channel not in Channel.values:
            errors[str(kind)] = [_("Choose one of: %(channels)s.") % {"channels": ", ".join(Channel.values)}]
    return errors


@transaction.atomic
def notification_settings_update(*, actor, channels: dict) -> dict[str, str]:
    """Choose a channel per kind; an unknown kind or channel is refused, each on its field."""
    if not (actor and actor.is_active and actor.is_authenticated):
        raise ValidationError(_("Sign in to choose your notifications."))
    errors = notification_settings_errors(channels)
    if errors:
        raise ValidationError(errors)
    for kind, channel in channels.items():
        NotificationSetting.objects.update_or_create(user=actor, kind=kind, defaults={"channel": channel})
    return selectors.channels_of(actor)


def notifications_digested(*, ids) -> int:
    """Record that a digest the mail server accepted carried these notifications."""
    if not ids:
        return 0
    return Notification.objects.filter(pk__in=list(ids), digested_at__isnull=True).update(
        digested_at=timezone.now()
    )
