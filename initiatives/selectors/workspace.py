"""A member's own records: the workspace's groups, their proposals, their open invitations,
what they follow, and for a moderator what waits for their decision.

A member's records are those they own or collaborate on, whatever their state; what they
follow is listed only while they may still see it. What waits for a moderator is only what
four eyes let them decide: nothing on a record they own, nor what they wrote. What waits for
a curator is the published records none of whose sources has been checked, and those that
wait for a person's translation.
"""

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from .. import rules
from ..choices import ModerationState, RevisionState, TopicKind, UpdateState
from ..models import CollaborationInvitation, Initiative, PendingRevision, TopicFollow, Update


def ids_of_member(user) -> list[int]:
    """Ids of the records this user owns or collaborates on, in one query.

    Two index lookups joined by UNION: "owner or collaborator" asked of the records table
    itself (an OR with EXISTS) reads every row of it.
    """
    owned = Initiative.objects.filter(owner_id=user.pk).order_by().values_list("pk", flat=True)
    collaborating = (
        Initiative.collaborators.through.objects.filter(user_id=user.pk)
        .order_by()
        .values_list("initiative_id", flat=True)
    )
    return list(owned.union(collaborating))


def initiatives_of_member(user, ids=None):
    """Records this user owns or collaborates on, latest change first, each saying whether a
    proposal on it is open (`open_revisions`)."""
    ids = ids_of_member(user) if ids is None else ids
    open_proposals = PendingRevision.objects.filter(initiative_id=OuterRef("pk"), state=RevisionState.OPEN)
    return (
        Initiative.objects.filter(pk__in=ids)
        .select_related("key_task")
        # The workspace lists titles; a member may have thousands of records.
        .defer("summary", "body", "body_html", "search_document")
        .annotate(open_revisions=Exists(open_proposals))
        .order_by("-updated_at", "-id")
    )


def member_states(ids) -> dict:
    """{moderation state: how many} of the records of these ids."""
    return dict(
        Initiative.objects.filter(pk__in=ids)
        .order_by()
        .values_list("moderation_state")
        .annotate(count=Count("id"))
        .values_list("moderation_state", "count")
    )


def latest_in_each_state(initiatives, size: int) -> list:
    """The `size` latest of `initiatives` in each moderation state, in one query."""
    latest_first = [F("updated_at").desc(), F("id").desc()]
    ranked = initiatives.annotate(
        rank=Window(RowNumber(), partition_by=F("moderation_state"), order_by=latest_first)
    )
    return list(ranked.filter(rank__lte=size))


def recent_proposals(initiatives, limit: int = 20):
    """The latest proposals on these records, open or decided, newest first."""
    return (
        PendingRevision.objects.filter(initiative__in=initiatives.values("pk"))
        .select_related("initiative", "decided_by")
        .prefetch_related("authors")
        .order_by("-created_at")[:limit]
    )


def follows_of(user):
    """The initiatives this user follows and may still see, latest first, each with the date
    of the record's latest published note (`last_update`)."""
    return (
        TopicFollow.objects.filter(user=user, kind=TopicKind.INITIATIVE)
        .select_related("initiative", "initiative__key_task")
        .annotate(
            last_update=Max(
                "initiative__updates__date",
                filter=Q(initiative__updates__state=UpdateState.PUBLISHED),
            )
        )
        .filter(initiative__in=Initiative.objects.visible_to(user))
        .order_by("-created_at", "-id")
    )


def open_invitations(user):
    """The invitations to collaborate this user has not answered yet, newest first."""
    return (
        CollaborationInvitation.objects.filter(invitee_id=user.pk, state=CollaborationInvitation.State.OPEN)
        .select_related("initiative", "invited_by")
        .order_by("-created_at", "-pk")
    )


def invitations_sent_open(initiative):
    """The record's invitations still waiting for an answer, oldest first."""
    waiting = CollaborationInvitation.State.OPEN
    return (
        CollaborationInvitation.objects.filter(initiative=initiative, state=waiting)
        .select_related("invitee", "invited_by")
        .order_by("created_at", "pk")
    )


def submissions_to_decide(user):
    """Submitted records this moderator may approve or reject: not their own, and none whose
    content they wrote or submitted since its last approval; longest waiting first."""
    wrote = rules.authoring_events(user.pk, OuterRef("pk"))
    return (
        Initiative.objects.filter(moderation_state=ModerationState.SUBMITTED, merged_into__isnull=True)
        .exclude(owner_id=user.pk)
        .exclude(Exists(wrote))
        .select_related("key_task", "owner")
        .defer("summary", "body", "body_html", "search_document")
        .order_by("submitted_at", "pk")
    )


def proposals_to_decide(user):
    """Proposed changes this moderator may decide: not on a record they own, not one they
    helped write; oldest first."""
    return (
        PendingRevision.objects.filter(state=RevisionState.OPEN)
        .exclude(initiative__owner_id=user.pk)
        .exclude(authors=user)
        .select_related("initiative")
        .order_by("created_at", "pk")
    )


def notes_to_decide(user):
    """Held progress notes this moderator may decide: not theirs, not on a record they own;
    oldest first."""
    return (
        Update.objects.filter(state=UpdateState.HELD)
        .exclude(author_id=user.pk)
        .exclude(initiative__owner_id=user.pk)
        .select_related("initiative")
        .order_by("created_at", "pk")
    )


def published_without_checked_source():
    """Published records none of whose sources a curator has checked yet, for the curators."""
    return Initiative.objects.published().with_checked_source(False)


def published_needing_translation(language: str):
    """Published records that no person has translated into `language`, nor were written in
    it, for the curators."""
    return Initiative.objects.published().needing_translation(language)
