"""Merging a duplicate into the record that survives.

The survivor gains the duplicate's countries, advocacies, tags, collaborators, stakeholders,
links, notes, comments and followers; the duplicate is archived, its open proposal turned
down, and its slug redirects to the survivor. Both records get a version and a history entry.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..announcements import public_event_announce
from ..choices import EventAction, HistoryAction, ModerationState, PublicEvent, RevisionState
from ..history import revision_record
from ..models import Comment, Initiative, PendingRevision, TopicFollow, Update
from .records import deny, event_record, initiative_locked, search_refresh, version_bump

State = ModerationState


@transaction.atomic
def initiative_merge(
    *, actor, source: Initiative, target: Initiative, expected_version: int | None = None
) -> Initiative:
    """Fold a duplicate into the record that survives; the duplicate's slug redirects there.

    `expected_version` is the duplicate's version as the caller read it: if it changed since,
    nothing is merged.
    """
    if source.pk == target.pk:
        raise ValidationError({"target": [_("An initiative cannot be merged into itself.")]})
    first, second = sorted([source, target], key=lambda i: i.pk)
    locked = {i.pk: initiative_locked(i) for i in (first, second)}
    source, target = locked[source.pk], locked[target.pk]
    if not (
        actor.has_perm("initiatives.merge_initiative", source)
        and actor.has_perm("initiatives.merge_initiative", target)
    ):
        deny(_("Only curators merge initiatives, and neither may be merged already."))
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
    followers = TopicFollow.objects.filter(initiative=target).values_list("user_id", flat=True)
    TopicFollow.objects.filter(initiative=source).exclude(user_id__in=followers).update(
        initiative=target, value=target.slug
    )
    TopicFollow.objects.filter(initiative=source).delete()
    # A proposal for the duplicate would otherwise wait in the queue and rewrite a merged record.
    PendingRevision.objects.filter(initiative=source, state=RevisionState.OPEN).update(
        state=RevisionState.REJECTED,
        decided_by=actor,
        decided_at=timezone.now(),
        reason=_("Merged into %(target)s") % {"target": target.slug},
    )
    message = _("Merged %(source)s into this record") % {"source": source.slug}
    version_bump(initiative=target, expected_version=None)
    search_refresh(target)
    revision_record(initiative=target, actor=actor, action=HistoryAction.MERGE, change_message=message)
    event_record(
        initiative=target,
        actor=actor,
        action=EventAction.MERGE,
        reason=message,
    )
    public_event_announce(event=PublicEvent.MERGED, initiative=target)
    # The duplicate leaves the public catalogue: told while still published, as an archive is.
    public_event_announce(event=PublicEvent.ARCHIVED, initiative=source)
    from_state = source.moderation_state
    version_bump(
        initiative=source,
        expected_version=expected_version,
        columns={"merged_into_id": target.pk, "moderation_state": State.ARCHIVED},
    )
    revision_record(
        initiative=source,
        actor=actor,
        action=HistoryAction.MERGE,
        change_message=_("Merged into %(target)s") % {"target": target.slug},
        extra_changes={"moderation_state": [from_state, State.ARCHIVED], "merged_into": [None, target.slug]},
    )
    event_record(
        initiative=source,
        actor=actor,
        action=EventAction.MERGE,
        from_state=from_state,
        to_state=State.ARCHIVED,
        reason=_("Merged into %(target)s") % {"target": target.slug},
    )
    return target
