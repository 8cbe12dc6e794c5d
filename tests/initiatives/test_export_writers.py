"""The writers keep any text a record may hold: a spreadsheet cell never becomes a formula or
an error value, and a control character a workbook cannot hold is dropped, not a failed export."""

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
