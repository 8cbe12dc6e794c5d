"""Moderation of a record: submit, approve, reject, archive, and a curator's bulk change
of status. Each step is a new version with a history entry and an event.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..announcements import member_event_announce, public_event_announce
from ..catalogue import catalogue_changed
from ..choices import (
    EventAction,
    HistoryAction,
    InitiativeStatus,
    MemberEvent,
    ModerationState,
    PublicEvent,
)
from ..history import revision_record, revisions_record_bulk
from ..models import Initiative, InitiativeEvent
from .records import deny, event_record, initiative_locked, version_bump

State = ModerationState


def _transition(
    *, initiative, actor, to_state, action, expected_version=None, reason="", columns=None
) -> Initiative:
    from_state = initiative.moderation_state
    version_bump(
        initiative=initiative,
        expected_version=expected_version,
        columns={"moderation_state": to_state, **(columns or {})},
    )
    revision_record(
        initiative=initiative,
        actor=actor,
        action=HistoryAction.TRANSITION,
        change_message=reason,
        extra_changes={"moderation_state": [from_state, to_state]},
    )
    event_record(
        initiative=initiative,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )
    return initiative


def _announce(kind: MemberEvent, *, initiative, actor, **details) -> None:
    """Tell the people around the record of a step; each step is one version, so its key."""
    member_event_announce(
        kind=kind,
        initiative=initiative,
        actor=actor,
        key=f"{kind.value}:{initiative.pk}:{initiative.version}",
        **details,
    )


@transaction.atomic
def initiative_submit(*, actor, initiative: Initiative, expected_version: int | None = None) -> Initiative:
    """Send a draft (or a rejected record, after changes) to the moderators."""
    initiative = initiative_locked(initiative)
    if not actor.has_perm("initiatives.submit_initiative", initiative):
        deny(_("Only a draft or rejected initiative can be submitted, by its owner or collaborators."))
    _transition(
        initiative=initiative,
        actor=actor,
        to_state=State.SUBMITTED,
        action=EventAction.SUBMIT,
        expected_version=expected_version,
        columns={"submitted_at": timezone.now()},
    )
    _announce(MemberEvent.SUBMITTED, initiative=initiative, actor=actor)
    return initiative


@transaction.atomic
def initiative_approve(*, actor, initiative: Initiative, expected_version: int | None = None) -> Initiative:
    """Publish a submitted record; never by whoever submitted or owns it."""
    initiative = initiative_locked(initiative)
    if not actor.has_perm("initiatives.approve_initiative", initiative):
        if initiative.moderation_state != State.SUBMITTED:
            deny(_("Only a submitted initiative can be approved."))
        deny(_("You may not approve this initiative (moderators only, never your own submission)."))
    columns = {}
    if initiative.published_at is None:
        columns["published_at"] = timezone.now()
    _transition(
        initiative=initiative,
        actor=actor,
        to_state=State.PUBLISHED,
        action=EventAction.APPROVE,
        expected_version=expected_version,
        columns=columns,
    )
    public_event_announce(event=PublicEvent.PUBLISHED, initiative=initiative)
    _announce(MemberEvent.APPROVED, initiative=initiative, actor=actor)
    return initiative


@transaction.atomic
def initiative_reject(
    *, actor, initiative: Initiative, reason: str, expected_version: int | None = None
) -> Initiative:
    """Send a submission back to its owner with a reason."""
    initiative = initiative_locked(initiative)
    if not actor.has_perm("initiatives.reject_initiative", initiative):
        if initiative.moderation_state != State.SUBMITTED:
            deny(_("Only a submitted initiative can be rejected."))
        deny(_("You may not reject this initiative (moderators only, never your own submission)."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give a reason, so the owner knows what to change.")]})
    _transition(
        initiative=initiative,
        actor=actor,
        to_state=State.REJECTED,
        action=EventAction.REJECT,
        expected_version=expected_version,
        reason=reason.strip(),
    )
    _announce(MemberEvent.REJECTED, initiative=initiative, actor=actor, reason=reason.strip())
    return initiative


@transaction.atomic
def initiative_archive(
    *, actor, initiative: Initiative, reason: str = "", expected_version: int | None = None
) -> Initiative:
    """Take a published record out of circulation; it stays readable in the archive."""
    initiative = initiative_locked(initiative)
    if not actor.has_perm("initiatives.archive_initiative", initiative):
        deny(_("Only curators archive, and only published initiatives."))
    # Told while still published: the last version the public saw is what goes out.
    public_event_announce(event=PublicEvent.ARCHIVED, initiative=initiative)
    return _transition(
        initiative=initiative,
        actor=actor,
        to_state=State.ARCHIVED,
        action=EventAction.ARCHIVE,
        expected_version=expected_version,
        reason=reason,
    )


@transaction.atomic
def initiatives_set_status(*, actor, initiatives, status: str) -> int:
    """A curator's bulk change of status; each record gets a version and a history entry."""
    if not actor.has_perm("initiatives.curate"):
        deny(_("Only curators change records in bulk."))
    if status not in InitiativeStatus.values:
        raise ValidationError({"status": [_("“%(value)s” is not a valid status.") % {"value": status}]})
    pks = [i.pk for i in initiatives]
    count = Initiative.objects.filter(pk__in=pks).update(
        status=status, version=F("version") + 1, updated_at=timezone.now()
    )
    if count:
        catalogue_changed()
    revisions_record_bulk(initiative_ids=pks, actor=actor)
    # Each record's events name who changed it, as for any other edit (four eyes reads them).
    InitiativeEvent.objects.bulk_create(
        InitiativeEvent(
            initiative_id=pk, actor=actor, action=EventAction.BULK, from_state=state, to_state=state
        )
        for pk, state in Initiative.objects.filter(pk__in=pks).values_list("pk", "moderation_state")
    )
    for initiative in Initiative.objects.published().filter(pk__in=pks):
        public_event_announce(event=PublicEvent.UPDATED, initiative=initiative)
    return count
