"""The nightly open-data dump: every published record as CSV and JSON Lines with a
datapackage.json describing every column, replacing the last dump at once, listed and served
by the Open data page, and scheduled in the database for beat."""

import csv
import hashlib
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.template.defaultfilters import filesizeformat
from django_celery_beat.models import PeriodicTask

from config.celery import app
from initiatives import tasks
from initiatives.exports import opendata
from initiatives.exports.columns import COLUMN_NAMES
from tests import factories

CHINESE_TITLE = "南南合作：智慧城市与数字农业"


@pytest.fixture
def root(settings, tmp_path):
    settings.OPENDATA_ROOT = tmp_path / "opendata"
    settings.SITE_URL = "https://concord.example"
    return settings.OPENDATA_ROOT


@pytest.fixture
def records(db):
    published = [
        factories.make_initiative(state="published", title=CHINESE_TITLE, language="zh-hans"),
        factories.make_initiative(state="published", title="Cyber dialogue"),
    ]
    hidden = [
        factories.make_initiative(title="A draft"),
        factories.make_initiative(state="submitted", title="A submission"),
        factories.make_initiative(state="archived", title="An archived record"),
    ]
    return published, hidden


def read_dump(directory):
    package = json.loads((directory / "datapackage.json").read_text("utf-8"))
    text = (directory / "initiatives.csv").read_text("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    lines = [json.loads(line) for line in (directory / "initiatives.jsonl").read_text("utf-8").splitlines()]
    return package, text, rows, lines


@pytest.mark.django_db
def test_the_task_writes_the_published_records_and_a_datapackage_naming_every_column(root, records):
    published, hidden = records
    directory = tasks.opendata_export()
    assert directory is not None
    package, text, rows, lines = read_dump(root / "current")
    header, *body = rows
    assert not text.startswith("\ufeff")
    assert header == list(COLUMN_NAMES)
    assert sorted(row[0] for row in body) == sorted(r.slug for r in published)
    assert sorted(line["slug"] for line in lines) == sorted(r.slug for r in published)
    assert not {r.slug for r in hidden} & {line["slug"] for line in lines}
    assert CHINESE_TITLE in {line["title"] for line in lines}

    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["homepage"] == "https://concord.example/open-data/"
    assert package["count"] == len(published)
    resources = {resource["path"]: resource for resource in package["resources"]}
    assert set(resources) == {"initiatives.csv", "initiatives.jsonl"}
    for path, resource in resources.items():
        fields = resource["schema"]["fields"]
        assert [field["name"] for field in fields] == header
        assert all(field["description"] and field["type"] for field in fields)
        data = (root / "current" / path).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["encoding"] == "utf-8"
    assert resources["initiatives.csv"]["mediatype"] == "text/csv"
    types = {field["name"]: field["type"] for field in resources["initiatives.csv"]["schema"]["fields"]}
    assert types["version"] == "integer" and types["start_date"] == "date" and types["tags"] == "string"
    json_types = {f["name"]: f["type"] for f in resources["initiatives.jsonl"]["schema"]["fields"]}
    assert json_types["tags"] == "array"


@pytest.mark.django_db
def test_a_new_dump_replaces_the_last_one_whole(root, records, settings):
    first = opendata.opendata_dump()
    factories.make_initiative(state="published", title="Published after the first dump")
    settings.OPENDATA_LICENCE = "CC0-1.0"
    second = opendata.opendata_dump()
    assert second != first
    assert not first.exists()
    assert (root / "current").resolve() == second.resolve()
    package, _text, rows, _lines = read_dump(root / "current")
    assert len(rows) == 1 + 3
    assert package["licenses"][0]["name"] == "CC0-1.0"
    # Nothing is left behind but the current dump and its link.
    assert sorted(p.name for p in (root / "dumps").iterdir()) == [second.name]


@pytest.mark.django_db
def test_a_dump_that_fails_leaves_the_current_one_in_place(root, records, monkeypatch):
    first = opendata.opendata_dump()

    def broken(directory):
        raise OSError("disk full")

    monkeypatch.setattr(opendata, "_write_files", broken)
    with pytest.raises(OSError, match="disk full"):
        opendata.opendata_dump()
    assert (root / "current").resolve() == first.resolve()
    assert sorted(p.name for p in (root / "dumps").iterdir()) == [first.name]


@pytest.mark.django_db
def test_the_command_runs_the_same_dump(root, records):
    out = StringIO()
    call_command("export_opendata", stdout=out)
    assert "Open data written to" in out.getvalue()
    package = json.loads((root / "current" / "datapackage.json").read_text("utf-8"))
    assert package["count"] == 2


@pytest.mark.django_db
def test_the_open_data_page_lists_and_serves_the_files(client, root, records):
    page = client.get("/open-data/")
    assert page.status_code == 200
    assert "The first files are made tonight." in page.content.decode()
    assert client.get("/open-data/initiatives.csv").status_code == 404

    opendata.opendata_dump()
    page = client.get("/open-data/").content.decode()
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    for name in ("initiatives.csv", "initiatives.jsonl", "datapackage.json"):
        assert f'href="/open-data/{name}"' in page
        response = client.get(f"/open-data/{name}")
        assert response.status_code == 200
        served = b"".join(response.streaming_content)
        assert served == (root / "current" / name).read_bytes()
    size = (root / "current" / "initiatives.csv").stat().st_size
    assert filesizeformat(size) in page
    assert client.get("/open-data/initiatives.csv")["Content-Type"] == "text/csv; charset=utf-8"
    assert client.get("/open-data/../settings.py").status_code == 404
    assert client.get("/open-data/.lock").status_code == 404
    # Every column is described on the page.
    for name in COLUMN_NAMES:
        assert f"<code>{name}</code>" in page


@pytest.mark.django_db
def test_every_page_links_to_the_open_data(client):
    assert 'href="/open-data/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_nightly_dump_is_in_the_beat_schedule_and_names_a_real_task():
    job = PeriodicTask.objects.select_related("crontab").get(name="Open data dump")
    assert job.enabled
    assert job.task == "initiatives.tasks.opendata_export"
    assert job.task in app.tasks
    assert (job.crontab.minute, job.crontab.hour, job.crontab.day_of_week) == ("30", "2", "*")
    assert str(job.crontab.timezone) == "UTC"


@pytest.mark.django_db
def test_the_dump_carries_translations_and_results_and_describes_their_columns(root, client):
    record = factories.make_initiative(
        state="published",
        title=CHINESE_TITLE,
        language="zh-hans",
        kind="project",
        translations={"en": {"title": "South-South cooperation", "summary": "Smart cities.", "body": ""}},
        results=[
            {
                "title": "Pilots running",
                "indicators": [
                    {
                        "name": "Cities",
                        "baseline": 1,
                        "target": 4,
                        "periods": [{"start": "2025-01-01", "end": "2025-12-31", "actual": 3}],
                    }
                ],
            }
        ],
    )
    tasks.opendata_export()
    package, _text, rows, lines = read_dump(root / "current")
    header, row = rows
    cells = dict(zip(header, row, strict=True))
    (line,) = lines

    assert (cells["title_en"], cells["translation_status_en"], cells["title_zh_hans"]) == (
        "South-South cooperation",
        "person",
        "",
    )
    assert line["title_en"] == "South-South cooperation" and line["title_zh_hans"] is None
    assert line["results"][0]["indicators"][0]["periods"][0]["actual"] == 3
    assert json.loads(cells["results"]) == line["results"]
    assert line["results"][0]["id"] == record.results.get().pk

    resources = {resource["path"]: resource for resource in package["resources"]}
    for path in ("initiatives.csv", "initiatives.jsonl"):
        fields = {field["name"]: field for field in resources[path]["schema"]["fields"]}
        # JSON text is Frictionless's own form of an array in CSV.
        assert fields["results"]["type"] == "array"
        assert "indicators" in fields["results"]["description"]
        assert "Simplified Chinese" in fields["title_zh_hans"]["description"]
        assert "English" in fields["translation_status_en"]["description"]
        assert "person" in fields["translation_status_en"]["description"]
    # The Open data page names the new columns too.
    page = client.get("/open-data/").content.decode()
    assert "<code>title_zh_hans</code>" in page and "<code>results</code>" in page
