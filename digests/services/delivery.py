"""Deliveries: claiming a batch, sending it over one connection, retrying failures.

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
from django.core.exceptions import PermissionDenied
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import DIGEST_KINDS, DeliveryStatus
from ..models import DigestDelivery, DigestRun, Subscription
from .compose import deliveries_compose
from .runs import batch_enqueue

logger = logging.getLogger(__name__)


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
    composed = deliveries_compose(run=run, deliveries=claimed, connection=connection, now=now)
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


@transaction.atomic
def delivery_retry(*, actor, deliveries) -> int:
    """Put failed deliveries back in line and enqueue them; administrators only."""
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
        transaction.on_commit(partial(batch_enqueue, run_id, ids))
    return len(failed)
