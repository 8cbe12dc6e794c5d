"""CSV of the initiatives list (`?format=csv`): one row per record, lists joined by "; "."""

import csv
import io

from rest_framework.renderers import BaseRenderer

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


class InitiativeCSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for row in data if isinstance(data, list) else []:
            writer.writerow(_cell(row.get(column)) for column in COLUMNS)
        response = renderer_context.get("response") if renderer_context else None
        if response is not None:
            response["Content-Disposition"] = 'attachment; filename="initiatives.csv"'
        return ("\ufeff" + out.getvalue()).encode("utf-8")
