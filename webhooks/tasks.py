"""Celery tasks: take ids, call a service. Retries and backoff live here, rules do not."""

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from . import services


@shared_task(bind=True, name=services.DELIVER_TASK, max_retries=None)
def webhook_deliver(self, delivery_id: str) -> None:
    """Send one delivery; a failed attempt is tried again later, each wait twice the last,
    until WEBHOOKS_MAX_ATTEMPTS attempts were made."""
    last_retry = settings.WEBHOOKS_MAX_ATTEMPTS - 1
    final = self.request.retries >= last_retry
    if services.delivery_attempt(delivery_id=delivery_id, final=final):
        raise self.retry(
            max_retries=last_retry,
            countdown=get_exponential_backoff_interval(
                factor=settings.WEBHOOKS_RETRY_BACKOFF_SECONDS,
                retries=self.request.retries,
                maximum=settings.WEBHOOKS_RETRY_BACKOFF_MAX_SECONDS,
                full_jitter=False,
            ),
        )
