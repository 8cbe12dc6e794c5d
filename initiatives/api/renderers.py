"""CSV of the initiatives list (`?format=csv`): one row per record, lists joined by "; ".

The list is streamed: rows are read from the database in chunks and written as they come,
so an export of the whole catalogue holds one chunk in memory, not every record.
"""

import csv

from rest_framework.renderers import BaseRenderer

DISPOSITION = 'attachment; filename="initiatives.csv"'
COLUMNS = [
    "slug",
    "title",
    "summary",
    "language",
    "key_task",
    "action_line",
    "kind",
    "status",
    "start_date",
    "end_date",
    "countries",
    "stakeholders",
    "advocacies",
    "tags",
    "links",
    "owner",
    "moderation_state",
    "version",
    "created_at",
    "updated_at",
    "published_at",
]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(
            f"{item['stakeholder']}:{item['role']}"
            if isinstance(item, dict) and "stakeholder" in item
            else item.get("url", "")
            if isinstance(item, dict)
            else str(item)
            for item in value
        )
    value = str(value)
    # Spreadsheets run cells that start like a formula; a leading quote keeps them text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class _Line:
    """What csv.writer writes to: each row comes back as its line, nothing is kept."""

    def write(self, line: str) -> str:
        return line


def csv_chunks(records, *, rows_per_chunk: int = 1):
    """The CSV as text chunks (the header, then `rows_per_chunk` records each) from an
    iterable of API representations, which is read no further than the chunk being made."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(COLUMNS)
    lines = []
    for row in records:
        lines.append(writer.writerow(_cell(row.get(column)) for column in COLUMNS))
        if len(lines) >= rows_per_chunk:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


class InitiativeCSVRenderer(BaseRenderer):
    """Chooses CSV for `?format=csv`; the view streams the rows itself (see csv_chunks)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        response = renderer_context.get("response") if renderer_context else None
        if response is not None:
            response["Content-Disposition"] = DISPOSITION
        records = data if isinstance(data, list) else []
        return "".join(csv_chunks(records, rows_per_chunk=len(records) or 1)).encode("utf-8")
