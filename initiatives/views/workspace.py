"""The contributor's workspace: their records grouped by moderation state, with the reason
a rejected one was sent back and their latest proposals."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import rules
from ..choices import ModerationState as State
from ..selectors import latest_rejections
from ..selectors import workspace as selectors

WORKSPACE_ORDER = [State.DRAFT, State.REJECTED, State.SUBMITTED, State.PUBLISHED, State.ARCHIVED]


@login_required
def workspace(request):
    user = request.user
    mine = selectors.initiatives_of_member(user)
    rejections = latest_rejections(mine)
    groups = {state: [] for state in WORKSPACE_ORDER}
    for initiative in mine:
        initiative.rejection = rejections.get(initiative.pk)
        groups.setdefault(initiative.moderation_state, []).append(initiative)
    return render(
        request,
        "initiatives/workspace.html",
        {
            "groups": [(state, State(state).label, groups[state]) for state in WORKSPACE_ORDER],
            "revisions": selectors.recent_proposals(mine),
            "can_create": rules.can_create(user),
            "count": sum(len(items) for items in groups.values()),
        },
    )
