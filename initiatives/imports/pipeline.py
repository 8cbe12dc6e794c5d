"""The rows of a file through the services, each reported as created, updated, unchanged or
refused, field by field.

django-import-export parses the files (reading.py), but its Resource pipeline saves model
instances itself; here every write goes through the services instead (initiative_create,
initiative_edit: permission, validation, version claim, history, events), so an imported
record is made and changed exactly as one made in the form. A row is matched on its
`external_id`, else on its `source_url` (a record's first source link, as the export writes
it); a matched row that would change nothing is "unchanged" and not written at all, which is
why importing the same file twice changes nothing the second time.

The rows run a chunk at a time, each chunk in one transaction and each row in a savepoint,
so a refused row leaves the others be and the progress between chunks can be seen from
outside. A dry run rolls every chunk back: the report says exactly what an import would do,
and nothing is written. A key met twice in one file is refused the second time, so chunks
never depend on one another.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import translation
from django.utils.translation import gettext as _

from .. import rules, services
from ..exports.columns import TRANSLATION_COLUMNS, export_queryset
from ..history import (
    LINK_DEFAULTS,
    RELATION_FIELDS,
    TEXT_FIELDS,
    link_item,
    links_checked,
    snapshot_of,
    snapshot_values,
    translations_merge,
)
from ..models import Initiative, PendingRevision, SourceLink
from ..services.sources import may_check_sources
from .reading import COLUMN_OF_FIELD, LINK_DETAILS, ImportFile, ImportRow, import_row_values

CREATE, UPDATE, UNCHANGED, REFUSED = "create", "update", "unchanged", "refused"
ACTIONS = (CREATE, UPDATE, UNCHANGED, REFUSED)
# Rows read, matched and written in one transaction.
CHUNK_ROWS = 200
# Where a refusal concerns the row as a whole rather than one of its columns.
ROW = "row"


@dataclass
class ImportRun:
    """What an import has met so far: the keys of earlier rows and the report's entries."""

    actor: object
    change_message: str
    seen_ids: dict = field(default_factory=dict)
    seen_urls: dict = field(default_factory=dict)
    entries: list = field(default_factory=list)


def import_rows(
    *,
    actor,
    file: ImportFile,
    dry_run: bool,
    language: str,
    filename: str = "",
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Import every row of `file` as `actor` (or only say what would happen, when `dry_run`);
    the report, in `language`: counts by action and one entry per row."""
    with translation.override(language):
        run = ImportRun(
            actor=actor,
            change_message=_("Imported from %(file)s") % {"file": filename} if filename else _("Imported"),
        )
        total = len(file)
        for start in range(0, total, CHUNK_ROWS):
            rows = [import_row_values(file, index) for index in range(start, min(start + CHUNK_ROWS, total))]
            with transaction.atomic():
                _chunk_import(run, rows)
                if dry_run:
                    transaction.set_rollback(True)
            if progress:
                progress(min(start + CHUNK_ROWS, total))
    counts = dict.fromkeys(ACTIONS, 0)
    for entry in run.entries:
        counts[entry["action"]] += 1
    return {"dry_run": dry_run, "total": total, "counts": counts, "rows": run.entries}


def _chunk_import(run: ImportRun, rows: list[ImportRow]) -> None:
    by_id, by_url = _matches(rows)
    for row in rows:
        entry = {"row": row.number, "action": REFUSED, "slug": "", "title": str(row.data.get("title") or "")}
        try:
            entry.update(_row_import(run, row, by_id, by_url))
        except ValidationError as error:
            entry["errors"] = _field_errors(error)
        except PermissionDenied as error:
            entry["errors"] = {ROW: [str(error) or _("You may not change this record.")]}
        except (services.ConcurrentEditError, DatabaseError) as error:
            entry["errors"] = {ROW: [_("The record could not be written: %(reason)s") % {"reason": error}]}
        run.entries.append(entry)


def _matches(rows: list[ImportRow]) -> tuple[dict, dict]:
    """The records the rows name: by external_id, and by the address of their first link."""
    ids = {row.external_id for row in rows if row.external_id}
    urls = {row.source_url for row in rows if row.source_url}
    by_id = {
        record.external_id: record
        for record in export_queryset(Initiative.objects.filter(external_id__in=ids))
    }
    by_url: dict[str, list] = {}
    if urls:
        first = (
            SourceLink.objects.filter(initiative=OuterRef("pk")).order_by("position", "id").values("url")[:1]
        )
        candidates = (
            Initiative.objects.filter(links__url__in=urls, merged_into__isnull=True)
            .annotate(first_url=Subquery(first))
            .filter(first_url__in=urls)
            .distinct()
        )
        for record in export_queryset(candidates).order_by("pk"):
            by_url.setdefault(record.first_url, []).append(record)
    return by_id, by_url


def _refused(column: str, message: str) -> dict:
    return {"action": REFUSED, "errors": {column: [message]}}


def _row_import(run: ImportRun, row: ImportRow, by_id: dict, by_url: dict) -> dict:
    if row.errors:
        return {"action": REFUSED, "errors": row.errors}
    for key, seen, column in (
        (row.external_id, run.seen_ids, "external_id"),
        (row.source_url, run.seen_urls, "source_url"),
    ):
        if key and key in seen:
            return _refused(
                column, _("Row %(row)d has the same %(column)s.") % {"row": seen[key], "column": column}
            )
        if key:
            seen[key] = row.number
    record, matched_on = by_id.get(row.external_id) if row.external_id else None, "external_id"
    if record is None and row.source_url:
        found = by_url.get(row.source_url) or []
        if len(found) > 1 and row.slug:
            # Records exported from here carry their slug, which tells them apart.
            found = [candidate for candidate in found if candidate.slug == row.slug] or found
        if len(found) > 1:
            return _refused(
                "source_url",
                _("%(count)d records begin with this source link (%(slugs)s); give an external_id.")
                % {"count": len(found), "slugs": ", ".join(r.slug for r in found)},
            )
        record, matched_on = (found[0], "source_url") if found else (None, "")
        if record is not None and row.external_id and record.external_id:
            return _refused(
                "external_id",
                _("The record with this source link (%(slug)s) has another external_id, %(id)s.")
                % {"slug": record.slug, "id": record.external_id},
            )
    if record is None:
        return _create(run, row)
    return {"matched_on": matched_on, **_update(run, row, record)}


def _with_source_url(links: list, source_url: str) -> list:
    """The links with the row's source_url first, as the export reads it back."""
    if not source_url or (links and links[0]["url"] == source_url):
        return links
    return [{"url": source_url, "title": None}] + [link for link in links if link["url"] != source_url]


def _detailed(links: list, current: list) -> list:
    """Links given by address alone keep the details the record has for that address (its
    title, publisher, language and dates); whether it was checked is the services' to keep."""
    known = {}
    for link in current:
        known.setdefault(link["url"], link_item(link))
    detailed = []
    for link in links:
        kept = known.get(link["url"], LINK_DEFAULTS)
        detailed.append(
            {
                **link,
                **{
                    key: kept[key]
                    for key in LINK_DETAILS
                    if key not in link or (key == "title" and link["title"] is None)
                },
            }
        )
    return detailed


def _own_results(results: list, current: list) -> list:
    """The row's results with the ids the record holds; an id of no result or indicator of
    the record (a file from another site, or another record's row) is a new item."""
    result_ids = {result["id"] for result in current}
    indicator_ids = {indicator["id"] for result in current for indicator in result["indicators"]}

    def own(item: dict, known: set) -> dict:
        item_id = item.get("id")
        if isinstance(item_id, str) and item_id.strip().isdigit():
            item_id = int(item_id)
        return {**item, "id": item_id if item_id in known else None}

    return [
        {
            **own(result, result_ids),
            "indicators": [
                own(indicator, indicator_ids) if isinstance(indicator, dict) else indicator
                for indicator in result.get("indicators") or []
            ],
        }
        for result in results
    ]


def _without_ids(results: list) -> list:
    """Results as their content alone, for comparing what a file gives with what a record has."""
    return [
        {
            **{key: value for key, value in result.items() if key != "id"},
            "indicators": [
                {key: value for key, value in indicator.items() if key != "id"}
                for indicator in result.get("indicators") or []
            ],
        }
        for result in results
    ]


def _with_current(data: dict, current: dict) -> dict:
    """The row's translations laid over the record's (a language or field the file lacks is
    kept), and its results with ids the record holds."""
    data = dict(data)
    if "translations" in data:
        data["translations"] = translations_merge(current.get("translations") or {}, data["translations"])
    if "results" in data:
        data["results"] = _own_results(data["results"], current.get("results") or [])
    return data


def _changed_columns(name: str, new, old) -> list[str]:
    """The file's columns that would change the record's field `name`."""
    if new == old or (name in RELATION_FIELDS and not new and not old):
        return []
    if name != "translations" or not isinstance(new, dict):
        return [COLUMN_OF_FIELD.get(name, name)]
    old = old or {}
    columns = []
    for language, names in TRANSLATION_COLUMNS.items():
        before, after = old.get(language) or {}, new.get(language) or {}
        fields = (*TEXT_FIELDS, "status")
        columns += [names[field] for field in fields if (before.get(field) or "") != (after.get(field) or "")]
    return columns or ["translations"]


def _create(run: ImportRun, row: ImportRow) -> dict:
    data = _with_current(row.data, {})
    if row.source_url:
        data["links"] = _with_source_url(data.get("links") or [], row.source_url)
    if "links" in data:
        data["links"] = _detailed(data["links"], [])
    with transaction.atomic():
        initiative = services.initiative_create(
            actor=run.actor, data=data, change_message=run.change_message, external_id=row.external_id or None
        )
    return {"action": CREATE, "slug": initiative.slug, "title": initiative.title}


def _update(run: ImportRun, row: ImportRow, record: Initiative) -> dict:
    identity = {"slug": record.slug, "title": record.title}
    if rules.edit_mode(run.actor, record) is None:
        return {**identity, **_refused(ROW, _("You may not edit this initiative in its current state."))}
    current = getattr(record, "current_snapshot", None) or snapshot_of(record)
    # Snapshots written before a link detail existed read it at its default.
    current = {**current, "links": [link_item(link) for link in current.get("links") or []]}
    data = _with_current(row.data, current)
    if "links" in data:
        links = _with_source_url(data["links"], row.source_url)
        data["links"] = _detailed(links, current.get("links") or [])
    values = snapshot_values(data)
    if "links" in values:
        # Compared as the services would write them, each checked as the record has it.
        values["links"] = links_checked(
            values["links"],
            current=current.get("links") or [],
            actor=run.actor,
            may_check=may_check_sources(run.actor, record),
        )
    if "results" in values and _without_ids(values["results"]) == _without_ids(current.get("results") or []):
        # The same results, whatever ids the file gave them (a file from another site holds
        # its own): left as they are, so notes that report against an indicator keep it.
        del values["results"], data["results"]
    changes = []
    for name, value in values.items():
        changes += _changed_columns(name, value, current.get(name))
    if row.external_id and record.external_id != row.external_id:
        changes.append("external_id")
    if not changes:
        return {"action": UNCHANGED, **identity}
    with transaction.atomic():
        result = services.initiative_edit(
            actor=run.actor,
            initiative=record,
            data=data,
            expected_version=record.version,
            change_message=run.change_message,
            external_id=row.external_id or None,
        )
    held = isinstance(result, PendingRevision)
    return {
        "action": UPDATE,
        **identity,
        "title": values.get("title", record.title),
        "changes": changes,
        "held": held,
    }


def _field_errors(error: ValidationError) -> dict:
    """A service's refusal by the file's column names."""
    if not hasattr(error, "error_dict"):
        return {ROW: error.messages}
    return {COLUMN_OF_FIELD.get(name, name): messages for name, messages in error.message_dict.items()}
