"""A record's history as each reader may read it, what each proposal changes, and why a
record was sent back.

Every surface that shows history (the record's page, its history page, the API) reads it
here, so the rule of who reads which versions and which messages is kept once.
"""

from django.db.models import Case, CharField, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from .. import rules
from ..choices import EventAction, HistoryAction, ModerationState, RevisionState
from ..history import CONTENT_FIELDS, links_checked, snapshot_of
from ..models import Initiative, InitiativeEvent, Revision

# Messages of these entries are reasons told to the record's members (why it was rejected or
# archived, which draft was merged into it), not summaries of a published change.
REASON_ACTIONS = (HistoryAction.TRANSITION, HistoryAction.MERGE)
# What rules.can_view reads of a record.
_VISIBILITY_FIELDS = ("pk", "owner_id", "moderation_state")


def revisions_visible_to(*, user, initiative):
    """The record's history as this user may read it, newest first; each row's message to
    show is `shown_message`.

    Members and staff (rules.can_read_full_history) read every version and every message.
    Everyone else reads the versions recorded from the record's first publication on, and
    always the current one (its content is what the page shows; records loaded in bulk
    have no later entry), and no reasons. Every surface that shows history reads it here.

    A merged record's own merge entry names its survivor; for a caller who may not see the
    survivor its message is blank and `hides_survivor` tells readers of `changes` to leave
    out `merged_into`.
    """
    revisions = Revision.objects.filter(initiative=initiative).select_related("actor").order_by("-version")
    hides_survivor = bool(initiative.merged_into_id) and not rules.can_view(
        user, Initiative.objects.only(*_VISIBILITY_FIELDS).get(pk=initiative.merged_into_id)
    )
    revisions = revisions.annotate(hides_survivor=Value(hides_survivor))
    if rules.can_read_full_history(user, initiative):
        if not hides_survivor:
            return revisions.annotate(shown_message=F("change_message"))
        no_survivor = Case(
            When(action=HistoryAction.MERGE, then=Value("")),
            default=F("change_message"),
            output_field=CharField(),
        )
        return revisions.annotate(shown_message=no_survivor)
    if initiative.published_at is None:
        if not initiative.is_published:
            return revisions.none()
        first_public = Value(initiative.version)
    else:
        # published_at is stamped once, just before the approval's own entry is recorded.
        since_publication = (
            Revision.objects.filter(initiative=initiative, created_at__gte=initiative.published_at)
            .order_by("version")
            .values("version")[:1]
        )
        first_public = Coalesce(Subquery(since_publication), Value(initiative.version))
    no_reasons = Case(
        When(action__in=REASON_ACTIONS, then=Value("")),
        default=F("change_message"),
        output_field=CharField(),
    )
    return revisions.filter(version__gte=first_public).annotate(shown_message=no_reasons)


def revision_changes(revisions, *, live: dict | None = None) -> dict[int, dict]:
    """What each proposal changes, field by field as {"before", "after"}, keyed by its id.

    Only the fields its authors changed count, against the version the proposal started
    from. While it is open, "before" is the live record (what approving it would change);
    once decided, the version it started from (what was proposed). One query for the base
    versions of the whole page, and one snapshot per record with an open proposal unless
    `live` already holds it ({initiative id: snapshot of its current version}).
    """
    revisions = list(revisions)
    if not revisions:
        return {}
    bases = {
        (initiative_id, version): snapshot
        for initiative_id, version, snapshot in Revision.objects.filter(
            initiative_id__in={r.initiative_id for r in revisions},
            version__in={r.base_version for r in revisions},
        ).values_list("initiative_id", "version", "snapshot")
    }
    live = dict(live or {})
    changes = {}
    for revision in revisions:
        base = bases.get((revision.initiative_id, revision.base_version)) or {}
        proposed = {
            field: value
            for field, value in revision.snapshot.items()
            if field in CONTENT_FIELDS and base.get(field) != value
        }
        reference = base
        if revision.state == RevisionState.OPEN:
            if revision.initiative_id not in live:
                live[revision.initiative_id] = snapshot_of(revision.initiative)
            reference = live[revision.initiative_id]
            if "links" in proposed:
                # Approving keeps the checks the live record has (services/sources.py).
                proposed["links"] = links_checked(
                    proposed["links"], current=reference.get("links") or [], may_check=False
                )
        changes[revision.pk] = {
            field: {"before": reference.get(field), "after": value}
            for field, value in sorted(proposed.items())
            if reference.get(field) != value
        }
    return changes


def latest_rejections(initiatives) -> dict:
    """The latest rejection of each of `initiatives` (a queryset) that stands rejected, by
    record id: its reason is what the members read until they submit again. One query."""
    latest = (
        InitiativeEvent.objects.filter(initiative_id=OuterRef("initiative_id"), action=EventAction.REJECT)
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    events = InitiativeEvent.objects.filter(
        initiative__in=initiatives.filter(moderation_state=ModerationState.REJECTED).values("pk"),
        action=EventAction.REJECT,
        pk=Subquery(latest),
    ).select_related("actor")
    return {event.initiative_id: event for event in events}


def latest_rejection(initiative):
    """The rejection whose reason a rejected record's members read; None unless it stands rejected."""
    if initiative.moderation_state != ModerationState.REJECTED:
        return None
    return latest_rejections(Initiative.objects.filter(pk=initiative.pk)).get(initiative.pk)
