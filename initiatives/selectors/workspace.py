"""A member's own records: the workspace's groups, their proposals, and what they follow.

A member's records are those they own or collaborate on, whatever their state; what they
follow is listed only while they may still see it.
"""

from django.db.models import Count, Max, Q

from ..choices import RevisionState, UpdateState
from ..models import Follow, Initiative, PendingRevision


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


def initiatives_of_member(user):
    """Records this user owns or collaborates on, latest change first, each with its number
    of open proposals (`open_revisions`)."""
    return (
        Initiative.objects.filter(pk__in=ids_of_member(user))
        .select_related("key_task")
        .annotate(
            open_revisions=Count("pending_revisions", filter=Q(pending_revisions__state=RevisionState.OPEN))
        )
        .order_by("-updated_at")
    )


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
