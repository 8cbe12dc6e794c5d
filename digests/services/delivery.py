"""Deliveries: claiming a batch, sending it over one connection, retrying failures.

Sending is not one transaction (a mail server cannot be rolled back): a delivery is
claimed by inserting its row (the unique constraint refuses a second one) and taking a
lease with a conditional UPDATE; the messages of a batch go out over one connection, and
those the server accepted are marked sent, with their subscriptions' cursors, in one
commit at the end of the batch. A worker killed mid-batch leaves the messages accepted
since that commit in flight; their leases expire and the next run sends them again with
the same Message-IDs. A message the server never accepted is never marked sent, so none
is skipped.
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
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    F,
    Prefetch,
    Q,
    TextField,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Concat, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Country, KeyTask
from notifications.services import notifications_digested

from .. import emails
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


@transaction.atomic
def _claim(*, run: DigestRun, ids: list[int], now) -> tuple[uuid.UUID, list[DigestDelivery]]:
    """Insert this batch's delivery rows (ignoring those that exist) and lease the free ones,
    in one commit."""
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
    claimed = DigestDelivery.objects.filter(scope, kind=run.kind, period_key=run.period_key).filter(
        claim_token=token, status=DeliveryStatus.SENDING
    )
    if run.kind not in DIGEST_KINDS:
        return token, list(claimed.select_related("recipient").order_by("pk"))
    claimed = list(claimed.order_by("pk"))
    # The recipient is the subscription's user: the rows read above serve both.
    by_pk = {s.pk: s for s in subscriptions}
    for delivery in claimed:
        subscription = by_pk.get(delivery.subscription_id)
        if subscription is None:  # no longer active; its row was written by an earlier claim
            subscription = Subscription.objects.select_related("user").get(pk=delivery.subscription_id)
        delivery.subscription = subscription
        delivery.recipient = subscription.user
    if claimed:
        prefetch_related_objects(
            [d.subscription for d in claimed],
            Prefetch("key_tasks", queryset=KeyTask.objects.only("pk")),
            Prefetch("countries", queryset=Country.objects.only("code")),
        )
    return token, claimed


@transaction.atomic
def _record(*, run: DigestRun, token, accepted: list, empty: list) -> None:
    """One commit for what the server accepted since the last and for what had nothing to
    say: their ledger rows in one UPDATE, their subscriptions' cursors in another."""
    if not (accepted or empty):
        return
    now = timezone.now()
    prefix, suffix = emails.message_id_parts(kind=run.kind, period_key=run.period_key)
    sent_ids = [delivery.pk for delivery, _count in accepted]
    by_count: dict[int, list[int]] = {}
    for delivery, count in accepted:
        by_count.setdefault(count, []).append(delivery.pk)
    sent = Q(pk__in=sent_ids)
    DigestDelivery.objects.filter(pk__in=sent_ids + [d.pk for d in empty], claim_token=token).update(
        status=Case(
            When(sent, then=Value(DeliveryStatus.SENT)),
            default=Value(DeliveryStatus.EMPTY),
            output_field=CharField(),
        ),
        sent_at=Case(When(sent, then=Value(now)), default=F("sent_at"), output_field=DateTimeField()),
        last_error=Case(When(sent, then=Value("")), default=F("last_error"), output_field=TextField()),
        message_id=Case(
            When(sent, then=Concat(Value(prefix), Cast("pk", CharField()), Value(suffix))),
            default=F("message_id"),
            output_field=CharField(),
        ),
        item_count=Case(*(When(pk__in=pks, then=Value(n)) for n, pks in by_count.items()), default=Value(0)),
        lease_until=None,
    )
    # The cursor moves past the window of a sent digest, and past one with nothing in it too:
    # the next digest starts where this one ended.
    by_end: dict = {}
    for delivery, _count in accepted:
        if delivery.subscription_id:
            by_end.setdefault(delivery.window_end, ([], []))[0].append(delivery.subscription_id)
    for delivery in empty:
        if delivery.subscription_id and delivery.subscription.frequency == delivery.kind:
            by_end.setdefault(delivery.window_end, ([], []))[1].append(delivery.subscription_id)
    for window_end, (sent_to, had_nothing) in by_end.items():
        Subscription.objects.filter(pk__in=sent_to + had_nothing).update(
            cursor=Greatest(F("cursor"), Value(window_end)),
            last_sent_at=Case(
                When(pk__in=sent_to, then=Value(now)), default=F("last_sent_at"), output_field=DateTimeField()
            ),
        )
    notifications_digested(
        ids=[pk for delivery, _count in accepted for pk in getattr(delivery, "notification_ids", ())]
    )
    accepted.clear()
    empty.clear()


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
    """Claim and send one batch over one SMTP connection, then record it in one commit.

    A worker killed mid-batch leaves the messages the server accepted since the last
    commit in flight: their claims lapse and the next run sends them again under the same
    Message-ID; nothing else is sent twice and nothing is skipped. On a transient SMTP error
    what was accepted is recorded, the rest released and the error re-raised (the task
    retries with backoff); on the final attempt the rest is marked failed.
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
    result.empty = [d.email for d in empty]
    pending = [(d, m, n) for d, m, n in composed if m is not None]
    if not pending:
        _record(run=run, token=token, accepted=[], empty=empty)
        return result
    lease = datetime.timedelta(seconds=settings.DIGESTS_LEASE_SECONDS)
    accepted: list = []

    def give_back_rest(rest, error):
        _record(run=run, token=token, accepted=accepted, empty=empty)
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
                # A slow batch: record what went out so far and extend the claim on the rest.
                _record(run=run, token=token, accepted=accepted, empty=empty)
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
            accepted.append((delivery, count))
            result.sent.append(delivery.email)
    finally:
        try:
            _record(run=run, token=token, accepted=accepted, empty=empty)
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
