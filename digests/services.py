"""Every write of the digests domain: subscriptions, runs, claims and deliveries.

Sending is not one transaction (a mail server cannot be rolled back): a delivery is
claimed by inserting its row (the unique constraint refuses a second one) and taking a
lease with a conditional UPDATE; each message is marked sent, and its subscription's
cursor moved, right after the server accepted it. A worker killed mid-batch leaves at
most one message whose fate is unknown; its lease expires, the next run sends it again
with the same Message-ID.
"""

import datetime
import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Country, KeyTask

from . import emails, selectors
from .choices import DIGEST_KINDS, DeliveryStatus, Frequency, RunKind, SubscriptionKind, Watch
from .models import DigestDelivery, DigestRun, Subscription
from .tokens import unsubscribe_token_read

logger = logging.getLogger(__name__)

MAX_TAGS = 50


# Subscriptions ---------------------------------------------------------------------------


def _clean_frequency(frequency, errors: dict) -> str:
    if frequency not in Frequency.values:
        errors["frequency"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Frequency.values)}]
    return frequency


def _resolve_topics(*, key_tasks, countries, tags, errors: dict):
    key_tasks = [str(k) for k in (key_tasks or [])]
    found_tasks = list(KeyTask.objects.filter(slug__in=key_tasks))
    unknown = sorted(set(key_tasks) - {k.slug for k in found_tasks})
    if unknown:
        errors["key_tasks"] = [_("Unknown key task: %(slugs)s.") % {"slugs": ", ".join(unknown)}]
    codes = [str(c).upper() for c in (countries or [])]
    found_countries = list(Country.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {c.code for c in found_countries})
    if unknown:
        errors["countries"] = [_("Unknown country code: %(codes)s.") % {"codes": ", ".join(unknown)}]
    clean_tags = []
    for tag in tags or []:
        tag = str(tag).strip()
        if tag and tag.lower() not in {t.lower() for t in clean_tags}:
            clean_tags.append(tag[:100])
    if len(clean_tags) > MAX_TAGS:
        errors["tags"] = [_("Watch at most %(n)s tags.") % {"n": MAX_TAGS}]
    return found_tasks, found_countries, clean_tags


@transaction.atomic
def subscription_update(
    *,
    user,
    frequency: str,
    watch: str = Watch.TOPICS,
    key_tasks=(),
    countries=(),
    tags=(),
) -> Subscription:
    """Set a user's own digest; switching it on starts from now, never from a backlog."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to manage your digest."))
    errors: dict = {}
    _clean_frequency(frequency, errors)
    if watch not in Watch.values:
        errors["watch"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Watch.values)}]
    found_tasks, found_countries, clean_tags = _resolve_topics(
        key_tasks=key_tasks, countries=countries, tags=tags, errors=errors
    )
    if errors:
        raise ValidationError(errors)
    subscription = (
        Subscription.objects.select_for_update().filter(user=user, kind=SubscriptionKind.PROFILE).first()
    )
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(user=user, kind=SubscriptionKind.PROFILE)
        except IntegrityError:
            # A concurrent request created it first; work on that row.
            subscription = Subscription.objects.select_for_update().get(
                user=user, kind=SubscriptionKind.PROFILE
            )
    if subscription.frequency == Frequency.OFF and frequency != Frequency.OFF:
        subscription.cursor = timezone.now()
    subscription.frequency = frequency
    subscription.watch = watch
    subscription.tags = clean_tags
    subscription.save()
    subscription.key_tasks.set(found_tasks)
    subscription.countries.set(found_countries)
    return subscription


@transaction.atomic
def saved_search_create(
    *, user, query: str, name: str = "", frequency: str = Frequency.WEEKLY
) -> Subscription:
    """Save a browse query as a subscription of its own; its digest starts from now."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to save a search."))
    errors: dict = {}
    query = (query or "").strip().lstrip("?")
    if not query:
        errors["query"] = [_("Filter the list first; an empty search cannot be saved.")]
    elif len(query) > 2000:
        errors["query"] = [_("This search is too long to save.")]
    else:
        for field_name, messages in selectors.query_errors(query).items():
            errors.setdefault("query", []).extend(f"{field_name}: {m}" for m in messages)
    _clean_frequency(frequency, errors)
    if errors:
        raise ValidationError(errors)
    return Subscription.objects.create(
        user=user,
        kind=SubscriptionKind.SEARCH,
        query=query,
        name=(name or "").strip()[:200] or query[:200],
        frequency=frequency,
    )


def _own_search(user, subscription) -> Subscription:
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.user_id != getattr(user, "pk", None) or subscription.kind != SubscriptionKind.SEARCH:
        raise PermissionDenied(_("This saved search is not yours."))
    return subscription


@transaction.atomic
def saved_search_update(*, user, subscription: Subscription, frequency: str, name: str | None = None):
    """Change a saved search's frequency or name; only its owner may."""
    subscription = _own_search(user, subscription)
    errors: dict = {}
    _clean_frequency(frequency, errors)
    if errors:
        raise ValidationError(errors)
    if subscription.frequency == Frequency.OFF and frequency != Frequency.OFF:
        subscription.cursor = timezone.now()
    subscription.frequency = frequency
    if name is not None and name.strip():
        subscription.name = name.strip()[:200]
    subscription.save(update_fields=["frequency", "name", "cursor", "updated_at"])
    return subscription


@transaction.atomic
def saved_search_delete(*, user, subscription: Subscription) -> None:
    """Remove a saved search; its delivery history goes with it."""
    _own_search(user, subscription).delete()


@transaction.atomic
def subscription_unsubscribe(*, token: str) -> Subscription:
    """Switch off the subscription a signed token names; repeating it changes nothing more."""
    value = unsubscribe_token_read(token)
    subscription = (
        Subscription.objects.select_for_update().filter(pk=value["s"], user_id=value.get("u")).first()
    )
    if subscription is None:
        raise ValidationError({"token": [_("This unsubscribe link is no longer valid.")]})
    if subscription.frequency != Frequency.OFF:
        subscription.frequency = Frequency.OFF
        subscription.save(update_fields=["frequency", "updated_at"])
        logger.info("subscription %s unsubscribed by one-click link", subscription.pk)
    return subscription


# Runs ------------------------------------------------------------------------------------


def period_key(*, kind: str, period: str | None = None, now=None) -> str:
    """The period a run covers: a day for daily digests and reminders, an ISO week otherwise.

    `period` lets an operator name it ("2026-11-27" or "2026-W48"); it is checked here.
    """
    if kind not in RunKind.values:
        raise ValidationError({"kind": [_("Unknown run kind “%(kind)s”.") % {"kind": kind}]})
    daily = kind in (RunKind.DAILY, RunKind.REMINDER)
    if period:
        try:
            if daily:
                if len(period) != 10:
                    raise ValueError(period)
                day = datetime.date.fromisoformat(period)
                return f"{kind}:{day.isoformat()}"
            year, week = period.upper().split("-W")
            monday = datetime.date.fromisocalendar(int(year), int(week), 1)
            return f"{kind}:{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
        except ValueError:
            example = "2026-11-27" if daily else "2026-W48"
            raise ValidationError(
                {"period": [_("Give the period as %(example)s.") % {"example": example}]}
            ) from None
    today = (now or timezone.now()).astimezone(datetime.UTC).date()
    if daily:
        return f"{kind}:{today.isoformat()}"
    year, week, _weekday = today.isocalendar()
    return f"{kind}:{year}-W{week:02d}"


def digest_run_start(*, kind: str, period: str | None = None, now=None) -> DigestRun:
    """The run for this kind and period; started once, found again when fired twice."""
    now = now or timezone.now()
    key = period_key(kind=kind, period=period, now=now)
    settle = datetime.timedelta(seconds=settings.DIGESTS_SETTLE_SECONDS if kind in DIGEST_KINDS else 0)
    run = DigestRun.objects.filter(kind=kind, period_key=key).first()
    if run is not None:
        return run
    try:
        with transaction.atomic():
            return DigestRun.objects.create(
                kind=kind, period_key=key, window_end=now - settle, started_at=now
            )
    except IntegrityError:
        return DigestRun.objects.get(kind=kind, period_key=key)


def due_batches(*, run: DigestRun, now=None) -> list[list[int]]:
    ids = selectors.due_ids(kind=run.kind, period_key=run.period_key, now=now)
    size = max(1, settings.DIGESTS_BATCH_SIZE)
    return [ids[i : i + size] for i in range(0, len(ids), size)]


@transaction.atomic
def digest_run_dispatch(*, run: DigestRun) -> list[list[int]]:
    """Enqueue one task per batch of whoever has not had this period's message yet."""
    from .tasks import digest_send_batch

    batches = due_batches(run=run)
    DigestRun.objects.filter(pk=run.pk).update(
        last_dispatched_at=timezone.now(),
        dispatch_count=F("dispatch_count") + 1,
        batch_count=F("batch_count") + len(batches),
    )
    for ids in batches:
        transaction.on_commit(partial(digest_send_batch.delay, run.pk, ids))
    return batches


# Deliveries ------------------------------------------------------------------------------


@dataclass
class BatchResult:
    sent: list = field(default_factory=list)
    empty: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    skipped: int = 0


def _is_permanent(error: Exception) -> bool:
    """A refusal for this message alone (5xx); anything else may pass on a later attempt."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _claim(*, run: DigestRun, ids: list[int], now) -> tuple[uuid.UUID, list[DigestDelivery]]:
    """Insert this batch's delivery rows (ignoring those that exist) and lease the free ones."""
    User = get_user_model()
    if run.kind in DIGEST_KINDS:
        subscriptions = (
            Subscription.objects.active().filter(pk__in=ids, frequency=run.kind).select_related("user")
        )
        rows = [
            DigestDelivery(
                run=run,
                kind=run.kind,
                period_key=run.period_key,
                subscription=s,
                recipient=s.user,
                email=s.user.email,
                window_start=s.cursor,
                window_end=run.window_end,
            )
            for s in subscriptions
        ]
        scope = Q(subscription_id__in=ids)
    else:
        users = User.objects.filter(pk__in=ids, is_active=True).exclude(email="")
        rows = [
            DigestDelivery(
                run=run,
                kind=run.kind,
                period_key=run.period_key,
                recipient=u,
                email=u.email,
                window_end=run.window_end,
            )
            for u in users
        ]
        scope = Q(subscription__isnull=True, recipient_id__in=ids)
    DigestDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    token = uuid.uuid4()
    lease = now + datetime.timedelta(seconds=settings.DIGESTS_LEASE_SECONDS)
    claimable = Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.SENDING, lease_until__lt=now)
    DigestDelivery.objects.filter(scope, kind=run.kind, period_key=run.period_key).filter(claimable).update(
        status=DeliveryStatus.SENDING, claim_token=token, lease_until=lease, attempts=F("attempts") + 1
    )
    claimed = list(
        DigestDelivery.objects.filter(claim_token=token, status=DeliveryStatus.SENDING)
        .select_related("recipient", "subscription__user")
        .prefetch_related("subscription__key_tasks", "subscription__countries")
        .order_by("pk")
    )
    return token, claimed


def _compose(*, run: DigestRun, deliveries, connection=None, now=None) -> list[tuple]:
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


def _move_cursor(*, subscription_ids, window_end) -> None:
    Subscription.objects.filter(pk__in=subscription_ids, cursor__lt=window_end).update(cursor=window_end)


@transaction.atomic
def _mark_sent(*, delivery: DigestDelivery, token, message_id: str, item_count: int) -> None:
    """One commit per accepted message: the ledger row and the subscriber's cursor together."""
    now = timezone.now()
    DigestDelivery.objects.filter(pk=delivery.pk, claim_token=token).update(
        status=DeliveryStatus.SENT,
        sent_at=now,
        lease_until=None,
        last_error="",
        message_id=message_id,
        item_count=item_count,
    )
    if delivery.subscription_id:
        Subscription.objects.filter(pk=delivery.subscription_id).update(
            cursor=Greatest(F("cursor"), Value(delivery.window_end)), last_sent_at=now
        )


@transaction.atomic
def _mark_empty(*, deliveries, token) -> None:
    if not deliveries:
        return
    DigestDelivery.objects.filter(pk__in=[d.pk for d in deliveries], claim_token=token).update(
        status=DeliveryStatus.EMPTY, lease_until=None, item_count=0
    )
    # Nothing matched in the window, so the next digest may start where this one ended.
    by_end: dict = {}
    for delivery in deliveries:
        if delivery.subscription_id and delivery.subscription.frequency == delivery.kind:
            by_end.setdefault(delivery.window_end, []).append(delivery.subscription_id)
    for window_end, subscription_ids in by_end.items():
        _move_cursor(subscription_ids=subscription_ids, window_end=window_end)


def _renew_lease(*, deliveries, token, lost: set[int]):
    """Extend the claim on what is left of a slow batch; note any a newer claim has taken over."""
    now = timezone.now()
    lease_ends = now + datetime.timedelta(seconds=settings.DIGESTS_LEASE_SECONDS)
    ids = [d.pk for d in deliveries]
    mine = DigestDelivery.objects.filter(pk__in=ids, claim_token=token, status=DeliveryStatus.SENDING)
    mine.update(lease_until=lease_ends)
    lost.update(set(ids) - set(mine.values_list("pk", flat=True)))
    return lease_ends


def _give_back(*, deliveries, token, error: Exception, final: bool) -> None:
    """Release unsent claims so a retry can take them, or fail them after the last retry."""
    status = DeliveryStatus.FAILED if final else DeliveryStatus.PENDING
    DigestDelivery.objects.filter(pk__in=[d.pk for d in deliveries], claim_token=token).update(
        status=status,
        claim_token=None,
        lease_until=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )


def digest_batch_send(*, run_id: int, ids: list[int], final_attempt: bool = False) -> BatchResult:
    """Claim and send one batch over one SMTP connection; each accepted message is recorded at once.

    On a transient SMTP error the unsent claims are released and the error re-raised
    (the task retries with backoff); on the final attempt they are marked failed.
    """
    run = DigestRun.objects.get(pk=run_id)
    now = timezone.now()
    token, claimed = _claim(run=run, ids=ids, now=now)
    result = BatchResult()
    if not claimed:
        return result
    connection = get_connection(fail_silently=False)
    composed = _compose(run=run, deliveries=claimed, connection=connection, now=now)
    empty = [d for d, message, _count in composed if message is None]
    _mark_empty(deliveries=empty, token=token)
    result.empty = [d.email for d in empty]
    pending = [(d, m, n) for d, m, n in composed if m is not None]
    if not pending:
        return result
    lease = datetime.timedelta(seconds=settings.DIGESTS_LEASE_SECONDS)

    def give_back_rest(rest, error):
        _give_back(deliveries=[d for d, _m, _n in rest], token=token, error=error, final=final_attempt)
        if not final_attempt:
            raise error
        result.failed.extend(d.email for d, _m, _n in rest)
        logger.error("digest batch of run %s failed for good: %s", run.pk, error)

    try:
        try:
            connection.open()
        except (smtplib.SMTPException, OSError) as error:
            give_back_rest(pending, error)
            return result
        lease_ends = now + lease
        lost: set[int] = set()
        for index, (delivery, message, count) in enumerate(pending):
            if timezone.now() > lease_ends - lease / 2:
                lease_ends = _renew_lease(
                    deliveries=[d for d, _m, _n in pending[index:]], token=token, lost=lost
                )
            if delivery.pk in lost:
                result.skipped += 1
                continue
            try:
                connection.send_messages([message])
            except (smtplib.SMTPException, OSError) as error:
                if not _is_permanent(error):
                    give_back_rest(pending[index:], error)
                    return result
                _give_back(deliveries=[delivery], token=token, error=error, final=True)
                result.failed.append(delivery.email)
                continue
            _mark_sent(
                delivery=delivery,
                token=token,
                message_id=message.extra_headers["Message-ID"],
                item_count=count,
            )
            result.sent.append(delivery.email)
    finally:
        connection.close()
    return result


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
        for delivery, message, count in _compose(run=run, deliveries=deliveries, now=now):
            preview.append((delivery.email, count, message.subject if message else ""))
    return preview


@transaction.atomic
def delivery_retry(*, actor, deliveries) -> int:
    """Put failed deliveries back in line and enqueue them; administrators only."""
    from .tasks import digest_send_batch

    if not (actor and actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("Only administrators retry deliveries."))
    failed = list(
        DigestDelivery.objects.select_for_update().filter(
            pk__in=[d.pk for d in deliveries], status=DeliveryStatus.FAILED
        )
    )
    DigestDelivery.objects.filter(pk__in=[d.pk for d in failed]).update(
        status=DeliveryStatus.PENDING, claim_token=None, lease_until=None
    )
    by_run: dict[int, list[int]] = {}
    for delivery in failed:
        by_run.setdefault(delivery.run_id, []).append(delivery.subscription_id or delivery.recipient_id)
    for run_id, ids in by_run.items():
        transaction.on_commit(partial(digest_send_batch.delay, run_id, ids))
    return len(failed)
