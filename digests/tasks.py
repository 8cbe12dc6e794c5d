"""Celery tasks: take ids, call a service. Retries and backoff live here, rules do not."""

import smtplib

from celery import shared_task

from . import services

# Transient mail trouble (server down, 4xx, dropped connection) retries with exponential
# backoff capped at 15 minutes; after the last retry the deliveries are marked failed.
SMTP_RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 900,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="digests.tasks.digest_run")
def digest_run(kind: str, period: str | None = None) -> int:
    """Beat's entry point: start (or find) the period's run and enqueue its batches."""
    run = services.digest_run_start(kind=kind, period=period)
    return len(services.digest_run_dispatch(run=run))


@shared_task(bind=True, name="digests.tasks.digest_send_batch", **SMTP_RETRY)
def digest_send_batch(self, run_id: int, ids: list[int]) -> dict:
    result = services.digest_batch_send(
        run_id=run_id, ids=ids, final_attempt=self.request.retries >= self.max_retries
    )
    return {"sent": len(result.sent), "empty": len(result.empty), "failed": len(result.failed)}
