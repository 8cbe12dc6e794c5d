"""The columns of every export, defined once: name, type and description.

The descriptions are what `datapackage.json` and the Open data page say of each column;
the types are Frictionless Data field types (https://specs.frictionlessdata.io/table-schema/).
A list (countries, tags …) is an array in JSON Lines and one cell of items joined by "; " in
CSV and XLSX; `results` is an array of objects in JSON Lines and that array as JSON text in
CSV and XLSX. A record's text in its other language (its translation) is four flat columns
per record language, `title_<code>`, `summary_<code>`, `body_<code>` and
`translation_status_<code>` (code `en`, `zh_hans`), the same in every format; those of the
record's own language stay empty, its text being in `title`, `summary` and `body`.
`source_url` and `external_id` are the columns an import matches rows on.
"""

import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import JSONField, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from governance.choices import Language
from governance.models import ActionLine, KeyTask

from ..history import TEXT_FIELDS, link_item, results_with_numbers, snapshot_of
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
    # A list written whole as JSON text in a CSV or XLSX cell, rather than item by item.
    json_text: bool = False

    @property
    def text_type(self) -> str:
        """The column's type in CSV: a list is one text cell (a JSON array is Frictionless's
        own text form of an array)."""
        return "string" if self.type == "array" and not self.json_text else self.type


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


# The code of a record language in a column name: zh-hans is zh_hans.
def language_suffix(language: str) -> str:
    return language.replace("-", "_")


# Each record language's translation columns: {language: {field: column name}}, the fields
# being title, summary, body and status.
TRANSLATION_COLUMNS: dict[str, dict[str, str]] = {
    language: {
        **{field: f"{field}_{language_suffix(language)}" for field in TEXT_FIELDS},
        "status": f"translation_status_{language_suffix(language)}",
    }
    for language in Language.values
}


def _translation(language: str, field: str) -> Callable[[Initiative, dict], Any]:
    """One field of the record's translation into `language`; None for its own language and
    for a language it has no translation into."""

    def read(initiative, snapshot):
        entry = (snapshot.get("translations") or {}).get(language)
        if initiative.language == language or not entry:
            return None
        return entry.get(field) or ""

    return read


@dataclass(frozen=True)
class _LanguageText:
    """A column description naming a language, translated when it is written out."""

    text: Any
    language: str

    def __str__(self) -> str:
        return str(self.text) % {"language": Language(self.language).label}


def _translation_columns() -> tuple[Column, ...]:
    descriptions = {
        "title": _("Title in %(language)s, when the record is translated into it; empty otherwise."),
        "summary": _("Summary in %(language)s, plain text; empty without a translation into it."),
        "body": _("Full description in %(language)s, in Markdown; empty without a translation into it."),
        "status": _(
            "Who wrote the %(language)s text: person (translated by a person) or pending (a draft not "
            "yet checked by a person); empty when the record has no %(language)s translation or was "
            "written in %(language)s (its text is then title, summary and body)."
        ),
    }
    return tuple(
        Column(
            name,
            "string",
            _LanguageText(descriptions[field], language),
            _translation(language, field),
        )
        for language, names in TRANSLATION_COLUMNS.items()
        for field, name in names.items()
    )


def _results(initiative, snapshot) -> list[dict]:
    """The results as the API gives them: values as JSON numbers (the snapshot keeps text)."""
    return results_with_numbers(snapshot.get("results") or [])


def json_list_text(value: list) -> str:
    """A list written whole in one CSV or XLSX cell (results): the JSON array JSON Lines
    holds; empty when the list is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""


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
    Column(
        "language",
        "string",
        _("Language the record was written in (its title, summary and body): en or zh-hans."),
        _field("language"),
    ),
    *_translation_columns(),
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
        "results",
        "array",
        _(
            "What a project or programme sets out to achieve, as the API gives it: results, each with "
            "id, title and indicators (id, name, unit, baseline, target and periods of start, end and "
            "actual value); an array in JSON Lines, the same array as JSON text in CSV and XLSX, empty "
            "when none."
        ),
        _results,
        json_text=True,
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
