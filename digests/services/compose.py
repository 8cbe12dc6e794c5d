"""Composing: the message each delivery would carry (a digest, a reminder, a nudge), or
none when there is nothing to say; and the preview of a run built from it.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from .. import emails, selectors
from ..choices import DIGEST_KINDS, RunKind, SubscriptionKind
from ..models import DigestDelivery, DigestRun, Subscription
from .runs import period_key


def deliveries_compose(*, run: DigestRun, deliveries, connection=None, now=None) -> list[tuple]:
    """(delivery, message or None, item count) for each delivery; None means nothing to say."""
    now = now or timezone.now()
    if not deliveries:
        return []
    composed = []
    if run.kind in DIGEST_KINDS:
        live = [d for d in deliveries if d.subscription and d.subscription.frequency == run.kind]
        since = min((d.window_start for d in live), default=run.window_end)
        candidates = selectors.digest_candidates(since=since, until=run.window_end) if live else []
        candidate_ids = [c.pk for c in candidates]
        follows = selectors.followed_ids(
            user_ids={d.recipient_id for d in live}, initiative_ids=candidate_ids
        )
        searches = selectors.search_matches(
            queries=[d.subscription.query for d in live if d.subscription.kind == SubscriptionKind.SEARCH],
            initiative_ids=candidate_ids,
        )
        live_ids = {id(d) for d in live}
        for delivery in deliveries:
            if id(delivery) not in live_ids:
                composed.append((delivery, None, 0))
                continue
            sections = selectors.digest_sections(
                subscription=delivery.subscription,
                candidates=candidates,
                window_start=delivery.window_start,
                window_end=delivery.window_end,
                followed=follows.get(delivery.recipient_id, set()),
                search_ids=searches.get(delivery.subscription.query),
            )
            count = sum(len(s.items) for s in sections)
            message = (
                emails.digest_message(delivery=delivery, sections=sections, connection=connection)
                if count
                else None
            )
            composed.append((delivery, message, count))
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
