"""The columns of every export, defined once: name, type and description.

The descriptions are what `datapackage.json` and the Open data page say of each column;
the types are Frictionless Data field types (https://specs.frictionlessdata.io/table-schema/).
A list (countries, tags …) is an array in JSON Lines and one cell of items joined by "; " in
CSV and XLSX. `source_url` and `external_id` are the columns an import matches rows on.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import JSONField, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from governance.models import ActionLine, KeyTask

from ..history import link_item, snapshot_of
from ..models import Initiative, Revision

# Records read from the database at a time: an export holds one such chunk in memory.
CHUNK_ROWS = 500
# How the items of a list share one CSV or XLSX cell.
ITEM_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    """One column: its name, its Frictionless type, what it holds, and how a row reads it."""

    name: str
    type: str
    description: Any
    read: Callable[[Initiative, dict], Any]
    # For lists: how one item is written in a CSV or XLSX cell.
    item_text: Callable[[Any], str] = str

    @property
    def text_type(self) -> str:
        """The column's type in CSV: a list is one text cell."""
        return "string" if self.type == "array" else self.type


def _field(name: str) -> Callable[[Initiative, dict], Any]:
    return lambda initiative, snapshot: getattr(initiative, name)


def _snapshot(name: str) -> Callable[[Initiative, dict], Any]:
    return lambda initiative, snapshot: list(snapshot.get(name) or [])


def _annotated(annotation: str, relation: str, field: str) -> Callable[[Initiative, dict], Any]:
    """A related row's name as export_queryset annotated it, or from the row itself."""

    def read(initiative, snapshot):
        value = getattr(initiative, annotation, None)
        if value is None and getattr(initiative, f"{relation}_id") is not None:
            value = getattr(getattr(initiative, relation), field)
        return value

    return read


def _source_url(initiative, snapshot) -> str | None:
    links = snapshot.get("links") or []
    return links[0]["url"] if links else None


def _participation(item: dict) -> str:
    return f"{item['stakeholder']}:{item['role']}"


def _links(initiative, snapshot) -> list[dict]:
    # Snapshots written before a link detail existed give it at its default.
    return [link_item(link) for link in snapshot.get("links") or []]


def _link(item: dict) -> str:
    return item["url"]


COLUMNS: tuple[Column, ...] = (
    Column(
        "slug",
        "string",
        _("The record's address on the site, /initiatives/<slug>/; it never changes."),
        _field("slug"),
    ),
    Column(
        "external_id",
        "string",
        _("The record's identifier in the system it was imported from; empty when none."),
        _field("external_id"),
    ),
    Column("source_url", "string", _("Web address of the record's first source link."), _source_url),
    Column("title", "string", _("Title."), _field("title")),
    Column("summary", "string", _("Summary, plain text."), _field("summary")),
    Column("body", "string", _("Full description, in Markdown."), _field("body")),
    Column("language", "string", _("Language of the text: en or zh-hans."), _field("language")),
    Column(
        "key_task",
        "string",
        _("Slug of the key task the record is filed under (one of the four)."),
        _annotated("key_task_slug", "key_task", "slug"),
    ),
    Column(
        "action_line",
        "string",
        _("Slug of the action line of that key task; empty when none."),
        _annotated("action_line_slug", "action_line", "slug"),
    ),
    Column(
        "kind",
        "string",
        _("project, dialogue, mechanism, event, network, measure or programme."),
        _field("kind"),
    ),
    Column("status", "string", _("planned, active, completed or suspended."), _field("status")),
    Column("start_date", "date", _("Start date (ISO 8601); empty when unknown."), _field("start_date")),
    Column("end_date", "date", _("End date (ISO 8601); empty when unknown or open."), _field("end_date")),
    Column(
        "countries",
        "array",
        _('ISO 3166-1 alpha-2 codes of the countries taking part; in CSV and XLSX separated by "; ".'),
        _snapshot("countries"),
    ),
    Column(
        "stakeholders",
        "array",
        _(
            "Organisations taking part, each a stakeholder slug and a role (lead, partner, funder, "
            'host, observer): objects in JSON Lines, "slug:role" separated by "; " in CSV and XLSX.'
        ),
        _snapshot("participations"),
        _participation,
    ),
    Column(
        "advocacies",
        "array",
        _('Slugs of the advocacies served (prosperity, security, inclusiveness); separated by "; ".'),
        _snapshot("advocacies"),
    ),
    Column("tags", "array", _('Tags; in CSV and XLSX separated by "; ".'), _snapshot("tags")),
    Column(
        "links",
        "array",
        _(
            "Source links: objects with url, title, publisher, language, published_on, accessed_on, "
            "checked (by a curator), checked_by and checked_at in JSON Lines, their web addresses "
            'separated by "; " in CSV and XLSX.'
        ),
        _links,
        _link,
    ),
    Column(
        "owner",
        "string",
        _("Username of the record's owner."),
        _annotated("owner_username", "owner", "username"),
    ),
    Column(
        "moderation_state",
        "string",
        _("draft, submitted, published, rejected or archived."),
        _field("moderation_state"),
    ),
    Column("version", "integer", _("Version number, raised by every change."), _field("version")),
    Column("created_at", "datetime", _("When the record was created (ISO 8601, UTC)."), _field("created_at")),
    Column("updated_at", "datetime", _("When it last changed (ISO 8601, UTC)."), _field("updated_at")),
    Column(
        "published_at",
        "datetime",
        _("When it was first published (ISO 8601, UTC); empty when never."),
        _field("published_at"),
    ),
)
COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)


def export_queryset(queryset):
    """The records of `queryset` with what their rows need, read with the row: the names of
    related rows and the relations (from the snapshot of the current version), so a row costs
    no query of its own."""
    current = Revision.objects.filter(initiative=OuterRef("pk"), version=OuterRef("version")).values(
        "snapshot"
    )[:1]
    return queryset.defer("body_html", "search_document").annotate(
        current_snapshot=Subquery(current, output_field=JSONField()),
        key_task_slug=_name_of(KeyTask, "key_task_id", "slug"),
        action_line_slug=_name_of(ActionLine, "action_line_id", "slug"),
        owner_username=_name_of(get_user_model(), "owner_id", "username"),
    )


def _name_of(model, column: str, field: str) -> Subquery:
    return Subquery(model._base_manager.filter(pk=OuterRef(column)).values(field)[:1])


def export_row(initiative: Initiative) -> dict:
    """The record as a row: column name to value (text, number, date, moment, list or None)."""
    snapshot = getattr(initiative, "current_snapshot", None) or snapshot_of(initiative)
    return {column.name: column.read(initiative, snapshot) for column in COLUMNS}


def export_rows(queryset, *, chunk_rows: int | None = None) -> Iterator[dict]:
    """The rows of `queryset` (see export_queryset) in its order, read a chunk at a time."""
    for initiative in queryset.iterator(chunk_size=chunk_rows or CHUNK_ROWS):
        yield export_row(initiative)


def utc_text(value: datetime.datetime) -> str:
    """A moment as the API writes it: ISO 8601 in UTC, with Z."""
    text = value.astimezone(datetime.UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def row_values(rows: Iterable[dict]) -> Iterator[list]:
    """Each row's values in column order."""
    for row in rows:
        yield [row.get(name) for name in COLUMN_NAMES]
