"""The contributor's workspace: invitations waiting for an answer, their records grouped by
moderation state, with the reason a rejected one was sent back and their latest proposals.

A member may have thousands of records: each group shows its latest GROUP_SIZE, with how
many there are, and `?state=` pages through one group in full.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import rules
from ..choices import ModerationState as State
from ..selectors import latest_rejections
from ..selectors import workspace as selectors
from .paging import paginate

WORKSPACE_ORDER = [State.DRAFT, State.REJECTED, State.SUBMITTED, State.PUBLISHED, State.ARCHIVED]
GROUP_SIZE = 20


class Group(list):
    """A group's records as shown, with how many the member has in that state."""

    def __init__(self, rows, total: int):
        super().__init__(rows)
        self.total = total
        self.more = total > len(rows)


@login_required
def workspace(request):
    user = request.user
    ids = selectors.ids_of_member(user)
    mine = selectors.initiatives_of_member(user, ids)
    totals = selectors.member_states(ids)
    state = request.GET.get("state")
    page = None
    if state in WORKSPACE_ORDER:
        page = paginate(request, mine.filter(moderation_state=state), GROUP_SIZE)
        shown = list(page)
        order = [state]
    else:
        shown = selectors.latest_in_each_state(mine, GROUP_SIZE)
        order = WORKSPACE_ORDER
    rejected = [initiative.pk for initiative in shown if initiative.moderation_state == State.REJECTED]
    rejections = latest_rejections(mine.filter(pk__in=rejected)) if rejected else {}
    rows = {each: [] for each in order}
    for initiative in shown:
        initiative.rejection = rejections.get(initiative.pk)
        rows.setdefault(initiative.moderation_state, []).append(initiative)
    return render(
        request,
        "initiatives/workspace.html",
        {
            "groups": [(each, State(each).label, Group(rows[each], totals.get(each, 0))) for each in order],
            "page": page,
            "revisions": selectors.recent_proposals(mine),
            "can_create": rules.can_create(user),
            "count": sum(totals.values()),
            "invitations": list(selectors.open_invitations(user)),
        },
    )
