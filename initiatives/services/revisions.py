"""Proposals and versions: a contributor's edit of a published record waits here for a
moderator, who applies or turns it down; a curator brings back an earlier version.

A proposal applies only the fields its authors changed, so a direct edit made meanwhile to
other fields is not undone.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..announcements import member_event_announce, public_event_announce
from ..choices import EventAction, HistoryAction, MemberEvent, PublicEvent, RevisionState
from ..history import CONTENT_FIELDS, links_checked, links_of, snapshot_diff, snapshot_of, snapshot_resolve
from ..models import Initiative, PendingRevision, Revision
from .exceptions import AlreadyDecided
from .records import content_write, deny, event_record, initiative_locked, initiative_version_check
from .validation import current_resolved, initiative_validate


def revision_propose(*, actor, initiative, values, expected_version, change_message) -> PendingRevision:
    current = initiative_version_check(initiative=initiative, expected_version=expected_version)
    open_revision = (
        PendingRevision.objects.select_for_update()
        .filter(initiative=initiative, state=RevisionState.OPEN)
        .first()
    )
    base = open_revision.snapshot if open_revision else snapshot_of(initiative)
    proposed = {**base, **values}
    if open_revision:
        open_revision.snapshot = proposed
        open_revision.change_message = change_message[:500]
        open_revision.created_at = timezone.now()
        open_revision.save()
        revision = open_revision
    else:
        revision = PendingRevision.objects.create(
            initiative=initiative,
            base_version=current,
            snapshot=proposed,
            change_message=change_message[:500],
        )
    # Whoever touches a proposal becomes one of its authors; nobody stops being one.
    revision.authors.add(actor)
    event_record(
        initiative=initiative,
        actor=actor,
        action=EventAction.PROPOSE,
        reason=change_message,
    )
    # Each proposal, or each change to an open one, is a happening of its own for the moderators.
    member_event_announce(
        kind=MemberEvent.REVISION_PROPOSED,
        initiative=initiative,
        actor=actor,
        key=f"revision_proposed:{revision.pk}:{revision.created_at.timestamp():.6f}",
        revision=revision,
    )
    return revision


def _revision_changes(revision: PendingRevision) -> dict:
    """The fields the author changed, against the version their proposal started from.

    Only these are applied, so a direct edit made meanwhile to other fields is not undone.
    """
    proposed = {k: v for k, v in revision.snapshot.items() if k in CONTENT_FIELDS}
    base = (
        Revision.objects.filter(initiative_id=revision.initiative_id, version=revision.base_version)
        .values_list("snapshot", flat=True)
        .first()
    )
    changes = proposed if base is None else {k: v for k, v in proposed.items() if base.get(k) != v}
    if "links" in changes:
        # Proposals come from people who may not check sources: each link keeps the checked
        # state the live record has now, which a curator may have changed meanwhile.
        changes["links"] = links_checked(
            changes["links"], current=links_of(revision.initiative), may_check=False
        )
    return changes


def revision_diff(revision: PendingRevision) -> dict:
    """What the pending revision would change in the live record, field by field."""
    live = snapshot_of(revision.initiative)
    return snapshot_diff(live, {**live, **_revision_changes(revision)})


def _check_revision_decider(actor, revision: PendingRevision) -> None:
    if not actor.has_perm("initiatives.decide_revision", revision):
        deny(_("You may not decide on this revision."))
    if revision.state != RevisionState.OPEN:
        raise AlreadyDecided(
            _("This proposal was already decided (%(state)s); nothing was changed.")
            % {"state": revision.get_state_display()}
        )


@transaction.atomic
def revision_approve(*, actor, revision: PendingRevision) -> Initiative:
    """Publish the proposed content; it becomes the next version."""
    revision = (
        PendingRevision.objects.select_for_update(of=("self",))
        .select_related("initiative")
        .get(pk=revision.pk)
    )
    _check_revision_decider(actor, revision)
    initiative = initiative_locked(revision.initiative)
    values = _revision_changes(revision)
    resolved = snapshot_resolve(values)
    initiative_validate(resolved, current=current_resolved(initiative))
    content_write(
        initiative=initiative,
        actor=actor,
        resolved=resolved,
        expected_version=None,
        action=HistoryAction.REVISION,
        change_message=revision.change_message
        or _("Revision by %(user)s") % {"user": ", ".join(sorted(str(a) for a in revision.authors.all()))},
    )
    revision.state = RevisionState.APPROVED
    revision.decided_by = actor
    revision.decided_at = timezone.now()
    revision.save(update_fields=["state", "decided_by", "decided_at"])
    event_record(
        initiative=initiative,
        actor=actor,
        action=EventAction.APPROVE_REVISION,
    )
    public_event_announce(event=PublicEvent.UPDATED, initiative=initiative)
    member_event_announce(
        kind=MemberEvent.REVISION_APPROVED,
        initiative=initiative,
        actor=actor,
        key=f"revision_approved:{revision.pk}",
        revision=revision,
    )
    return initiative


@transaction.atomic
def revision_reject(*, actor, revision: PendingRevision, reason: str) -> PendingRevision:
    """Turn down a proposed change; the live record stays as it is."""
    revision = (
        PendingRevision.objects.select_for_update(of=("self",))
        .select_related("initiative")
        .get(pk=revision.pk)
    )
    _check_revision_decider(actor, revision)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give a reason, so the author knows what to change.")]})
    revision.state = RevisionState.REJECTED
    revision.decided_by = actor
    revision.decided_at = timezone.now()
    revision.reason = reason.strip()
    revision.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    event_record(
        initiative=revision.initiative,
        actor=actor,
        action=EventAction.REJECT_REVISION,
        reason=revision.reason,
    )
    member_event_announce(
        kind=MemberEvent.REVISION_REJECTED,
        initiative=revision.initiative,
        actor=actor,
        key=f"revision_rejected:{revision.pk}",
        revision=revision,
        reason=revision.reason,
    )
    return revision


@transaction.atomic
def initiative_restore(
    *,
    actor,
    initiative: Initiative,
    version: int,
    expected_version: int | None = None,
    change_message: str = "",
) -> Initiative:
    """Bring back the content of an earlier version exactly; the restore is a new version."""
    initiative = initiative_locked(initiative)
    if not actor.has_perm("initiatives.restore_initiative", initiative):
        deny(_("Only curators restore earlier versions."))
    try:
        revision = Revision.objects.get(initiative=initiative, version=version)
    except Revision.DoesNotExist:
        raise ValidationError(
            {"version": [_("There is no version %(v)s of this initiative.") % {"v": version}]}
        ) from None
    # A version that predates results leaves the record's results as they are.
    resolved = snapshot_resolve({k: v for k, v in revision.snapshot.items() if k in CONTENT_FIELDS})
    initiative_validate(resolved, current=current_resolved(initiative))
    message = change_message or _("Restored version %(v)s") % {"v": version}
    content_write(
        initiative=initiative,
        actor=actor,
        resolved=resolved,
        expected_version=expected_version,
        action=HistoryAction.RESTORE,
        change_message=message,
    )
    event_record(
        initiative=initiative,
        actor=actor,
        action=EventAction.RESTORE,
        reason=message,
    )
    public_event_announce(event=PublicEvent.UPDATED, initiative=initiative)
    return initiative
