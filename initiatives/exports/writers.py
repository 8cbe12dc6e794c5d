"""Rows written as CSV, XLSX or JSON Lines, each as it is read.

Every writer takes an iterable of rows (columns.export_row) and yields the file in chunks;
nothing holds more than the chunk being written. CSV and JSON Lines leave a chunk every
`rows_per_chunk` rows; an XLSX file is a zip archive whose directory comes last, so the
workbook is written row by row (openpyxl's write-only mode) into a temporary file, which
is then sent in blocks and deleted.
"""

import csv
import datetime
import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from . import columns
from .columns import COLUMN_NAMES, COLUMNS, ITEM_SEPARATOR, Column, json_list_text, utc_text

# Bytes read from a finished XLSX file at a time while it is sent.
FILE_BLOCK = 64 * 1024


def _text(column: Column, value) -> str:
    """A value as one text cell: lists joined, dates and moments in ISO 8601."""
    if value is None:
        return ""
    if column.json_text:
        return json_list_text(value)
    if isinstance(value, list):
        return ITEM_SEPARATOR.join(column.item_text(item) for item in value)
    if isinstance(value, datetime.datetime):
        return utc_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def csv_cell(column: Column, value) -> str:
    text = _text(column, value)
    # Spreadsheets run cells that start like a formula; a leading quote keeps them text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_cells(row: dict) -> list[str]:
    return [csv_cell(column, row.get(column.name)) for column in COLUMNS]


class _Line:
    """What csv.writer writes to: each row comes back as its line, nothing is kept."""

    def write(self, line: str) -> str:
        return line


def csv_chunks(
    rows: Iterable[dict], *, rows_per_chunk: int | None = None, bom: bool = True
) -> Iterator[bytes]:
    """The CSV in UTF-8 (with a byte-order mark unless `bom` is false, so that spreadsheets
    read it as UTF-8): the header, then `rows_per_chunk` rows a chunk (as many as the
    database is read at a time, by default)."""
    rows_per_chunk = rows_per_chunk or columns.CHUNK_ROWS
    writer = csv.writer(_Line())
    yield (("\ufeff" if bom else "") + writer.writerow(COLUMN_NAMES)).encode("utf-8")
    lines = []
    for row in rows:
        lines.append(writer.writerow(csv_cells(row)))
        if len(lines) >= rows_per_chunk:
            yield "".join(lines).encode("utf-8")
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8")


def json_value(column: Column, value):
    if isinstance(value, datetime.datetime):
        return utc_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def jsonl_line(row: dict) -> str:
    """One row as a line of JSON, keys in column order, Chinese and all as UTF-8 text."""
    record = {column.name: json_value(column, row.get(column.name)) for column in COLUMNS}
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def jsonl_chunks(rows: Iterable[dict], *, rows_per_chunk: int | None = None) -> Iterator[bytes]:
    """JSON Lines (https://jsonlines.org/): one object a row, keys in column order, UTF-8."""
    rows_per_chunk = rows_per_chunk or columns.CHUNK_ROWS
    lines = []
    for row in rows:
        lines.append(jsonl_line(row))
        if len(lines) >= rows_per_chunk:
            yield "".join(lines).encode("utf-8")
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8")


def _xlsx_cell(sheet, column: Column, value):
    if isinstance(value, datetime.datetime):
        # Excel knows no time zones: the moment in UTC, as the column's description says.
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    elif not isinstance(value, int | datetime.date) and value is not None:
        value = ILLEGAL_CHARACTERS_RE.sub("", _text(column, value))
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        # Text stays text, even when it starts like a formula ("=…") or an error ("#N/A").
        cell.data_type = "s"
    return cell


def xlsx_write(rows: Iterable[dict], target) -> None:
    """The rows as an XLSX workbook of one sheet, written to `target` (a path or a binary
    file) row by row: openpyxl's write-only mode keeps no row in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("initiatives")
    sheet.freeze_panes = "A2"
    sheet.append(COLUMN_NAMES)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, column, row.get(column.name)) for column in COLUMNS])
    workbook.save(target)


def xlsx_chunks(rows: Iterable[dict]) -> Iterator[bytes]:
    """The XLSX file in blocks, written first to a temporary file that is gone once sent
    (or once the reader stops reading)."""
    with tempfile.TemporaryFile(prefix="concord-export-", suffix=".xlsx") as file:
        xlsx_write(rows, file)
        file.seek(0)
        while block := file.read(FILE_BLOCK):
            yield block


@dataclass(frozen=True)
class ExportFormat:
    """A format an export may be asked in: its file name, media type and writer."""

    name: str
    extension: str
    media_type: str
    content_type: str

    @property
    def filename(self) -> str:
        return f"initiatives.{self.extension}"

    @property
    def disposition(self) -> str:
        return f'attachment; filename="{self.filename}"'


FORMATS = {
    "csv": ExportFormat("csv", "csv", "text/csv", "text/csv; charset=utf-8"),
    "xlsx": ExportFormat(
        "xlsx",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "jsonl": ExportFormat("jsonl", "jsonl", "application/jsonl", "application/jsonl; charset=utf-8"),
}


def export_chunks(format_name: str, rows: Iterable[dict]) -> Iterator[bytes]:
    """The rows in this format (a key of FORMATS), in chunks."""
    if format_name == "csv":
        return csv_chunks(rows)
    if format_name == "jsonl":
        return jsonl_chunks(rows)
    if format_name == "xlsx":
        return xlsx_chunks(rows)
    raise ValueError(format_name)
