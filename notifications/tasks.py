"""Celery tasks: take ids, call a service. Retries and backoff live here, rules do not."""

from celery import shared_task

from initiatives.tasks import MAIL_RETRIES

from . import services


@shared_task(name="notifications.tasks.notifications_for_event")
def notifications_for_event(payload: dict) -> int:
    """Make an event's notifications, then queue the e-mail of each still to send."""
    ids = services.notifications_create(payload=payload)
    for notification_id in ids:
        notification_email.delay(notification_id)
    return len(ids)


@shared_task(name="notifications.tasks.notification_email", **MAIL_RETRIES)
def notification_email(notification_id: int) -> bool:
    return services.notification_email_send(notification_id=notification_id)
