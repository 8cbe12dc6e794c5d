"""Runs: one per kind and period, started once however often it is fired, and its batches.

digests.tasks imports these services, so they enqueue the batch task by its registered
name (through the Celery app) rather than importing the task.
"""

import datetime
from functools import partial

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..choices import DIGEST_KINDS, RunKind
from ..models import DigestRun

SEND_BATCH_TASK = "digests.tasks.digest_send_batch"


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


def batch_enqueue(run_id: int, ids: list[int]) -> None:
    """Queue one batch of a run for a worker; call it on commit."""
    current_app.send_task(SEND_BATCH_TASK, args=(run_id, ids))


@transaction.atomic
def digest_run_dispatch(*, run: DigestRun) -> list[list[int]]:
    """Enqueue one task per batch of whoever has not had this period's message yet."""
    batches = due_batches(run=run)
    DigestRun.objects.filter(pk=run.pk).update(
        last_dispatched_at=timezone.now(),
        dispatch_count=F("dispatch_count") + 1,
        batch_count=F("batch_count") + len(batches),
    )
    for ids in batches:
        transaction.on_commit(partial(batch_enqueue, run.pk, ids))
    return batches
