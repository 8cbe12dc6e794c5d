"""The contributor's workspace, where signing in lands: first what waits for them (invitations
to answer, rejected records to fix with the reason, and for a moderator the submissions,
proposed changes and held notes they may decide, for a curator how many published records
have no checked source and how many wait for a translation), then their records grouped by
moderation state and their latest proposals.

A member may have thousands of records: each group shows its latest GROUP_SIZE, with how
many there are, and `?state=` pages through one group in full. A moderator's queues show
their oldest QUEUE_SIZE, counted up to COUNT_CAP.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from governance.choices import Language

from .. import rules
from ..choices import ModerationState as State
from ..selectors import latest_rejections
from ..selectors import workspace as selectors
from .paging import paginate

WORKSPACE_ORDER = [State.DRAFT, State.REJECTED, State.SUBMITTED, State.PUBLISHED, State.ARCHIVED]
GROUP_SIZE = 20
QUEUE_SIZE = 5
COUNT_CAP = 99


class Group(list):
    """A group's records as shown, with how many the member has in that state."""

    def __init__(self, rows, total: int):
        super().__init__(rows)
        self.total = total
        self.more = total > len(rows)


class Queue(list):
    """The oldest few of what waits for a moderator, with how many wait (past COUNT_CAP, `more`)."""

    def __init__(self, queryset, link: str):
        super().__init__(queryset[:QUEUE_SIZE])
        counted = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
        self.total = min(counted, COUNT_CAP)
        self.more = counted > COUNT_CAP
        self.link = link


def _moderation_queues(user) -> dict | None:
    """What waits for this moderator's decision, each kind with where it is decided."""
    if not (rules.is_moderator(user) or rules.is_admin(user)):
        return None

    def admin(model: str, query: str = "") -> str:
        return reverse(f"admin:initiatives_{model}_changelist") + query

    return {
        "submissions": Queue(selectors.submissions_to_decide(user), admin("moderationqueueitem")),
        "proposals": Queue(
            selectors.proposals_to_decide(user), admin("pendingrevision", "?state__exact=open")
        ),
        "notes": Queue(selectors.notes_to_decide(user), admin("update", "?state__exact=held")),
    }


def _unchecked_sources(user) -> dict | None:
    """For a curator: how many published records have no checked source (up to COUNT_CAP),
    and the catalogue's list of them; None when none has, or for anyone else."""
    if not user.has_perm("initiatives.check_source"):
        return None
    queryset = selectors.published_without_checked_source()
    counted = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
    if not counted:
        return None
    return {
        "total": min(counted, COUNT_CAP),
        "more": counted > COUNT_CAP,
        "link": reverse("initiatives:list") + "?source_checked=false",
    }


def _translations_wanted(user) -> list[dict]:
    """For a curator: per record language, how many published records wait for a person's
    translation into it (up to COUNT_CAP), with the catalogue's list of them; languages none
    waits for are left out, and anyone else gets none."""
    if not user.has_perm("initiatives.curate"):
        return []
    wanted = []
    for language, label in Language.choices:
        queryset = selectors.published_needing_translation(language)
        counted = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
        if counted:
            wanted.append(
                {
                    "language": label,
                    "total": min(counted, COUNT_CAP),
                    "more": counted > COUNT_CAP,
                    "link": reverse("initiatives:list") + "?" + urlencode({"needs_translation": language}),
                }
            )
    return wanted


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
    groups = [(each, State(each).label, Group(rows[each], totals.get(each, 0))) for each in order]
    to_fix = None if page else next(items for each, _label, items in groups if each == State.REJECTED)
    moderation = None if page else _moderation_queues(user)
    unchecked_sources = None if page else _unchecked_sources(user)
    translations_wanted = [] if page else _translations_wanted(user)
    return render(
        request,
        "initiatives/workspace.html",
        {
            "groups": groups,
            "to_fix": to_fix,
            "page": page,
            "revisions": selectors.recent_proposals(mine),
            "can_create": rules.can_create(user),
            "count": sum(totals.values()),
            "invitations": list(selectors.open_invitations(user)),
            "moderation": moderation,
            "waiting_for_moderator": bool(moderation) and any(moderation.values()),
            "unchecked_sources": unchecked_sources,
            "translations_wanted": translations_wanted,
        },
    )
