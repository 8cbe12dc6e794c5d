"""Composing: the message each delivery would carry (a digest, a reminder, a nudge), or
none when there is nothing to say; and the preview of a run built from it.
"""

import datetime
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from notifications import emails as notification_emails
from notifications import selectors as notification_selectors

from .. import emails, selectors
from ..choices import DIGEST_KINDS, RunKind, SubscriptionKind
from ..models import DigestDelivery, DigestRun, Subscription
from .runs import period_key


class _RunEditions:
    """What a worker process keeps of the run it is sending: the window's candidates, each
    saved search's matches and each distinct digest, rendered once and reused by every batch
    that meets it again. Kept for one run and a few minutes at most, and bounded in size."""

    def __init__(self, *, key: tuple, since, rendered: int = 0):
        self.key, self.since = key, since
        self.loaded_at = time.monotonic()
        self.index = selectors.CandidateIndex(selectors.digest_candidates(since=since, until=key[2]))
        self.searches: dict[str, frozenset] = {}
        self.search_parameters: dict[tuple, set[int]] = {}
        self.editions: OrderedDict = OrderedDict()
        self.rendered = rendered

    def fresh_for(self, *, key: tuple, since) -> bool:
        age = time.monotonic() - self.loaded_at
        return (
            self.key == key
            and self.since <= since
            and age < getattr(settings, "DIGESTS_EDITION_SECONDS", 300)
        )

    def search_ids(self, queries) -> dict[str, frozenset]:
        missing = {q for q in queries if q not in self.searches}
        if missing:
            found = selectors.search_matches(
                queries=missing, initiative_ids=self.index.ids, known=self.search_parameters
            )
            self.searches.update((q, frozenset(ids)) for q, ids in found.items())
        return self.searches

    def edition(self, *, key: tuple, subscription, items) -> emails.DigestEdition:
        edition = self.editions.get(key)
        if edition is None:
            edition = emails.DigestEdition(
                language=key[0], subscription=subscription, sections=self.index.sections(items)
            )
            self.editions[key] = edition
            self.rendered += 1
            if len(self.editions) > getattr(settings, "DIGESTS_EDITIONS_KEPT", 5000):
                self.editions.popitem(last=False)
        else:
            self.editions.move_to_end(key)
        return edition


_kept = threading.local()


def run_editions(*, run: DigestRun, since) -> _RunEditions:
    """This process's editions of `run`, loading the window again if it reaches further back."""
    key = (run.pk, run.period_key, run.window_end)
    kept = getattr(_kept, "run", None)
    if kept is None or not kept.fresh_for(key=key, since=since):
        rendered = kept.rendered if kept is not None and kept.key == key else 0
        kept = _kept.run = _RunEditions(key=key, since=since, rendered=rendered)
    return kept


def _digests_compose(*, run: DigestRun, deliveries, connection) -> list[tuple]:
    """Recipients with the same items, language and kind share one rendered digest; each
    copy gets its own greeting, unsubscribe link, address and Message-ID at send time."""
    live = [d for d in deliveries if d.subscription and d.subscription.frequency == run.kind]
    if not live:
        return [(delivery, None, 0) for delivery in deliveries]
    kept = run_editions(run=run, since=min(d.window_start for d in live))
    index = kept.index
    follows = selectors.followed_ids(user_ids={d.recipient_id for d in live}, initiative_ids=index.ids)
    searches = kept.search_ids(
        d.subscription.query for d in live if d.subscription.kind == SubscriptionKind.SEARCH
    )
    # The notifications each person chose to get in their digest: their own section after the
    # shared part, in their profile digest only (a saved search's digest is about its search).
    personal = notification_selectors.for_digest(
        {d.recipient_id for d in live if d.subscription.kind != SubscriptionKind.SEARCH}
    )
    live_ids = {id(d) for d in live}
    composed = []
    for delivery in deliveries:
        subscription = delivery.subscription
        if id(delivery) not in live_ids:
            composed.append((delivery, None, 0))
            continue
        items = index.items(
            subscription=subscription,
            window_start=delivery.window_start,
            window_end=delivery.window_end,
            followed=follows.get(delivery.recipient_id, set()),
            search_ids=searches.get(subscription.query),
        )
        is_search = subscription.kind == SubscriptionKind.SEARCH
        notifications = [] if is_search else personal.get(delivery.recipient_id, [])
        if not items and not notifications:
            composed.append((delivery, None, 0))
            continue
        language = delivery.recipient.preferred_language or settings.LANGUAGE_CODE
        key = (language, is_search, subscription.name if is_search else "", items)
        edition = kept.edition(key=key, subscription=subscription, items=items)
        personal_text, personal_html = notification_emails.digest_part(
            notifications=notifications, language=language
        )
        message = edition.message_for(
            delivery=delivery, connection=connection, personal_text=personal_text, personal_html=personal_html
        )
        # Marked as carried once the mail server has accepted this digest (delivery._record).
        delivery.notification_ids = [n.pk for n in notifications]
        composed.append((delivery, message, edition.item_count))
    return composed


def deliveries_compose(*, run: DigestRun, deliveries, connection=None, now=None) -> list[tuple]:
    """(delivery, message or None, item count) for each delivery; None means nothing to say."""
    now = now or timezone.now()
    if not deliveries:
        return []
    composed = []
    if run.kind in DIGEST_KINDS:
        composed = _digests_compose(run=run, deliveries=deliveries, connection=connection)
    elif run.kind == RunKind.REMINDER:
        waiting = list(selectors.waiting_submissions(now=now))
        for delivery in deliveries:
            # Nobody moderates their own submission, so it is not theirs to be reminded of.
            mine = [i for i in waiting if i.owner_id != delivery.recipient_id]
            message = (
                emails.reminder_message(delivery=delivery, initiatives=mine, connection=connection)
                if mine
                else None
            )
            composed.append((delivery, message, len(mine)))
    else:
        stale: dict[int, list] = {}
        owners = {d.recipient_id for d in deliveries}
        for initiative in selectors.stale_initiatives(now=now).filter(owner_id__in=owners):
            stale.setdefault(initiative.owner_id, []).append(initiative)
        for delivery in deliveries:
            mine = stale.get(delivery.recipient_id, [])
            message = (
                emails.nudge_message(delivery=delivery, initiatives=mine, connection=connection)
                if mine
                else None
            )
            composed.append((delivery, message, len(mine)))
    return composed


def digest_preview(*, kind: str, period: str | None = None, now=None) -> list[tuple]:
    """What a run would send now, without claiming or sending: (address, item count, subject)."""
    now = now or timezone.now()
    key = period_key(kind=kind, period=period, now=now)
    run = DigestRun.objects.filter(kind=kind, period_key=key).first() or DigestRun(
        kind=kind,
        period_key=key,
        window_end=now
        - datetime.timedelta(seconds=settings.DIGESTS_SETTLE_SECONDS if kind in DIGEST_KINDS else 0),
    )
    ids = selectors.due_ids(kind=kind, period_key=key, now=now)
    preview = []
    User = get_user_model()
    size = max(1, settings.DIGESTS_BATCH_SIZE)
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        if kind in DIGEST_KINDS:
            subscriptions = (
                Subscription.objects.filter(pk__in=chunk)
                .select_related("user")
                .prefetch_related("key_tasks", "countries")
            )
            deliveries = [
                DigestDelivery(
                    run=run,
                    kind=kind,
                    period_key=key,
                    subscription=s,
                    recipient=s.user,
                    email=s.user.email,
                    window_start=s.cursor,
                    window_end=run.window_end,
                )
                for s in subscriptions
            ]
        else:
            deliveries = [
                DigestDelivery(
                    run=run, kind=kind, period_key=key, recipient=u, email=u.email, window_end=run.window_end
                )
                for u in User.objects.filter(pk__in=chunk)
            ]
        for delivery, message, count in deliveries_compose(run=run, deliveries=deliveries, now=now):
            preview.append((delivery.email, count, message.subject if message else ""))
    return preview
