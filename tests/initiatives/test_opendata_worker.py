"""The nightly job as beat sends it: a real Celery worker on Redis takes the task by name and
writes the dump the Open data page then serves.

The worker is its own process against the pytest database (committed data, hence
transactional_db) and writes into this test's own directory.
"""

import json
import os

import pytest
import redis
from django.db import connection

from config.celery import app
from tests import factories
from tests.ops.servers import celery_worker, wait_until

BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process must share the test database, which SQLite keeps in memory",
    ),
]


@pytest.fixture
def worker(tmp_path):
    client = redis.Redis.from_url(BROKER_URL)
    client.flushdb()
    root = tmp_path / "opendata"
    with celery_worker(tmp_path / "worker.log", broker=BROKER_URL, name="opendata", OPENDATA_ROOT=str(root)):
        yield root
    client.flushdb()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_runs_the_scheduled_task_and_the_page_serves_its_files(worker, client, settings):
    published = factories.make_initiative(state="published", title="开放数据：跨境数据流动对话")
    draft = factories.make_initiative(title="Never in the open data")
    with app.connection_for_write(BROKER_URL) as connection_:
        app.send_task("initiatives.tasks.opendata_export", connection=connection_)
    package_path = worker / "current" / "datapackage.json"
    wait_until(package_path.exists, message="the dump written by the worker")

    package = json.loads(package_path.read_text("utf-8"))
    assert package["count"] == 1
    lines = (worker / "current" / "initiatives.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["slug"] for line in lines] == [published.slug]
    assert draft.slug not in (worker / "current" / "initiatives.csv").read_text("utf-8")

    settings.OPENDATA_ROOT = worker
    page = client.get("/open-data/").content.decode()
    assert 'href="/open-data/initiatives.jsonl"' in page
    served = b"".join(client.get("/open-data/initiatives.jsonl").streaming_content)
    assert "开放数据：跨境数据流动对话" in served.decode("utf-8")
