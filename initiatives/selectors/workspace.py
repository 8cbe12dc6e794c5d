"""A member's own records: the workspace's groups, their proposals, and what they follow.

A member's records are those they own or collaborate on, whatever their state; what they
follow is listed only while they may still see it.
"""

from django.db.models import Count, Exists, Max, OuterRef, Q

from ..choices import RevisionState, UpdateState
from ..models import Follow, Initiative, PendingRevision


def initiatives_of_member(user):
    """Records this user owns or collaborates on, latest change first, each with its number
    of open proposals (`open_revisions`)."""
    collaborating = Initiative.collaborators.through.objects.filter(
        initiative_id=OuterRef("pk"), user_id=user.pk
    )
    return (
        Initiative.objects.filter(Q(owner=user) | Exists(collaborating))
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
