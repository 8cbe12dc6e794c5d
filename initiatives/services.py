"""Every write to initiatives, with its rules.

Each service runs in one transaction, checks the actor's right through `rules`, bumps the
record's `version` with `UPDATE … WHERE version = n` (so a concurrent writer is refused,
never silently overwritten), and records a history entry and an event. The web, the API,
the admin, tasks and commands all call these functions.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .choices import EventAction, HistoryAction, ModerationState, RevisionState
from .history import (
    CONTENT_FIELDS,
    DATE_FIELDS,
    RELATION_FIELDS,
    RELATION_LIMITS,
    SCALAR_FIELDS,
    SLUG_FIELDS,
    revision_record,
    snapshot_apply_relations,
    snapshot_diff,
    snapshot_of,
    snapshot_resolve,
    snapshot_values,
)
from .models import (
    Comment,
    Follow,
    Initiative,
    InitiativeEvent,
    PendingRevision,
    Revision,
    Update,
)
from .search import search_document
from .slugs import slug_unique

State = ModerationState
REQUIRED_FIELDS = ("title", "summary", "key_task", "kind")


class ConcurrentEditError(Exception):
    """The record changed after the editor loaded it; nothing was saved."""

    def __init__(self, *, expected: int, current: int | None):
        self.expected = expected
        self.current = current
        super().__init__(
            _(
                "This initiative was changed by someone else since you opened it "
                "(you had version %(expected)s, it is now at version %(current)s). "
                "Nothing was saved: reload it to see their changes, then apply yours again."
            )
            % {"expected": expected, "current": current}
        )


def _deny(message: str):
    raise PermissionDenied(message)


def _event(*, initiative, actor, action, from_state=None, to_state=None, reason="") -> InitiativeEvent:
    """Record a step; a state left out is the record's current one (most steps keep it)."""
    return InitiativeEvent.objects.create(
        initiative=initiative,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_state=initiative.moderation_state if from_state is None else from_state,
        to_state=initiative.moderation_state if to_state is None else to_state,
        reason=reason,
    )


def _validate(resolved: dict, *, current: dict | None = None) -> None:
    """The invariants of a record, checked before the database sees it."""
    merged = {**(current or {}), **resolved}
    errors = {}
    for field in REQUIRED_FIELDS:
        value = merged.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[field] = [_("This field is required.")]
    if len(merged.get("title") or "") > 300:
        errors["title"] = [_("Keep the title under 300 characters.")]
    action_line, key_task = merged.get("action_line"), merged.get("key_task")
    if action_line is not None and key_task is not None and action_line.key_task_id != key_task.pk:
        errors["action_line"] = [
            _("This action line belongs to another key task (%(task)s).")
            % {"task": action_line.key_task.slug}
        ]
    # Source links become <a href> on every page; only web addresses, never javascript: or data:.
    web_address = URLValidator(schemes=["http", "https"])
    for link in resolved.get("links") or []:
        try:
            web_address(str(link.get("url") or ""))
        except ValidationError:
            errors["links"] = [
                _("“%(url)s” is not a web address (http or https).") % {"url": link.get("url")}
            ]
    for field, limit in RELATION_LIMITS.items():
        if len(resolved.get(field) or ()) > limit:
            errors[field] = [
                _("At most %(limit)d (%(count)d given).") % {"limit": limit, "count": len(resolved[field])}
            ]
    start, end = merged.get("start_date"), merged.get("end_date")
    if start and end and end < start:
        errors["end_date"] = [_("The end date cannot be before the start date.")]
    from governance.choices import Language

    from .choices import InitiativeKind, InitiativeStatus

    for field, choices in (("kind", InitiativeKind), ("status", InitiativeStatus), ("language", Language)):
        if field in resolved and resolved[field] not in choices.values:
            errors[field] = [_("“%(value)s” is not a valid choice.") % {"value": resolved[field]}]
    if errors:
        raise ValidationError(errors)


def _current_resolved(initiative: Initiative) -> dict:
    return {
        **{field: getattr(initiative, field) for field in SCALAR_FIELDS + DATE_FIELDS},
        "key_task": initiative.key_task,
        "action_line": initiative.action_line,
    }


def _column_values(resolved: dict) -> dict:
    columns = {}
    for field, value in resolved.items():
        if field in SCALAR_FIELDS or field in DATE_FIELDS:
            columns[field] = value
        elif field in SLUG_FIELDS:
            columns[f"{field}_id"] = value.pk if value is not None else None
    return columns


def _refresh_search(initiative: Initiative) -> None:
    row = Initiative.objects.filter(pk=initiative.pk).values("title", "summary", "body").get()
    tags = " ".join(initiative.tags.names())
    Initiative.objects.filter(pk=initiative.pk)._update_untracked(
        search_document=search_document(**row, extra=tags)
    )


def _bump(*, initiative: Initiative, expected_version: int | None, columns: dict | None = None) -> int:
    """Claim the next version atomically; refuse when someone else got there first."""
    expected = initiative.version if expected_version is None else int(expected_version)
    now = timezone.now()
    rows = Initiative.objects.filter(pk=initiative.pk, version=expected)._update_untracked(
        version=F("version") + 1, updated_at=now, **(columns or {})
    )
    if rows != 1:
        current = Initiative.objects.filter(pk=initiative.pk).values_list("version", flat=True).first()
        raise ConcurrentEditError(expected=expected, current=current)
    initiative.version = expected + 1
    initiative.updated_at = now
    for column, value in (columns or {}).items():
        setattr(initiative, column, value)
    return initiative.version


def _write_content(
    *, initiative, actor, resolved, expected_version, action, change_message, columns=None, extra_changes=None
) -> Revision:
    _bump(
        initiative=initiative,
        expected_version=expected_version,
        columns={**_column_values(resolved), **(columns or {})},
    )
    snapshot_apply_relations(initiative, {k: v for k, v in resolved.items() if k in RELATION_FIELDS})
    _refresh_search(initiative)
    return revision_record(
        initiative=initiative,
        actor=actor,
        action=action,
        change_message=change_message,
        extra_changes=extra_changes,
    )


def _transition(
    *, initiative, actor, to_state, action, expected_version=None, reason="", columns=None
) -> Initiative:
    from_state = initiative.moderation_state
    _bump(
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
    _event(
        initiative=initiative,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )
    return initiative


def _locked(initiative: Initiative) -> Initiative:
    """Re-read the row under a lock, so checks and writes see the same state."""
    fresh = (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("key_task", "action_line")
        .get(pk=initiative.pk)
    )
    return fresh


@transaction.atomic
def initiative_create(*, actor, data: dict, change_message: str = "") -> Initiative:
    """Create a draft owned by the actor; the slug is made here, once."""
    if not rules.can_create(actor):
        _deny(_("You need a contributor account to create initiatives."))
    values = snapshot_values(data)
    values.setdefault("language", "en")
    values.setdefault("status", "planned")
    values.setdefault("body", "")
    resolved = snapshot_resolve(values)
    _validate(resolved)
    columns = _column_values(resolved)
    for attempt in range(3):
        slug = slug_unique(columns["title"], lambda s: Initiative.objects.filter(slug=s).exists())
        try:
            with transaction.atomic():
                initiative = Initiative.objects.create(slug=slug, owner=actor, **columns)
            break
        except IntegrityError:
            # A concurrent creation took the same slug; pick the next one.
            if attempt == 2:
                raise
    snapshot_apply_relations(initiative, {k: v for k, v in resolved.items() if k in RELATION_FIELDS})
    _refresh_search(initiative)
    revision_record(
        initiative=initiative, actor=actor, action=HistoryAction.CREATE, change_message=change_message
    )
    _event(initiative=initiative, actor=actor, action=EventAction.CREATE, from_state="")
    return initiative


@transaction.atomic
def initiative_edit(
    *,
    actor,
    initiative: Initiative,
    data: dict,
    expected_version: int | None = None,
    change_message: str = "",
) -> Initiative | PendingRevision:
    """Change the content; a contributor's edit of a published record waits for a moderator."""
    initiative = _locked(initiative) if expected_version is None else initiative
    mode = rules.edit_mode(actor, initiative)
    if mode is None:
        _deny(_("You may not edit this initiative in its current state."))
    values = snapshot_values(data)
    resolved = snapshot_resolve(values)
    _validate(resolved, current=_current_resolved(initiative))
    if mode == "revision":
        return _revision_propose(
            actor=actor,
            initiative=initiative,
            values=values,
            expected_version=expected_version,
            change_message=change_message,
        )
    before = snapshot_of(initiative)
    if not snapshot_diff(before, {**before, **values}):
        # Nothing changed, but a stale editor must still hear that the record moved on.
        expected = initiative.version if expected_version is None else int(expected_version)
        current = Initiative.objects.filter(pk=initiative.pk).values_list("version", flat=True).get()
        if current != expected:
            raise ConcurrentEditError(expected=expected, current=current)
        return initiative
    from_state = initiative.moderation_state
    _write_content(
        initiative=initiative,
        actor=actor,
        resolved=resolved,
        expected_version=expected_version,
        action=HistoryAction.EDIT,
        change_message=change_message,
        # Editing a rejected record takes it back to draft, ready to be submitted again.
        columns={"moderation_state": State.DRAFT} if from_state == State.REJECTED else None,
        extra_changes={"moderation_state": [from_state, State.DRAFT]}
        if from_state == State.REJECTED
        else None,
    )
    _event(
        initiative=initiative,
        actor=actor,
        action=EventAction.EDIT,
        from_state=from_state,
        reason=change_message,
    )
    return initiative


def _revision_propose(*, actor, initiative, values, expected_version, change_message) -> PendingRevision:
    expected = initiative.version if expected_version is None else int(expected_version)
    current = Initiative.objects.filter(pk=initiative.pk).values_list("version", flat=True).get()
    if current != expected:
        raise ConcurrentEditError(expected=expected, current=current)
    open_revision = (
        PendingRevision.objects.select_for_update()
        .filter(initiative=initiative, state=RevisionState.OPEN)
        .first()
    )
    base = open_revision.snapshot if open_revision else snapshot_of(initiative)
    proposed = {**base, **values}
    if open_revision:
        open_revision.snapshot = proposed
        open_revision.author = actor
        open_revision.change_message = change_message[:500]
        open_revision.created_at = timezone.now()
        open_revision.save()
        revision = open_revision
    else:
        revision = PendingRevision.objects.create(
            initiative=initiative,
            author=actor,
            base_version=current,
            snapshot=proposed,
            change_message=change_message[:500],
        )
    _event(
        initiative=initiative,
        actor=actor,
        action=EventAction.PROPOSE,
        reason=change_message,
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
    if base is None:
        return proposed
    return {k: v for k, v in proposed.items() if base.get(k) != v}


def revision_diff(revision: PendingRevision) -> dict:
    """What the pending revision would change in the live record, field by field."""
    live = snapshot_of(revision.initiative)
    return snapshot_diff(live, {**live, **_revision_changes(revision)})


@transaction.atomic
def revision_approve(*, actor, revision: PendingRevision) -> Initiative:
    """Publish the proposed content; it becomes the next version."""
    revision = (
        PendingRevision.objects.select_for_update(of=("self",))
        .select_related("initiative")
        .get(pk=revision.pk)
    )
    if not rules.can_decide_revision(actor, revision):
        _deny(_("You may not decide on this revision."))
    initiative = _locked(revision.initiative)
    values = _revision_changes(revision)
    resolved = snapshot_resolve(values)
    _validate(resolved, current=_current_resolved(initiative))
    _write_content(
        initiative=initiative,
        actor=actor,
        resolved=resolved,
        expected_version=None,
        action=HistoryAction.REVISION,
        change_message=revision.change_message or _("Revision by %(user)s") % {"user": revision.author},
    )
    revision.state = RevisionState.APPROVED
    revision.decided_by = actor
    revision.decided_at = timezone.now()
    revision.save(update_fields=["state", "decided_by", "decided_at"])
    _event(
        initiative=initiative,
        actor=actor,
        action=EventAction.APPROVE_REVISION,
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
    if not rules.can_decide_revision(actor, revision):
        _deny(_("You may not decide on this revision."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give a reason, so the author knows what to change.")]})
    revision.state = RevisionState.REJECTED
    revision.decided_by = actor
    revision.decided_at = timezone.now()
    revision.reason = reason.strip()
    revision.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    _event(
        initiative=revision.initiative,
        actor=actor,
        action=EventAction.REJECT_REVISION,
        reason=revision.reason,
    )
    return revision


@transaction.atomic
def initiative_submit(*, actor, initiative: Initiative, expected_version: int | None = None) -> Initiative:
    """Send a draft (or a rejected record, after changes) to the moderators."""
    initiative = _locked(initiative)
    if not rules.can_submit(actor, initiative):
        _deny(_("Only a draft or rejected initiative can be submitted, by its owner or collaborators."))
    return _transition(
        initiative=initiative,
        actor=actor,
        to_state=State.SUBMITTED,
        action=EventAction.SUBMIT,
        expected_version=expected_version,
        columns={"submitted_at": timezone.now()},
    )


@transaction.atomic
def initiative_approve(*, actor, initiative: Initiative, expected_version: int | None = None) -> Initiative:
    """Publish a submitted record; never by whoever submitted or owns it."""
    initiative = _locked(initiative)
    if not rules.can_approve(actor, initiative):
        if initiative.moderation_state != State.SUBMITTED:
            _deny(_("Only a submitted initiative can be approved."))
        _deny(_("You may not approve this initiative (moderators only, never your own submission)."))
    columns = {}
    if initiative.published_at is None:
        columns["published_at"] = timezone.now()
    return _transition(
        initiative=initiative,
        actor=actor,
        to_state=State.PUBLISHED,
        action=EventAction.APPROVE,
        expected_version=expected_version,
        columns=columns,
    )


@transaction.atomic
def initiative_reject(
    *, actor, initiative: Initiative, reason: str, expected_version: int | None = None
) -> Initiative:
    """Send a submission back to its owner with a reason."""
    initiative = _locked(initiative)
    if not rules.can_reject(actor, initiative):
        if initiative.moderation_state != State.SUBMITTED:
            _deny(_("Only a submitted initiative can be rejected."))
        _deny(_("You may not reject this initiative (moderators only, never your own submission)."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give a reason, so the owner knows what to change.")]})
    return _transition(
        initiative=initiative,
        actor=actor,
        to_state=State.REJECTED,
        action=EventAction.REJECT,
        expected_version=expected_version,
        reason=reason.strip(),
    )


@transaction.atomic
def initiative_archive(
    *, actor, initiative: Initiative, reason: str = "", expected_version: int | None = None
) -> Initiative:
    """Take a published record out of circulation; it stays readable in the archive."""
    initiative = _locked(initiative)
    if not rules.can_archive(actor, initiative):
        _deny(_("Only curators archive, and only published initiatives."))
    return _transition(
        initiative=initiative,
        actor=actor,
        to_state=State.ARCHIVED,
        action=EventAction.ARCHIVE,
        expected_version=expected_version,
        reason=reason,
    )


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
    initiative = _locked(initiative)
    if not rules.can_restore(actor, initiative):
        _deny(_("Only curators restore earlier versions."))
    try:
        revision = Revision.objects.get(initiative=initiative, version=version)
    except Revision.DoesNotExist:
        raise ValidationError(
            {"version": [_("There is no version %(v)s of this initiative.") % {"v": version}]}
        ) from None
    resolved = snapshot_resolve({k: v for k, v in revision.snapshot.items() if k in CONTENT_FIELDS})
    _validate(resolved)
    message = change_message or _("Restored version %(v)s") % {"v": version}
    _write_content(
        initiative=initiative,
        actor=actor,
        resolved=resolved,
        expected_version=expected_version,
        action=HistoryAction.RESTORE,
        change_message=message,
    )
    _event(
        initiative=initiative,
        actor=actor,
        action=EventAction.RESTORE,
        reason=message,
    )
    return initiative


@transaction.atomic
def initiative_merge(*, actor, source: Initiative, target: Initiative) -> Initiative:
    """Fold a duplicate into the record that survives; the duplicate's slug redirects there."""
    if source.pk == target.pk:
        raise ValidationError({"target": [_("An initiative cannot be merged into itself.")]})
    first, second = sorted([source, target], key=lambda i: i.pk)
    locked = {i.pk: _locked(i) for i in (first, second)}
    source, target = locked[source.pk], locked[target.pk]
    if not (rules.can_merge(actor, source) and rules.can_merge(actor, target)):
        _deny(_("Only curators merge initiatives, and neither may be merged already."))
    from governance.models import Stakeholder  # noqa: F401  (documented relation target)

    taken = set(target.participations.values_list("stakeholder_id", flat=True))
    for participation in source.participations.all():
        if participation.stakeholder_id not in taken:
            participation.initiative = target
            participation.save(update_fields=["initiative"])
    target.countries.add(*source.countries.all())
    target.advocacies.add(*source.advocacies.all())
    target.tags.add(*source.tags.names())
    target.collaborators.add(*source.collaborators.exclude(pk=target.owner_id))
    known_urls = set(target.links.values_list("url", flat=True))
    offset = target.links.count()
    for index, link in enumerate(source.links.exclude(url__in=known_urls)):
        link.initiative = target
        link.position = offset + index
        link.save(update_fields=["initiative", "position"])
    Update.objects.filter(initiative=source).update(initiative=target)
    Comment.objects.filter(initiative=source).update(initiative=target)
    followers = Follow.objects.filter(initiative=target).values_list("user_id", flat=True)
    Follow.objects.filter(initiative=source).exclude(user_id__in=followers).update(initiative=target)
    Follow.objects.filter(initiative=source).delete()
    # A proposal for the duplicate would otherwise wait in the queue and rewrite a merged record.
    PendingRevision.objects.filter(initiative=source, state=RevisionState.OPEN).update(
        state=RevisionState.REJECTED,
        decided_by=actor,
        decided_at=timezone.now(),
        reason=_("Merged into %(target)s") % {"target": target.slug},
    )
    message = _("Merged %(source)s into this record") % {"source": source.slug}
    _bump(initiative=target, expected_version=None)
    _refresh_search(target)
    revision_record(initiative=target, actor=actor, action=HistoryAction.MERGE, change_message=message)
    _event(
        initiative=target,
        actor=actor,
        action=EventAction.MERGE,
        reason=message,
    )
    from_state = source.moderation_state
    _bump(
        initiative=source,
        expected_version=None,
        columns={"merged_into_id": target.pk, "moderation_state": State.ARCHIVED},
    )
    revision_record(
        initiative=source,
        actor=actor,
        action=HistoryAction.MERGE,
        change_message=_("Merged into %(target)s") % {"target": target.slug},
        extra_changes={"moderation_state": [from_state, State.ARCHIVED], "merged_into": [None, target.slug]},
    )
    _event(
        initiative=source,
        actor=actor,
        action=EventAction.MERGE,
        from_state=from_state,
        to_state=State.ARCHIVED,
        reason=_("Merged into %(target)s") % {"target": target.slug},
    )
    return target


@transaction.atomic
def initiative_delete(*, actor, initiative: Initiative) -> None:
    """Remove a record for good: admins, or the owner of a never-published draft."""
    initiative = _locked(initiative)
    if not rules.can_delete(actor, initiative):
        _deny(_("You may not delete this initiative."))
    initiative.delete()


@transaction.atomic
def update_create(*, actor, initiative: Initiative, data: dict) -> Update:
    """Add a dated progress note; those who may edit the record may add notes."""
    if not rules.can_add_update(actor, initiative):
        _deny(_("You may not add updates to this initiative."))
    title = (data.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": [_("This field is required.")]})
    update = Update(
        initiative=initiative,
        author=actor,
        title=title,
        text=data.get("text") or "",
        kind=data.get("kind") or "progress",
        date=data.get("date") or timezone.localdate(),
    )
    update.full_clean(exclude=["initiative", "author"])
    update.save()
    Initiative.objects.filter(pk=initiative.pk)._update_untracked(updated_at=timezone.now())
    return update


@transaction.atomic
def update_save(*, actor, initiative: Initiative, update: Update | None, data: dict) -> Update:
    """Add a progress note, or correct an existing one (curators and those who may edit)."""
    if update is None:
        return update_create(actor=actor, initiative=initiative, data=data)
    if not rules.can_add_update(actor, initiative) or update.initiative_id != initiative.pk:
        _deny(_("You may not change updates of this initiative."))
    for field in ("title", "text", "kind", "date"):
        if field in data:
            setattr(update, field, data[field])
    update.full_clean(exclude=["initiative", "author"])
    update.save()
    return update


@transaction.atomic
def initiatives_set_status(*, actor, initiatives, status: str) -> int:
    """A curator's bulk change of status; each record gets a version and a history entry."""
    from .choices import InitiativeStatus
    from .history import history_actor_reset, history_actor_set

    if not (rules.is_admin(actor) or rules.is_curator(actor)):
        _deny(_("Only curators change records in bulk."))
    if status not in InitiativeStatus.values:
        raise ValidationError({"status": [_("“%(value)s” is not a valid status.") % {"value": status}]})
    token = history_actor_set(actor)
    try:
        return Initiative.objects.filter(pk__in=[i.pk for i in initiatives]).update(status=status)
    finally:
        history_actor_reset(token)


@transaction.atomic
def comment_create(*, actor, initiative: Initiative, body: str) -> Comment:
    """A signed-in user comments on a published initiative."""
    if not rules._active(actor):
        _deny(_("Sign in to comment."))
    if initiative.moderation_state != State.PUBLISHED:
        _deny(_("Only published initiatives take comments."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write something first.")]})
    comment = Comment(initiative=initiative, author=actor, body=body)
    comment.full_clean(exclude=["initiative", "author"])
    comment.save()
    return comment


@transaction.atomic
def comment_hide(*, actor, comment: Comment, reason: str) -> Comment:
    """A moderator hides a comment with a reason; its author still sees it, marked hidden."""
    if not rules.can_hide_comment(actor):
        _deny(_("Only moderators hide comments."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give a reason, so the author knows why.")]})
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.hidden_at = timezone.now()
    comment.hidden_by = actor
    comment.hidden_reason = reason.strip()
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return comment


@transaction.atomic
def follow_create(*, actor, initiative: Initiative) -> Follow:
    """Follow an initiative one may see; following twice changes nothing."""
    if not rules._active(actor) or not rules.can_view(actor, initiative):
        _deny(_("Sign in to follow initiatives you can see."))
    follow, _created = Follow.objects.get_or_create(user=actor, initiative=initiative)
    return follow


@transaction.atomic
def follow_delete(*, actor, initiative: Initiative) -> None:
    """Stop following; unfollowing what one does not follow changes nothing."""
    if not rules._active(actor):
        _deny(_("Sign in to manage what you follow."))
    Follow.objects.filter(user=actor, initiative=initiative).delete()


@transaction.atomic
def collaborator_invite(*, actor, initiative: Initiative, identifier: str):
    """Add a collaborator, found by username or e-mail, to a record the actor may edit.

    Who may edit is not public content, so this applies at once even on a published record
    (no pending revision), but it still makes a version and a history entry.
    """
    from django.contrib.auth import get_user_model

    initiative = _locked(initiative)
    if rules.edit_mode(actor, initiative) is None:
        _deny(_("You may not invite collaborators to this initiative."))
    identifier = (identifier or "").strip()
    users = get_user_model().objects.filter(is_active=True)
    invitee = users.filter(username__iexact=identifier).first() if identifier else None
    if invitee is None and "@" in identifier:
        matches = list(users.filter(email__iexact=identifier)[:2])
        invitee = matches[0] if len(matches) == 1 else None
    if invitee is None:
        raise ValidationError({"identifier": [_("No active account has this username or e-mail address.")]})
    if invitee.pk == initiative.owner_id or initiative.collaborators.filter(pk=invitee.pk).exists():
        raise ValidationError(
            {"identifier": [_("%(user)s already works on this initiative.") % {"user": invitee}]}
        )
    _bump(initiative=initiative, expected_version=None)
    initiative.collaborators.add(invitee)
    message = _("Invited %(user)s as a collaborator") % {"user": invitee.get_username()}
    revision_record(initiative=initiative, actor=actor, action=HistoryAction.EDIT, change_message=message)
    _event(
        initiative=initiative,
        actor=actor,
        action=EventAction.EDIT,
        reason=message,
    )
    return invitee
