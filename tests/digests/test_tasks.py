"""Tasks are called as plain functions: no broker, no eager mode."""

import pytest
from django.core import mail
from django.utils import timezone

from digests.choices import DeliveryStatus
from digests.models import DigestDelivery, DigestRun
from digests.services import runs
from digests.tasks import digest_run, digest_send_batch
from tests import factories

from .conftest import subscriber

pytestmark = pytest.mark.django_db


def test_digest_run_enqueues_one_task_per_batch_after_commit(settings, django_capture_on_commit_callbacks):
    settings.DIGESTS_BATCH_SIZE = 2
    users = [subscriber() for _ in range(5)]
    subscriber(frequency="weekly")
    factories.make_initiative(state="published")
    with django_capture_on_commit_callbacks() as callbacks:
        assert digest_run("daily") == 3
    assert mail.outbox == []  # nothing is sent inside the transaction that enqueues
    run = DigestRun.objects.get()
    batches = [callback.args for callback in callbacks]
    assert [len(ids) for _run_id, ids in batches] == [2, 2, 1]
    assert {run_id for run_id, _ids in batches} == {run.pk}
    for run_id, ids in batches:
        assert digest_send_batch(run_id, ids)["sent"] == len(ids)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    # Fired again (a second beat, a retried task): nothing left to enqueue.
    with django_capture_on_commit_callbacks() as callbacks:
        assert digest_run("daily") == 0
    assert callbacks == []


def test_send_batch_reraises_transient_smtp_errors_for_celery_to_retry(settings):
    user = subscriber()
    factories.make_initiative(state="published")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    run_id = DigestRun.objects.create(
        kind="daily", period_key="daily:2030-01-01", window_end=timezone.now()
    ).pk
    with pytest.raises(OSError):
        digest_send_batch(run_id, [user.subscriptions.get().pk])
    assert DigestDelivery.objects.get().status == DeliveryStatus.PENDING
    # Bounded: a few retries, backing off exponentially up to a ceiling.
    assert digest_send_batch.max_retries == 5
    assert digest_send_batch.retry_backoff and digest_send_batch.retry_backoff_max == 900


def test_services_enqueue_batches_under_the_name_the_worker_registers():
    # The services enqueue by name (they may not import the tasks), so the two must agree.
    assert runs.SEND_BATCH_TASK == digest_send_batch.name
