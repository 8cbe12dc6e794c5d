"""Content of a record: create a draft, edit it, delete it.

An edit that `rules.edit_mode` says must wait for a moderator becomes a proposal
(revisions.py); every other edit is a new version at once.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from governance.slugs import slug_base, slug_unique

from .. import rules
from ..announcements import public_event_announce
from ..choices import EventAction, HistoryAction, ModerationState, PublicEvent
from ..history import (
    RELATION_FIELDS,
    links_checked,
    links_of,
    revision_record,
    snapshot_apply_relations,
    snapshot_diff,
    snapshot_of,
    snapshot_resolve,
    snapshot_values,
)
from ..models import Initiative, PendingRevision
from .records import (
    column_values,
    content_write,
    deny,
    event_record,
    initiative_locked,
    initiative_version_check,
    search_refresh,
)
from .revisions import revision_propose
from .sources import may_check_sources
from .validation import current_resolved, initiative_validate, results_ids_check

State = ModerationState


@transaction.atomic
def initiative_create(
    *, actor, data: dict, change_message: str = "", external_id: str | None = None
) -> Initiative:
    """Create a draft owned by the actor; the slug is made here, once. An imported record
    keeps its identifier in the system it came from (`external_id`)."""
    if not actor.has_perm("initiatives.add_initiative"):
        deny(_("You need a contributor account to create initiatives."))
    values = snapshot_values(data)
    if "links" in values:
        values["links"] = links_checked(
            values["links"], current=[], actor=actor, may_check=may_check_sources(actor)
        )
    values.setdefault("language", "en")
    values.setdefault("status", "planned")
    values.setdefault("body", "")
    resolved = snapshot_resolve(values)
    initiative_validate(resolved)
    results_ids_check(initiative=None, resolved=resolved)
    columns = column_values(resolved)
    for attempt in range(3):
        slug = slug_unique(slug_base(columns["title"]), lambda s: Initiative.objects.filter(slug=s).exists())
        try:
            with transaction.atomic():
                initiative = Initiative.objects.create(
                    slug=slug, owner=actor, external_id=external_id or None, **columns
                )
            break
        except IntegrityError:
            # A concurrent creation drew the same slug; draw again.
            if attempt == 2:
                raise
    snapshot_apply_relations(initiative, {k: v for k, v in resolved.items() if k in RELATION_FIELDS})
    search_refresh(initiative)
    revision_record(
        initiative=initiative, actor=actor, action=HistoryAction.CREATE, change_message=change_message
    )
    event_record(initiative=initiative, actor=actor, action=EventAction.CREATE, from_state="")
    return initiative


@transaction.atomic
def initiative_edit(
    *,
    actor,
    initiative: Initiative,
    data: dict,
    expected_version: int | None = None,
    change_message: str = "",
    external_id: str | None = None,
) -> Initiative | PendingRevision:
    """Change the content; a contributor's edit of a published record waits for a moderator.
    An import may also give a record without one its identifier elsewhere (`external_id`)."""
    initiative = initiative_locked(initiative) if expected_version is None else initiative
    mode = rules.edit_mode(actor, initiative)
    if mode is None:
        deny(_("You may not edit this initiative in its current state."))
    values = snapshot_values(data)
    if "links" in values:
        values["links"] = links_checked(
            values["links"],
            current=links_of(initiative),
            actor=actor,
            may_check=may_check_sources(actor, initiative),
        )
    resolved = snapshot_resolve(values)
    initiative_validate(resolved, current=current_resolved(initiative))
    results_ids_check(initiative=initiative, resolved=resolved)
    if mode == "revision":
        return revision_propose(
            actor=actor,
            initiative=initiative,
            values=values,
            expected_version=expected_version,
            change_message=change_message,
        )
    before = snapshot_of(initiative)
    identified = bool(external_id) and initiative.external_id != external_id
    if not snapshot_diff(before, {**before, **values}) and not identified:
        # Nothing changed, but a stale editor must still hear that the record moved on.
        initiative_version_check(initiative=initiative, expected_version=expected_version)
        return initiative
    from_state = initiative.moderation_state
    columns = {"external_id": external_id} if identified else {}
    extra_changes = {"external_id": [initiative.external_id, external_id]} if identified else {}
    if from_state == State.REJECTED:
        # Editing a rejected record takes it back to draft, ready to be submitted again.
        columns["moderation_state"] = State.DRAFT
        extra_changes["moderation_state"] = [from_state, State.DRAFT]
    content_write(
        initiative=initiative,
        actor=actor,
        resolved=resolved,
        expected_version=expected_version,
        action=HistoryAction.EDIT,
        change_message=change_message,
        columns=columns or None,
        extra_changes=extra_changes or None,
    )
    event_record(
        initiative=initiative,
        actor=actor,
        action=EventAction.EDIT,
        from_state=from_state,
        reason=change_message,
    )
    public_event_announce(event=PublicEvent.UPDATED, initiative=initiative)
    return initiative


@transaction.atomic
def initiative_delete(*, actor, initiative: Initiative) -> None:
    """Remove a record for good: admins, or the owner of a never-published draft."""
    initiative = initiative_locked(initiative)
    if not actor.has_perm("initiatives.delete_initiative", initiative):
        deny(_("You may not delete this initiative."))
    initiative.delete()
