"""`?format=csv` streams the whole filtered set, read from the database a chunk at a time."""

import csv
import io
import json

import pytest
from django.db import connection

from initiatives.exports import columns
from tests import factories

LIST_URL = "/api/v1/initiatives/"


def _item(item) -> str:
    if not isinstance(item, dict):
        return item
    return f"{item['stakeholder']}:{item['role']}" if "stakeholder" in item else item["url"]


def _cell(value) -> str:
    """A cell as docs/api.md describes it: lists joined by "; ", formulas kept as text."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(_item(item) for item in value)
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


COLUMNS = (
    "slug external_id source_url title summary body language "
    "title_en summary_en body_en translation_status_en "
    "title_zh_hans summary_zh_hans body_zh_hans translation_status_zh_hans "
    "key_task action_line kind status start_date end_date countries stakeholders advocacies tags links "
    "results owner moderation_state version created_at updated_at published_at"
).split()


def _translation_cells(record: dict) -> dict:
    """The translation columns: each other language's text and status, when it has a title."""
    cells = {}
    for code, entry in record["translations"].items():
        translated = code != record["language"] and entry["title"] is not None
        suffix = code.replace("-", "_")
        for field in ("title", "summary", "body"):
            cells[f"{field}_{suffix}"] = entry[field] if translated else None
        cells[f"translation_status_{suffix}"] = entry["status"] if translated else None
    return cells


def _exported(record: dict) -> dict:
    """The JSON record with the export's own columns: the first source link, no external id,
    the translations as flat columns, the results as JSON text."""
    return {
        **record,
        **_translation_cells(record),
        "external_id": None,
        "source_url": (record["links"] or [{"url": None}])[0]["url"],
        "results": json.dumps(record["results"], ensure_ascii=False, separators=(",", ":"))
        if record["results"]
        else "",
    }


@pytest.mark.django_db
def test_the_csv_holds_every_record_of_the_filtered_set_as_the_json_shows_it(api):
    factories.make_initiative(state="published", title="=SUM(1)", kind="event")
    factories.make_initiative(
        state="published",
        title='Comma, and "quotes"',
        kind="event",
        links=[{"url": "https://example.org/a", "title": "A"}, {"url": "https://example.org/b", "title": ""}],
        translations={"zh-hans": {"title": "逗号与引号", "summary": "=摘要", "status": "pending"}},
    )
    factories.make_initiative(state="published", kind="project")
    factories.make_initiative(state="draft", kind="event")
    records = api.get(LIST_URL, {"kind": "event"}).json()["results"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow(_cell(_exported(record)[column]) for column in COLUMNS)

    response = api.get(LIST_URL, {"format": "csv", "kind": "event"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="initiatives.csv"'
    assert (
        b"".join(response.streaming_content if response.streaming else [response.content])
        == ("\ufeff" + out.getvalue()).encode()
    )


@pytest.mark.django_db
def test_the_csv_is_streamed_and_read_a_chunk_at_a_time(api, monkeypatch):
    monkeypatch.setattr(columns, "CHUNK_ROWS", 2)
    made = [factories.make_initiative(state="published") for _ in range(5)]
    fetched = []
    chunked_cursor = connection.chunked_cursor

    def spying_cursor():
        cursor = chunked_cursor()
        fetchmany = cursor.fetchmany

        def spy(size=None):
            rows = fetchmany(size)
            fetched.append(len(rows))
            return rows

        cursor.fetchmany = spy
        return cursor

    monkeypatch.setattr(connection, "chunked_cursor", spying_cursor)
    response = api.get(LIST_URL, {"format": "csv"})
    assert response.status_code == 200
    assert response.streaming
    assert fetched == []  # nothing read yet: the rows are read as the answer is sent
    parts = iter(response.streaming_content)
    received = b""
    while b"\n" not in received.partition(b"\n")[2]:  # up to the first record's line
        received += next(parts)
    # The first record left before the others were even read from the database.
    assert sum(fetched) <= 2 < len(made)
    received += b"".join(parts)
    assert fetched[:3] == [2, 2, 1]
    lines = received.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(made)
    assert {line.split(",")[0] for line in lines[1:]} == {record.slug for record in made}
