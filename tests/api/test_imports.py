"""POST /api/v1/imports/: a curator's file answered with its per-row report, or 202 and a job
to watch when it is large; bad files are a 400 on `file`, a contributor a 403, and nothing
is written by a refusal or a dry run."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from initiatives.choices import ImportState
from initiatives.imports.jobs import import_job_run
from initiatives.models import ImportJob, Initiative, Revision
from tests import factories

URL = "/api/v1/imports/"
HEADER = "external_id,title,summary,key_task,kind,countries\n"

pytestmark = pytest.mark.django_db


def csv_file(*rows: str, name="records.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + "".join(rows)).encode(), content_type="text/csv")


def test_a_curator_dry_runs_then_imports_and_a_second_import_changes_nothing(client_for, curator):
    api = client_for(curator)
    rows = ("X-1,First,S,global-south,project,KE\n", "X-2,Second,S,global-south,dialogue,\n")

    dry = api.post(URL, {"file": csv_file(*rows), "dry_run": "true"}, format="multipart")
    assert dry.status_code == 200, dry.content
    assert dry.json()["counts"] == {"create": 2, "update": 0, "unchanged": 0, "refused": 0}
    assert [row["row"] for row in dry.json()["rows"]] == [2, 3]
    assert not Initiative.objects.exists()

    real = api.post(URL, {"file": csv_file(*rows)}, format="multipart")
    assert real.json()["counts"]["create"] == 2 and real.json()["dry_run"] is False
    assert set(Initiative.objects.values_list("external_id", flat=True)) == {"X-1", "X-2"}
    versions = Revision.objects.count()

    again = api.post(URL, {"file": csv_file(*rows)}, format="multipart")
    assert again.json()["counts"] == {"create": 0, "update": 0, "unchanged": 2, "refused": 0}
    assert Revision.objects.count() == versions


def test_refusals_are_in_the_callers_language(client_for, curator):
    api = client_for(curator)
    row = "Y-1,T,S,global-south,spaceship,\n"
    english = api.post(URL, {"file": csv_file(row), "dry_run": "true"}, format="multipart")
    chinese = api.post(
        URL, {"file": csv_file(row), "dry_run": "true"}, format="multipart", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert english.json()["rows"][0]["errors"]["kind"] == ["“spaceship” is not a valid choice."]
    assert chinese.json()["rows"][0]["errors"]["kind"] != english.json()["rows"][0]["errors"]["kind"]


def test_a_contributor_may_not_import(client_for, contributor):
    response = client_for(contributor).post(
        URL, {"file": csv_file("Z,T,S,global-south,project,\n")}, format="multipart"
    )
    assert response.status_code == 403
    assert not Initiative.objects.exists()


def test_anonymous_callers_are_asked_to_sign_in(api):
    assert api.post(URL, {"file": csv_file()}, format="multipart").status_code == 401


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("records.txt", b"hello"), "Unknown format"),
        (SimpleUploadedFile("records.xlsx", b"not a workbook"), "cannot be read as XLSX"),
        (SimpleUploadedFile("records.csv", b"title\nA\n"), "lacks the columns"),
        (SimpleUploadedFile("records.jsonl", b"[1, 2]\n"), "Line 1 is not a JSON object"),
    ],
)
def test_a_file_that_cannot_be_imported_is_a_400_on_file(client_for, curator, upload, message):
    response = client_for(curator).post(URL, {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert message in response.json()["file"][0]
    assert not Initiative.objects.exists()


def test_a_missing_file_a_json_body_and_a_too_large_file_are_refused(client_for, curator, settings):
    api = client_for(curator)
    assert "file" in api.post(URL, {"dry_run": "true"}, format="multipart").json()
    assert api.post(URL, {"file": "x"}, format="json").status_code == 415
    settings.IMPORT_MAX_BYTES = 10
    response = api.post(URL, {"file": csv_file("A,T,S,global-south,project,\n")}, format="multipart")
    assert response.status_code == 400 and "too large" in response.json()["file"][0]


def test_a_large_file_is_answered_with_a_job_that_reports_when_done(client_for, curator, settings):
    settings.IMPORT_SYNC_MAX_ROWS = 2
    api = client_for(curator)
    rows = [f"L-{n},Large {n},S,global-south,project,\n" for n in range(3)]

    response = api.post(URL, {"file": csv_file(*rows)}, format="multipart")

    assert response.status_code == 202
    job = response.json()
    assert job["state"] == ImportState.QUEUED and job["total"] == 3 and job["report"] is None
    assert response["Location"] == job["url"] == f"http://testserver{URL}{job['id']}/"
    assert not Initiative.objects.exists()
    # The task's work, done here by calling it (a real worker runs it in test_import_worker.py).
    import_job_run(job_id=job["id"])
    done = api.get(job["url"]).json()
    assert done["state"] == ImportState.DONE and done["processed"] == 3
    assert done["report"]["counts"]["create"] == 3
    assert ImportJob.objects.get().content == b""
    # Nobody else sees the job.
    assert client_for(factories.curator()).get(job["url"]).status_code == 404


def test_the_schema_documents_the_file_upload_and_both_answers(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/imports/"]["post"]
    assert set(operation["requestBody"]["content"]) == {"multipart/form-data"}
    assert {"200", "202", "400", "403"} <= set(operation["responses"])
    assert "/api/v1/imports/{id}/" in schema["paths"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "jsonl"])
def test_an_export_with_translations_and_results_imports_again_unchanged(client_for, curator, file_format):
    factories.make_initiative(
        state="published",
        title="中非数字创新伙伴计划",
        summary="支持非洲青年数字创业。",
        language="zh-hans",
        kind="programme",
        links=[{"url": "https://example.org/china-africa", "title": "来源", "publisher": "商务部"}],
        translations={"en": {"title": "China–Africa Digital Innovation Partnership"}},
        results=[
            {
                "title": "Start-ups supported",
                "indicators": [
                    {
                        "name": "Start-ups incubated",
                        "target": 300,
                        "periods": [
                            {"start": "2024-01-01", "end": "2024-12-31", "actual": 85},
                            {"start": "2025-01-01", "end": "2025-12-31", "actual": 160.25},
                        ],
                    }
                ],
            }
        ],
    )
    api = client_for(curator)
    export = api.get("/api/v1/initiatives/", {"format": file_format})
    content = b"".join(export.streaming_content)
    versions = Revision.objects.count()

    upload = SimpleUploadedFile(f"initiatives.{file_format}", content)
    response = api.post(URL, {"file": upload}, format="multipart")

    assert response.status_code == 200, response.content
    assert response.json()["counts"] == {"create": 0, "update": 0, "unchanged": 1, "refused": 0}
    assert Revision.objects.count() == versions


def test_a_csv_adding_an_english_translation_updates_the_chinese_record(client_for, curator):
    record = factories.make_initiative(
        state="published",
        title="世界互联网大会数字丝路发展论坛",
        summary="探讨数字丝路建设。",
        language="zh-hans",
        kind="event",
        links=[{"url": "https://example.org/wic", "title": "来源"}],
    )
    api = client_for(curator)
    content = (
        "source_url,title,summary,key_task,kind,title_en,summary_en,translation_status_en\n"
        f"https://example.org/wic,{record.title},{record.summary},global-south,event,"
        "World Internet Conference Digital Silk Road Forum,On building the Digital Silk Road.,pending\n"
    ).encode()

    dry = api.post(URL, {"file": SimpleUploadedFile("t.csv", content), "dry_run": "true"}, format="multipart")
    entry = dry.json()["rows"][0]
    assert entry["action"] == "update"
    assert entry["changes"] == ["title_en", "summary_en", "translation_status_en"]
    assert not record.translations.exists()

    response = api.post(URL, {"file": SimpleUploadedFile("t.csv", content)}, format="multipart")

    assert response.json()["counts"]["update"] == 1, response.json()
    english = api.get(f"/api/v1/initiatives/{record.slug}/").json()["translations"]["en"]
    assert english == {
        "title": "World Internet Conference Digital Silk Road Forum",
        "summary": "On building the Digital Silk Road.",
        "body": "",
        "status": "pending",
    }
