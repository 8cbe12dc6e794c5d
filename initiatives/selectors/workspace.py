"""A member's own records: the workspace's groups, their proposals, their open invitations,
and what they follow.

A member's records are those they own or collaborate on, whatever their state; what they
follow is listed only while they may still see it.
"""

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from ..choices import RevisionState, UpdateState
from ..models import CollaborationInvitation, Follow, Initiative, PendingRevision


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
    """What this user follows and may still see, latest first, each with the date of the
    record's latest published note (`last_update`)."""
    return (
        Follow.objects.filter(user=user)
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
