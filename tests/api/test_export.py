"""`?format=csv|xlsx|jsonl` on the initiatives list: the whole filtered set the list pages
through for this caller, in its order, as a file; a draft never reaches anyone who may not
read it."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives import services
from initiatives.exports.columns import COLUMN_NAMES
from initiatives.history import link_item
from tests import factories

LIST_URL = "/api/v1/initiatives/"
FORMATS = ("csv", "xlsx", "jsonl")
CHINESE_TITLE = "网络空间命运共同体：数字丝绸之路合作"
CHINESE_BODY = "加强多边机制在网络空间全球治理中的中流砥柱作用。\n\n**全球南方**"


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows_of(file_format: str, data: bytes) -> list[dict]:
    """The file's rows as dicts keyed by its header (JSON Lines: the objects)."""
    if file_format == "csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    if file_format == "jsonl":
        return [json.loads(line) for line in data.decode("utf-8").splitlines()]
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert header == COLUMN_NAMES
    return [dict(zip(header, row, strict=True)) for row in rows]


def listed(client, filters: dict) -> list[str]:
    response = client.get(LIST_URL, {**filters, "page_size": 100})
    assert response.status_code == 200, response.content
    return [record["slug"] for record in response.json()["results"]]


def exported(client, filters: dict, file_format: str) -> list[str]:
    response = client.get(LIST_URL, {**filters, "format": file_format})
    assert response.status_code == 200, body_of(response)
    return [row["slug"] for row in rows_of(file_format, body_of(response))]


@pytest.fixture
def catalogue(db):
    owner = factories.contributor()
    made = {
        "chinese": factories.make_initiative(
            state="published",
            title=CHINESE_TITLE,
            body=CHINESE_BODY,
            language="zh-hans",
            kind="event",
            tags=["数字经济"],
            countries=["CN", "PK"],
        ),
        "event": factories.make_initiative(
            state="published", title="=SUM(A1)", kind="event", countries=["KE"]
        ),
        "project": factories.make_initiative(state="published", title="Alpha project", kind="project"),
        "draft": factories.make_initiative(owner=owner, title="Unpublished draft", kind="event"),
        "submitted": factories.make_initiative(state="submitted", title="Waiting submission", kind="event"),
    }
    return owner, made


FILTERS = [
    {},
    {"kind": "event"},
    {"country": "KE"},
    {"tag": "数字经济"},
    {"moderation_state": "draft"},
    {"ordering": "title"},
    {"q": "Alpha"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", FORMATS)
def test_each_format_holds_exactly_the_rows_the_list_shows_each_caller(
    catalogue, api, client_for, file_format
):
    owner, made = catalogue
    callers = {
        "anonymous": api,
        "owner": client_for(owner),
        "stranger": client_for(factories.contributor()),
        "curator": client_for(factories.curator()),
    }
    for name, client in callers.items():
        for filters in FILTERS:
            assert exported(client, filters, file_format) == listed(client, filters), (name, filters)
        every = exported(client, {}, file_format)
        assert (made["draft"].slug in every) is (name in ("owner", "curator")), name
        assert (made["submitted"].slug in every) is (name == "curator"), name
    assert exported(api, {"moderation_state": "draft"}, file_format) == []


@pytest.mark.django_db
def test_each_format_gives_its_media_type_and_file_name(catalogue, api):
    expected = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "jsonl": "application/jsonl; charset=utf-8",
    }
    for file_format, content_type in expected.items():
        response = api.get(LIST_URL, {"format": file_format})
        assert response.status_code == 200
        assert response.streaming
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="initiatives.{file_format}"'
        by_accept = api.get(LIST_URL, HTTP_ACCEPT=content_type.split(";")[0])
        assert by_accept.status_code == 200
        assert by_accept["Content-Type"] == content_type
        assert rows_of(file_format, body_of(by_accept)) == rows_of(file_format, body_of(response))


@pytest.mark.django_db
def test_chinese_text_and_every_column_come_back_as_written(catalogue, api):
    _owner, made = catalogue
    record = made["chinese"]
    by_format = {
        file_format: next(
            row
            for row in rows_of(file_format, body_of(api.get(LIST_URL, {"format": file_format})))
            if row["slug"] == record.slug
        )
        for file_format in FORMATS
    }
    line = by_format["jsonl"]
    assert list(line) == list(COLUMN_NAMES)
    assert line["title"] == CHINESE_TITLE
    assert line["body"] == CHINESE_BODY
    assert line["tags"] == ["数字经济"]
    assert line["countries"] == ["CN", "PK"]
    assert line["stakeholders"] == [{"stakeholder": "undp", "role": "lead"}]
    assert line["links"] == [link_item({"url": "https://example.org/source", "title": "Source"})]
    assert line["source_url"] == "https://example.org/source"
    assert line["external_id"] is None
    assert line["version"] == record.version
    assert line["moderation_state"] == "published"
    for file_format in ("csv", "xlsx"):
        row = by_format[file_format]
        assert row["title"] == CHINESE_TITLE
        assert row["body"] == CHINESE_BODY
        assert row["tags"] == "数字经济"
        assert row["countries"] == "CN; PK"
        assert row["stakeholders"] == "undp:lead"
        assert row["source_url"] == "https://example.org/source"
        assert row["external_id"] in ("", None)
    # The JSON list and the export agree on the moment the record last changed.
    listed_record = api.get(f"{LIST_URL}{record.slug}/").json()
    assert line["updated_at"] == by_format["csv"]["updated_at"] == listed_record["updated_at"]


@pytest.mark.django_db
def test_the_workbook_keeps_text_that_looks_like_a_formula_as_text(catalogue, api):
    _owner, made = catalogue
    data = body_of(api.get(LIST_URL, {"format": "xlsx", "kind": "event"}))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    titles = {row[COLUMN_NAMES.index("title")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "=SUM(A1)" in titles
    cell = next(c for c in sheet["D"] if c.value == "=SUM(A1)")
    assert cell.data_type == "s"
    header = [cell.value for cell in sheet[1]]
    first = [cell.value for cell in sheet[2]]
    assert header == list(COLUMN_NAMES)
    assert isinstance(first[header.index("version")], int)
    # Moments are spreadsheet dates (in UTC), not text.
    assert isinstance(first[header.index("updated_at")], datetime.datetime)


@pytest.mark.django_db
def test_an_external_id_is_exported(catalogue, api):
    _owner, made = catalogue
    made["project"].__class__.objects.filter(pk=made["project"].pk).update(external_id="undp-2026-0042")
    for file_format in FORMATS:
        rows = rows_of(file_format, body_of(api.get(LIST_URL, {"format": file_format, "kind": "project"})))
        assert [row["external_id"] for row in rows] == ["undp-2026-0042"]


@pytest.mark.django_db
def test_an_unknown_format_or_bad_filter_is_a_clear_error_not_a_file(catalogue, api):
    response = api.get(LIST_URL, {"format": "xml"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert "xml" in detail and "csv" in detail and "xlsx" in detail and "jsonl" in detail
    for file_format in FORMATS:
        response = api.get(LIST_URL, {"format": file_format, "country": "ZZ"})
        assert response.status_code == 400
        assert "country" in response.json()
        response = api.get(LIST_URL, {"format": file_format, "page_size": "lots"})
        assert response.status_code == 400


@pytest.mark.django_db
def test_the_schema_names_the_formats(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    listing = schema["paths"]["/api/v1/initiatives/"]["get"]
    content = listing["responses"]["200"]["content"]
    assert {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/jsonl",
    } <= set(content)
    formats = next(p for p in listing["parameters"] if p["name"] == "format")
    assert {"json", "csv", "xlsx", "jsonl"} <= set(formats["schema"]["enum"])


@pytest.mark.django_db
def test_an_export_costs_the_same_queries_whatever_its_length(client_for):
    client = client_for(factories.curator())

    def queries(file_format: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST_URL, {"format": file_format, "kind": "event"})
            rows = rows_of(file_format, body_of(response))
        return len(captured), len(rows)

    factories.make_initiative(state="published", kind="event")
    queries("csv")  # first use: the token's and the content types' lookups
    few = {file_format: queries(file_format) for file_format in FORMATS}
    for _ in range(6):
        factories.make_initiative(state="published", kind="event", countries=["KE", "BR", "CN"])
    many = {file_format: queries(file_format) for file_format in FORMATS}
    for file_format in FORMATS:
        assert few[file_format][1] == 1 and many[file_format][1] == 7
        assert many[file_format][0] == few[file_format][0], file_format


@pytest.mark.django_db
def test_translations_results_and_source_details_are_exported_as_the_api_gives_them(api):
    curator = factories.curator()
    record = factories.make_initiative(
        state="published",
        title=CHINESE_TITLE,
        summary="中文摘要。",
        language="zh-hans",
        kind="programme",
        links=[
            {
                "url": "https://example.org/silk",
                "title": "来源",
                "publisher": "中国—东盟中心",
                "language": "zh-hans",
                "published_on": "2024-01-05",
                "accessed_on": "2025-02-01",
            }
        ],
        translations={"en": {"title": "Digital Silk Road", "summary": "In English.", "body": "**Body**"}},
        results=[
            {
                "title": "Talent trained",
                "indicators": [
                    {
                        "name": "People trained",
                        "unit": "people",
                        "baseline": 0,
                        "target": 2000,
                        "periods": [{"start": "2024-01-01", "end": "2024-12-31", "actual": 812.5}],
                    }
                ],
            }
        ],
    )
    services.source_check(actor=curator, initiative=record, url="https://example.org/silk", checked=True)
    given = api.get(f"{LIST_URL}{record.slug}/").json()
    by_format = {
        file_format: rows_of(file_format, body_of(api.get(LIST_URL, {"format": file_format})))[0]
        for file_format in FORMATS
    }

    line = by_format["jsonl"]
    assert line["results"] == given["results"]
    assert line["results"][0]["indicators"][0]["periods"][0]["actual"] == 812.5
    assert line["links"] == given["links"]
    assert line["links"][0]["checked"] is True and line["links"][0]["publisher"] == "中国—东盟中心"
    for file_format, row in by_format.items():
        english = given["translations"]["en"]
        assert (row["title_en"], row["summary_en"], row["body_en"], row["translation_status_en"]) == (
            english["title"],
            english["summary"],
            english["body"],
            "person",
        ), file_format
        # The original's text is in title, summary and body; its own columns stay empty.
        assert row["title"] == CHINESE_TITLE
        assert row["title_zh_hans"] in ("", None) and row["translation_status_zh_hans"] in ("", None)
        if file_format != "jsonl":
            assert json.loads(row["results"]) == given["results"]
