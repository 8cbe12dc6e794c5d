"""Large imports through a real Celery worker on Redis: the API answers 202 with a job, the
worker imports the rows through the services and leaves the report on the job. A file of
`IMPORT_TEST_ROWS` rows (1,000 in `make test`; `IMPORT_TEST_ROWS=10000` for the ten thousand
of docs/api.md, which take about twenty minutes here) dry-runs (nothing written), imports,
and a second import changes nothing.

The worker is its own process against the pytest database (committed data, hence
transactional_db).
"""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from initiatives.models import Initiative, InitiativeEvent, Revision
from tests import factories
from tests.ops.servers import celery_worker, redis_broker

BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
ROWS = int(os.environ.get("IMPORT_TEST_ROWS", "1000"))
REFUSED = ROWS // 1000
HEADER = "external_id,source_url,title,summary,key_task,kind,countries,stakeholders,tags\n"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process must share the test database, which SQLite keeps in memory",
    ),
]


@pytest.fixture
def worker(tmp_path):
    with (
        redis_broker(BROKER_URL),
        celery_worker(tmp_path / "worker.log", broker=BROKER_URL, name="imports") as process,
    ):
        yield process


def finished_job(api, answer, timeout: float) -> tuple[dict, list[int]]:
    """The job once the worker is done with it, and the progress seen on the way."""
    assert answer.status_code == 202, answer.content
    url, seen = answer.json()["url"], []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = api.get(url).json()
        seen.append(job["processed"])
        if job["state"] in ("done", "failed"):
            return job, seen
        time.sleep(1)
    raise AssertionError(f"the worker did not finish {url}")


def written() -> tuple[int, int, int]:
    return Initiative.objects.count(), Revision.objects.count(), InitiativeEvent.objects.count()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_imports_a_large_file_and_reports_on_the_job(worker, settings):
    settings.IMPORT_SYNC_MAX_ROWS = 2
    api = APIClient()
    api.force_authenticate(factories.curator())
    rows = "".join(f"J-{n},,Job row {n},S,global-south,project,KE,,\n" for n in range(3))
    upload = SimpleUploadedFile("job.csv", (HEADER + rows + ",,,S,global-south,project,,,\n").encode())

    job, seen = finished_job(api, api.post("/api/v1/imports/", {"file": upload}, format="multipart"), 120)

    assert job["state"] == "done" and job["processed"] == job["total"] == 4
    assert job["report"]["counts"] == {"create": 3, "update": 0, "unchanged": 0, "refused": 1}
    assert job["report"]["rows"][3]["errors"] == {"title": ["This field is required."]}
    assert seen == sorted(seen)
    assert set(Initiative.objects.values_list("external_id", flat=True)) == {"J-0", "J-1", "J-2"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_thousands_of_rows_dry_run_import_and_import_again_without_change(worker):
    curator = factories.curator()
    api = APIClient()
    api.force_authenticate(curator)
    lines = []
    for n in range(ROWS):
        kind = "spaceship" if n % 1000 == 999 else "project"
        lines.append(
            f"BULK-{n},https://example.org/bulk/{n},Bulk initiative {n},Summary {n},global-south,{kind},"
            f"KE; CN,undp:lead,bulk; row {n % 7}\n"
        )
    content = (HEADER + "".join(lines)).encode()
    before = written()

    def post(dry_run: bool):
        upload = SimpleUploadedFile("bulk.csv", content, content_type="text/csv")
        answer = api.post("/api/v1/imports/", {"file": upload, "dry_run": dry_run}, format="multipart")
        return finished_job(api, answer, timeout=3600)

    created = ROWS - REFUSED
    dry, _seen = post(True)
    assert dry["state"] == "done" and dry["report"]["dry_run"] is True
    assert dry["report"]["counts"] == {"create": created, "update": 0, "unchanged": 0, "refused": REFUSED}
    refused = [entry for entry in dry["report"]["rows"] if entry["action"] == "refused"]
    assert [entry["row"] for entry in refused] == [n + 2 for n in range(999, ROWS, 1000)]
    assert all(set(entry["errors"]) == {"kind"} for entry in refused)
    assert written() == before

    real, seen = post(False)
    assert real["report"]["counts"] == dry["report"]["counts"]
    assert seen == sorted(seen) and real["processed"] == ROWS
    assert Initiative.objects.filter(owner=curator, moderation_state="draft").count() == created
    assert Initiative.objects.get(external_id="BULK-42").links.get().url == "https://example.org/bulk/42"
    after = written()

    again, _seen = post(False)
    assert again["report"]["counts"] == {
        "create": 0,
        "update": 0,
        "unchanged": ROWS - REFUSED,
        "refused": REFUSED,
    }
    assert written() == after
