"""The plumbing every write to a record shares: the row lock, the version claimed with
`UPDATE … WHERE version = n`, the content written as a new version, and the event that
says who did what.

A version is claimed atomically, so a concurrent writer is refused (ConcurrentEditError),
never silently overwritten. A queryset's update() is Django's own and records nothing, so
what follows a write is said here: the kept API answers are retired (catalogue_changed)
wherever a row changes, and the history entry is written by the caller (revision_record).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone

from ..catalogue import catalogue_changed
from ..history import (
    DATE_FIELDS,
    RELATION_FIELDS,
    SCALAR_FIELDS,
    SLUG_FIELDS,
    revision_record,
    snapshot_apply_relations,
)
from ..markup import render_markdown
from ..models import Initiative, InitiativeEvent, InitiativeTranslation, Revision
from ..search import search_document
from ..vocabulary import tag_search_words
from .exceptions import ConcurrentEditError


def deny(message: str):
    raise PermissionDenied(message)


def event_record(*, initiative, actor, action, from_state=None, to_state=None, reason="") -> InitiativeEvent:
    """Record a step; a state left out is the record's current one (most steps keep it)."""
    return InitiativeEvent.objects.create(
        initiative=initiative,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_state=initiative.moderation_state if from_state is None else from_state,
        to_state=initiative.moderation_state if to_state is None else to_state,
        reason=reason,
    )


def initiative_locked(initiative: Initiative) -> Initiative:
    """Re-read the row under a lock, so checks and writes see the same state."""
    fresh = (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("key_task", "action_line")
        .get(pk=initiative.pk)
    )
    return fresh


def column_values(resolved: dict) -> dict:
    columns = {}
    for field, value in resolved.items():
        if field in SCALAR_FIELDS or field in DATE_FIELDS:
            columns[field] = value
        elif field in SLUG_FIELDS:
            columns[f"{field}_id"] = value.pk if value is not None else None
    if "body" in columns:
        # Rendered once per version here, so that no page view renders it (markup.py).
        columns["body_html"] = render_markdown(columns["body"])
    return columns


def _search_document_write(initiative: Initiative) -> None:
    """The record's search text: its own words, and in `search_extra` its translations' and
    its tags' (their names, labels and synonyms), which the stored English vector also reads."""
    row = Initiative.objects.filter(pk=initiative.pk).values("title", "summary", "body").get()
    translated = " ".join(
        part
        for texts in InitiativeTranslation.objects.filter(initiative=initiative).values_list(
            "title", "summary", "body"
        )
        for part in texts
        if part
    )
    extra = f"{translated} {tag_search_words(initiative.tags.all())}".strip()
    Initiative.objects.filter(pk=initiative.pk).update(
        search_document=search_document(**row, extra=extra), search_extra=extra
    )


def search_refresh(initiative: Initiative) -> None:
    _search_document_write(initiative)
    catalogue_changed()


def searches_refresh(*, initiative_ids) -> None:
    """The search documents of these records again (their tags' labels or synonyms changed)."""
    for initiative in Initiative.objects.filter(pk__in=list(initiative_ids)).only("pk"):
        _search_document_write(initiative)
    catalogue_changed()


def initiative_version_check(*, initiative: Initiative, expected_version: int | None) -> int:
    """The record's current version, once it is the one the editor loaded; otherwise
    ConcurrentEditError. Forms that show the refusal next to the input (the admin's) ask here."""
    expected = initiative.version if expected_version is None else int(expected_version)
    current = Initiative.objects.filter(pk=initiative.pk).values_list("version", flat=True).get()
    if current != expected:
        raise ConcurrentEditError(expected=expected, current=current)
    return current


def version_bump(*, initiative: Initiative, expected_version: int | None, columns: dict | None = None) -> int:
    """Claim the next version atomically; refuse when someone else got there first."""
    expected = initiative.version if expected_version is None else int(expected_version)
    now = timezone.now()
    rows = Initiative.objects.filter(pk=initiative.pk, version=expected).update(
        version=F("version") + 1, updated_at=now, **(columns or {})
    )
    if rows == 1:
        # What anonymous readers are served changes with the row; the history entry is
        # the caller's to write, once the rest of the version is in place.
        catalogue_changed()
    else:
        current = Initiative.objects.filter(pk=initiative.pk).values_list("version", flat=True).first()
        raise ConcurrentEditError(expected=expected, current=current)
    initiative.version = expected + 1
    initiative.updated_at = now
    for column, value in (columns or {}).items():
        setattr(initiative, column, value)
    return initiative.version


def content_write(
    *, initiative, actor, resolved, expected_version, action, change_message, columns=None, extra_changes=None
) -> Revision:
    version_bump(
        initiative=initiative,
        expected_version=expected_version,
        columns={**column_values(resolved), **(columns or {})},
    )
    snapshot_apply_relations(initiative, {k: v for k, v in resolved.items() if k in RELATION_FIELDS})
    search_refresh(initiative)
    return revision_record(
        initiative=initiative,
        actor=actor,
        action=action,
        change_message=change_message,
        extra_changes=extra_changes,
    )
