"""/workspace/import/: a curator uploads a file, reads the dry run's report row by row, then
confirms; a large file shows a progress bar fed by its job; bad files are form errors."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from initiatives.choices import ImportState
from initiatives.imports.jobs import import_job_run
from initiatives.models import ImportJob, Initiative, Revision
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/workspace/import/"
HEADER = "external_id,title,summary,key_task,kind\n"
ROWS = "W-1,Imported on the web,S,global-south,project\nW-2,,S,global-south,project\n"


def upload(content: str, name="records.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def test_a_curator_checks_a_file_then_imports_it(client, curator):
    client.force_login(curator)
    assert client.get(URL).status_code == 200

    checked = client.post(URL, {"file": upload(HEADER + ROWS)}, follow=True)

    page = checked.content.decode()
    assert "Nothing has been written yet" in page
    assert re.search(r"<td>2</td>\s*<td>create</td>", page)
    assert "<code>title</code>: This field is required." in page
    assert not Initiative.objects.exists()

    confirm = re.search(r'action="(/workspace/import/\d+/confirm/)"', page).group(1)
    done = client.post(confirm, follow=True).content.decode()

    assert "The import is done." in done and 'id="import-confirm"' not in done
    record = Initiative.objects.get(external_id="W-1")
    assert record.owner == curator and f'href="/initiatives/{record.slug}/"' in done
    versions = Revision.objects.count()

    again = client.post(URL, {"file": upload(HEADER + ROWS)}, follow=True).content.decode()
    assert re.search(r"<td>2</td>\s*<td>unchanged</td>", again) and 'id="import-confirm"' not in again
    assert Revision.objects.count() == versions


def test_the_report_is_in_the_readers_language(client, curator):
    curator.preferred_language = "zh-hans"
    curator.save()
    client.force_login(curator)
    page = client.post(URL, {"file": upload(HEADER + ROWS)}, follow=True).content.decode()
    assert "<code>title</code>" in page and "This field is required." not in page
    assert "Nothing has been written yet" not in page


def test_a_large_file_shows_its_progress_until_the_job_is_done(client, curator, settings):
    settings.IMPORT_SYNC_MAX_ROWS = 1
    client.force_login(curator)

    page = client.post(URL, {"file": upload(HEADER + ROWS)}, follow=True).content.decode()

    job = ImportJob.objects.get()
    assert job.state == ImportState.QUEUED
    assert f'data-job-url="/api/v1/imports/{job.pk}/"' in page and '<progress max="2" value="0"' in page
    assert 'src="/static/js/import_progress.js"' in page and "<script>" not in page
    assert f'href="/workspace/import/{job.pk}/">Refresh' in page
    import_job_run(job_id=job.pk)
    refreshed = client.get(f"/workspace/import/{job.pk}/").content.decode()
    assert "<progress" not in refreshed and 'id="import-report"' in refreshed
    assert client.get(f"/api/v1/imports/{job.pk}/").json()["state"] == "done"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("records.txt", "hello", "Unknown format"),
        ("records.csv", "title\nA\n", "lacks the columns"),
        ("records.xlsx", "not a workbook", "cannot be read as XLSX"),
    ],
)
def test_a_file_that_cannot_be_imported_is_a_form_error(client, curator, name, content, message):
    client.force_login(curator)
    response = client.post(URL, {"file": upload(content, name)})
    assert response.status_code == 200 and message in response.content.decode()
    assert not ImportJob.objects.exists() and not Initiative.objects.exists()


def test_contributors_and_other_curators_may_not_use_it(client, contributor, curator):
    client.force_login(contributor)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload(HEADER + ROWS)}).status_code == 403
    client.force_login(curator)
    client.post(URL, {"file": upload(HEADER + ROWS)})
    job = ImportJob.objects.get()
    client.force_login(factories.curator())
    assert client.get(f"/workspace/import/{job.pk}/").status_code == 404
    assert client.post(f"/workspace/import/{job.pk}/confirm/").status_code == 404
    assert not Initiative.objects.exists()
