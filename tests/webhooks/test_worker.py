"""A real Celery worker on Redis sends the delivery after commit and retries a receiver's 500.

The worker is its own process against the pytest database (committed data, hence
transactional_db); the receiver is a real HTTP server on loopback in this process.
"""

import json
import os

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests import factories
from tests.ops.servers import celery_worker, redis_broker, wait_until
from webhooks.models import WebhookDelivery

from .conftest import register, signature_valid

BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process must share the test database, which SQLite keeps in memory",
    ),
]


@pytest.fixture
def broker():
    with redis_broker(BROKER_URL) as url:
        yield url


@pytest.fixture
def worker(tmp_path, broker):
    environment = {"WEBHOOKS_RETRY_BACKOFF_SECONDS": "1", "WEBHOOKS_TIMEOUT_SECONDS": "5"}
    with celery_worker(tmp_path / "worker.log", broker=broker, name="webhooks", **environment) as process:
        yield process


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_sends_after_commit_and_retries_a_500_with_the_same_id(receiver, worker):
    register(factories.admin(), receiver.url, events=["published"], allow_private=True)
    receiver.answers = [500, 200]
    draft = factories.make_initiative(title="Regional incident response drill")
    assert WebhookDelivery.objects.count() == 0
    factories.make_initiative(state="published", title="Another published record")
    published = WebhookDelivery.objects.get()

    wait_until(lambda: len(receiver.received()) == 2, message="the retry after the 500")
    wait_until(
        lambda: WebhookDelivery.objects.get().state == "delivered",
        message="the delivery recorded as delivered",
    )
    first, second = receiver.received()
    assert (
        first["headers"]["X-Concord-Delivery"] == second["headers"]["X-Concord-Delivery"] == str(published.pk)
    )
    assert signature_valid(first) and signature_valid(second)
    payload = json.loads(second["body"])
    assert payload["event"] == "published"
    assert (
        payload["initiative"] == APIClient().get(f"/api/v1/initiatives/{published.initiative_slug}/").json()
    )
    assert [a.status_code for a in WebhookDelivery.objects.get().attempts.all()] == [500, 200]
    assert draft.slug not in {json.loads(r["body"])["initiative"]["slug"] for r in receiver.received()}
