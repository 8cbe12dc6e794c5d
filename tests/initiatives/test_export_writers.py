"""The writers keep any text a record may hold: a spreadsheet cell never becomes a formula or
an error value, and a control character a workbook cannot hold is dropped, not a failed export."""

import csv
import io
import json

import openpyxl

from initiatives.exports.columns import COLUMN_NAMES
from initiatives.exports.writers import csv_chunks, jsonl_chunks, xlsx_write


def row(**values) -> dict:
    return {name: values.get(name) for name in COLUMN_NAMES}


def test_awkward_text_survives_every_format():
    rows = [
        row(slug="a", title="#N/A", summary='=HYPERLINK("x")', body="line\x0bbreak 中文", tags=["-1", "@x"])
    ]
    target = io.BytesIO()
    xlsx_write(rows, target)
    sheet = openpyxl.load_workbook(io.BytesIO(target.getvalue())).active
    cells = dict(zip(COLUMN_NAMES, [cell for cell in sheet[2]], strict=False))
    assert cells["title"].value == "#N/A" and cells["title"].data_type == "s"
    assert cells["summary"].value == '=HYPERLINK("x")' and cells["summary"].data_type == "s"
    assert cells["body"].value == "linebreak 中文"
    assert cells["tags"].value == "-1; @x"

    text = b"".join(csv_chunks(rows)).decode("utf-8-sig")
    assert '\'=HYPERLINK(""x"")' in text and "'-1; @x" in text

    line = json.loads(b"".join(jsonl_chunks(rows)))
    assert line["body"] == "line\x0bbreak 中文" and line["tags"] == ["-1", "@x"]


RESULTS = [
    {
        "id": 7,
        "title": "Farmers reached",
        "indicators": [
            {
                "id": 9,
                "name": "Farmers registered",
                "unit": "farmers",
                "baseline": 0,
                "target": 1.5,
                "periods": [{"start": "2024-01-01", "end": "2024-12-31", "actual": 1.25}],
            }
        ],
    }
]


def test_results_are_an_array_in_json_lines_and_that_array_as_json_text_in_a_cell():
    rows = [
        row(slug="a", results=RESULTS, title_en="Digital Silk Road", translation_status_en="person"),
        row(slug="b", results=[]),
    ]

    first, second = csv.DictReader(io.StringIO(b"".join(csv_chunks(rows)).decode("utf-8-sig")))
    assert json.loads(first["results"]) == RESULTS and second["results"] == ""
    assert (first["title_en"], first["translation_status_en"], first["title_zh_hans"]) == (
        "Digital Silk Road",
        "person",
        "",
    )

    target = io.BytesIO()
    xlsx_write(rows, target)
    sheet = openpyxl.load_workbook(io.BytesIO(target.getvalue())).active
    cells = dict(zip(COLUMN_NAMES, [cell.value for cell in sheet[2]], strict=False))
    assert json.loads(cells["results"]) == RESULTS and cells["title_en"] == "Digital Silk Road"

    lines = [json.loads(line) for line in b"".join(jsonl_chunks(rows)).decode().splitlines()]
    assert lines[0]["results"] == RESULTS and lines[1]["results"] == []
    assert lines[0]["title_en"] == "Digital Silk Road" and lines[0]["body_zh_hans"] is None


def test_every_record_language_has_its_four_translation_columns_after_language():
    start = COLUMN_NAMES.index("language") + 1
    assert COLUMN_NAMES[start : start + 8] == (
        "title_en",
        "summary_en",
        "body_en",
        "translation_status_en",
        "title_zh_hans",
        "summary_zh_hans",
        "body_zh_hans",
        "translation_status_zh_hans",
    )
    assert COLUMN_NAMES.index("results") == COLUMN_NAMES.index("links") + 1
