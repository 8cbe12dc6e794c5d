"""Reads for digests: what is due, what is new for whom, and the public weekly archive.

A batch loads the initiatives of its whole window once (with their countries, tags and
the updates published in the window; a note held for a moderator is in none) and matches
every subscriber in Python, so the number of queries per batch does not grow with the
number of initiatives.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, Value
from django.http import QueryDict
from django.utils import timezone

from governance.choices import Role
from governance.models import Country, KeyTask
from initiatives.choices import InitiativeStatus, ModerationState, UpdateState
from initiatives.filtersets import InitiativeFilterSet
from initiatives.models import Initiative, TopicFollow, Update
from initiatives.selectors.follows import topic_members

from .choices import DIGEST_KINDS, FINAL_STATUSES, DeliveryStatus, RunKind, SubscriptionKind, Watch
from .models import DigestDelivery, Subscription

REMINDER_AFTER = datetime.timedelta(hours=48)
SEARCHES_PER_STATEMENT = 200
NUDGE_AFTER = datetime.timedelta(days=90)


@dataclass
class DigestItem:
    initiative: Initiative
    is_new: bool
    updates: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.initiative.get_absolute_url()


@dataclass
class DigestSection:
    key_task: KeyTask
    items: list


class SavedSearchFilterSet(InitiativeFilterSet):
    """The browse filters as a digest applies them, with no request: every saved search is
    read by the same form class, built once per process instead of once per search."""

    _form_class = None

    def get_form_class(self):
        cls = type(self)
        if cls._form_class is None:
            cls._form_class = super().get_form_class()
        return cls._form_class


def initiatives_matching_query(*, query: str, queryset):
    """Apply a browse/API query string to a queryset of initiatives, as the browse page does."""
    filterset = SavedSearchFilterSet(QueryDict(query or ""), queryset=queryset)
    return filterset.qs if filterset.is_valid() else queryset.none()


def query_errors(query: str) -> dict:
    """Per-field errors of a browse query string; empty when the browse page would accept it."""
    filterset = InitiativeFilterSet(QueryDict(query or ""), queryset=Initiative.objects.none())
    if filterset.is_valid():
        return {}
    return {name: [str(e) for e in errors] for name, errors in filterset.errors.items()}


def _claimed_or_done(*, kind: str, period_key: str, now):
    """Deliveries of this period that nobody should start again: finished, or held by a live worker."""
    return DigestDelivery.objects.filter(kind=kind, period_key=period_key).filter(
        Q(status__in=FINAL_STATUSES) | Q(status=DeliveryStatus.SENDING, lease_until__gte=now)
    )


def due_ids(*, kind: str, period_key: str, now=None) -> list[int]:
    """Who still needs this period's message: subscription ids for digests, user ids otherwise."""
    now = now or timezone.now()
    busy = _claimed_or_done(kind=kind, period_key=period_key, now=now)
    if kind in DIGEST_KINDS:
        return list(
            Subscription.objects.active()
            .filter(frequency=kind)
            .exclude(pk__in=busy.filter(subscription__isnull=False).values("subscription_id"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    if kind == RunKind.REMINDER:
        if not waiting_submissions(now=now).exists():
            return []
        users = moderators()
    else:
        owners = stale_initiatives(now=now).values("owner_id")
        users = get_user_model().objects.filter(pk__in=owners, is_active=True).exclude(email="")
    busy_users = busy.filter(subscription__isnull=True).values("recipient_id")
    return list(users.exclude(pk__in=busy_users).order_by("pk").values_list("pk", flat=True))


def moderators():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.MODERATOR)
        .exclude(email="")
        .distinct()
    )


def waiting_submissions(*, now=None):
    """Submissions a moderator should have looked at: waiting longer than 48 hours."""
    now = now or timezone.now()
    return (
        Initiative.objects.filter(
            moderation_state=ModerationState.SUBMITTED, submitted_at__lt=now - REMINDER_AFTER
        )
        .select_related("key_task", "owner")
        .order_by("submitted_at", "pk")
    )


def stale_initiatives(*, now=None):
    """Active, published initiatives published over 90 days ago with no update in the last 90 days."""
    now = now or timezone.now()
    # A note waiting for a moderator is the owner's news too: they are not nudged for it.
    recent = Update.objects.filter(initiative=OuterRef("pk"), created_at__gte=now - NUDGE_AFTER).exclude(
        state=UpdateState.REJECTED
    )
    return (
        Initiative.objects.published()
        .filter(status=InitiativeStatus.ACTIVE, published_at__lt=now - NUDGE_AFTER)
        .exclude(Exists(recent))
        .select_related("key_task")
        .order_by("published_at", "pk")
    )


def digest_candidates(*, since, until) -> list[Initiative]:
    """Published initiatives with anything new in (since, until], loaded once for a batch."""
    # Notes count from when they went live: one held for a moderator is news once approved.
    window_updates = Update.objects.filter(
        state=UpdateState.PUBLISHED, published_at__gt=since, published_at__lte=until
    ).order_by("published_at")
    in_window = (
        Q(published_at__gt=since, published_at__lte=until)
        | Q(updated_at__gt=since, updated_at__lte=until)
        | Exists(window_updates.filter(initiative=OuterRef("pk")))
    )
    return list(
        Initiative.objects.published()
        .filter(in_window)
        .select_related("key_task")
        .prefetch_related(
            Prefetch("countries", queryset=Country.objects.only("code", "name_en", "name_zh")),
            "tags",
            # Each digest names a record in its reader's language (initiatives/texts.py).
            "translations",
            Prefetch("updates", queryset=window_updates, to_attr="window_updates"),
        )
        .order_by("key_task__number", "-published_at", "pk")
    )


def followed_ids(*, user_ids, initiative_ids) -> dict[int, set[int]]:
    """For each user, which of these initiatives they follow: the record itself, or a key
    task, action line, country, stakeholder or tag it is under. The answer is a set of ids,
    so subscribers who end up with the same records still share one digest."""
    follows = defaultdict(set)
    # A followed record is a follow of kind "initiative", read like a topic with one record under it.
    topics = list(TopicFollow.objects.filter(user_id__in=user_ids).values_list("user_id", "kind", "value"))
    if topics:
        members = topic_members(((kind, value) for _user, kind, value in topics), initiative_ids)
        for user_id, kind, value in topics:
            follows[user_id] |= members.get((kind, value), set())
    return follows


def _parameters(query: str) -> tuple:
    """A browse query string as its parameters, each with all of its values, in a fixed order."""
    return tuple(sorted((key, tuple(values)) for key, values in QueryDict(query or "").lists()))


def search_matches(*, queries, initiative_ids, known: dict | None = None) -> dict[str, set[int]]:
    """For each distinct saved query, which of the window's initiatives it selects.

    A browse query is the conjunction of its parameters: each filter narrows the records on
    its own, and the query is refused when any parameter is. So each distinct parameter
    (with all its values) is read by the browse filters once, all of them in one statement
    (a UNION ALL of one part per parameter), and a saved search's matches are the
    intersection of its parameters' matches. `known` keeps the parameters already asked
    for these initiatives, so that later batches ask only new ones.
    """
    known = {} if known is None else known
    parsed = {query: _parameters(query) for query in set(queries)}
    wanted = {()} | {(parameter,) for parameters in parsed.values() for parameter in parameters}
    missing = sorted(wanted - set(known))
    base = Initiative.objects.published().filter(pk__in=initiative_ids)
    parts = [
        initiatives_matching_query(query=urlencode(_pairs(parameters), doseq=True), queryset=base)
        .order_by()
        .annotate(search_number=Value(number))
        .values_list("search_number", "pk")
        for number, parameters in enumerate(missing)
    ]
    for parameters in missing:
        known[parameters] = set()
    for start in range(0, len(parts), SEARCHES_PER_STATEMENT):
        first, *rest = parts[start : start + SEARCHES_PER_STATEMENT]
        for number, pk in first.union(*rest, all=True) if rest else first:
            known[missing[number]].add(pk)
    matches = {}
    for query, parameters in parsed.items():
        ids = set(known[()])
        for parameter in parameters:
            ids &= known[(parameter,)]
        matches[query] = ids
    return matches


def _pairs(parameters) -> list[tuple[str, str]]:
    return [(key, value) for key, values in parameters for value in values]


class CandidateIndex:
    """A window's candidates, indexed by key task, country and tag, so that what a subscriber
    gets is a few set operations, and subscribers with the same topics share the answer."""

    def __init__(self, candidates: list[Initiative]):
        self.candidates = candidates
        self.by_pk = {c.pk: c for c in candidates}
        self.position = {c.pk: i for i, c in enumerate(candidates)}
        self.ids = frozenset(self.by_pk)
        self.by_task, self.by_country, self.by_tag = defaultdict(set), defaultdict(set), defaultdict(set)
        for candidate in candidates:
            self.by_task[candidate.key_task_id].add(candidate.pk)
            for country in candidate.countries.all():
                self.by_country[country.code].add(candidate.pk)
            for tag in candidate.tags.all():
                self.by_tag[tag.name.lower()].add(candidate.pk)
        self._topics: dict[tuple, frozenset] = {}

    def topic_ids(self, subscription: Subscription) -> frozenset:
        """Candidates matching a subscription's key tasks, countries and tags (each, when given)."""
        key = (
            frozenset(k.pk for k in subscription.key_tasks.all()),
            frozenset(c.code for c in subscription.countries.all()),
            frozenset(t.lower() for t in subscription.tags or []),
        )
        if key not in self._topics:
            ids = set(self.ids)
            for values, index in zip(key, (self.by_task, self.by_country, self.by_tag), strict=True):
                if values:
                    ids &= set().union(*(index.get(v, ()) for v in values))
            self._topics[key] = frozenset(ids)
        return self._topics[key]

    def items(self, *, subscription, window_start, window_end, followed: set[int], search_ids=None) -> tuple:
        """What this subscriber gets in their own window, as ((initiative id, is new, update ids), …)
        in the digest's order: equal tuples are equal digests."""

        def inside(moment):
            return moment is not None and window_start < moment <= window_end

        if subscription.kind == SubscriptionKind.SEARCH:
            matched = set(search_ids or ())
        else:
            matched = {pk for pk in followed if pk in self.by_pk}
            if subscription.watch != Watch.FOLLOWED:
                matched |= self.topic_ids(subscription)
        items = []
        for pk in sorted(matched, key=self.position.__getitem__):
            initiative = self.by_pk[pk]
            updates = tuple(u.pk for u in initiative.window_updates if inside(u.published_at))
            is_new = inside(initiative.published_at)
            if is_new or updates or inside(initiative.updated_at):
                items.append((pk, is_new, updates))
        return tuple(items)

    def sections(self, items: tuple) -> list[DigestSection]:
        """The digest's sections for `items`: by key task, new records first within each."""
        sections: dict[int, DigestSection] = {}
        for pk, is_new, update_ids in items:
            initiative = self.by_pk[pk]
            updates = [u for u in initiative.window_updates if u.pk in update_ids]
            section = sections.setdefault(
                initiative.key_task_id, DigestSection(key_task=initiative.key_task, items=[])
            )
            section.items.append(DigestItem(initiative=initiative, is_new=is_new, updates=updates))
        ordered = sorted(sections.values(), key=lambda s: s.key_task.number)
        for section in ordered:
            section.items.sort(key=lambda item: not item.is_new)
        return ordered


def digest_sections(
    *,
    subscription: Subscription,
    candidates,
    window_start,
    window_end,
    followed: set[int],
    search_ids: set[int] | None = None,
) -> list[DigestSection]:
    """What this subscriber gets: news in their own window, grouped by key task."""
    index = CandidateIndex(list(candidates))
    items = index.items(
        subscription=subscription,
        window_start=window_start,
        window_end=window_end,
        followed=followed,
        search_ids=search_ids,
    )
    return index.sections(items)


def weekly_archive(*, weeks: int = 8, now=None) -> list[dict]:
    """The public weekly digest: initiatives first published in each recent ISO week, by key task."""
    now = now or timezone.now()
    today = now.date()
    this_monday = today - datetime.timedelta(days=today.weekday())
    first_monday = this_monday - datetime.timedelta(weeks=weeks - 1)
    start = datetime.datetime.combine(first_monday, datetime.time.min, tzinfo=datetime.UTC)
    initiatives = (
        Initiative.objects.published()
        .filter(published_at__gte=start, published_at__lte=now)
        .select_related("key_task")
        .prefetch_related("translations")
        .order_by("-published_at", "pk")
    )
    by_week: dict[datetime.date, dict[int, DigestSection]] = defaultdict(dict)
    for initiative in initiatives:
        published = initiative.published_at.astimezone(datetime.UTC).date()
        monday = published - datetime.timedelta(days=published.weekday())
        sections = by_week[monday]
        sections.setdefault(
            initiative.key_task_id, DigestSection(key_task=initiative.key_task, items=[])
        ).items.append(DigestItem(initiative=initiative, is_new=True))
    archive = []
    for monday in sorted(by_week, reverse=True):
        year, week, _ = monday.isocalendar()
        archive.append(
            {
                "key": f"{year}-W{week:02d}",
                "start": monday,
                "end": monday + datetime.timedelta(days=6),
                "sections": sorted(by_week[monday].values(), key=lambda s: s.key_task.number),
                "count": sum(len(s.items) for s in by_week[monday].values()),
            }
        )
    return archive
