"""Digest fan-out: recipients per second through the real run path, against a bare send loop.

Run by bench/run.py as `python -m bench.digest_fanout` with DJANGO_SETTINGS_MODULE=bench.settings
and EMAIL_URL pointing at a local SMTP sink. The run side is what a Celery worker process does
for the day's daily run: the due subscriptions in batches of DIGESTS_BATCH_SIZE, each batch
claimed, grouped by what its recipients get (each distinct digest rendered once per run and
process), sent over one SMTP connection and recorded in one commit. The bare side sends the
same number of messages, rendered beforehand, over one SMTP connection to the same sink: the
most any digest code could do. The run stops at its recipient budget or its time budget,
whichever comes first; the rate is what extrapolates to the whole set. Afterwards the run's
ledger rows are deleted and the subscriptions' cursors put back, so that the next measurement
finds the same work due. Prints one JSON object.
"""

import argparse
import json
import smtplib
import time

import django

PREVIOUS_BATCHED_RATE = 56.5  # recipients/s of the run path before digests were rendered once


def _run(run, batches, *, budget_seconds: float, limit: int) -> dict:
    from digests import services

    started, cpu = time.monotonic(), time.process_time()
    recipients = sent = empty = failed = 0
    for ids in batches:
        ids = ids[: max(0, limit - recipients)]
        if not ids:
            break
        result = services.digest_batch_send(run_id=run.pk, ids=ids)
        recipients += len(ids)
        sent += len(result.sent)
        empty += len(result.empty)
        failed += len(result.failed)
        if time.monotonic() - started > budget_seconds:
            break
    elapsed = time.monotonic() - started
    return {
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "recipients": recipients,
        "sent": sent,
        "empty": empty,
        "failed": failed,
        "seconds": round(elapsed, 2),
        "recipients_per_second": round(recipients / elapsed, 1) if elapsed else None,
        "messages_per_second": round(sent / elapsed, 1) if elapsed else None,
    }


def _prerendered(count: int) -> list[tuple[str, str, bytes]]:
    """`count` finished messages: copies of the digests the run rendered, one per address."""
    from types import SimpleNamespace

    from django.conf import settings
    from django.contrib.auth import get_user_model

    from digests.models import Subscription
    from digests.services import compose

    kept = getattr(compose._kept, "run", None)
    editions = list(kept.editions.values()) if kept else []
    if not editions or not count:
        return []
    subscriptions = list(Subscription.objects.select_related("user").order_by("pk")[:count])
    User = get_user_model()
    messages = []
    for number in range(count):
        subscription = subscriptions[number % len(subscriptions)]
        user = subscription.user or User(username="reader")
        delivery = SimpleNamespace(
            pk=number,
            kind="daily",
            period_key="daily:bench",
            recipient=user,
            email=user.email,
            subscription=subscription,
        )
        message = editions[number % len(editions)].message_for(delivery=delivery)
        content = message.message().as_bytes(linesep="\r\n")
        messages.append((settings.DEFAULT_FROM_EMAIL, user.email, content))
    return messages


def _bare(messages) -> dict:
    """The same number of rendered messages over one SMTP connection, nothing else."""
    from django.conf import settings

    started = time.monotonic()
    if messages:
        with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=30) as client:
            for sender, to, content in messages:
                client.sendmail(sender, [to], content)
    elapsed = time.monotonic() - started
    return {
        "messages": len(messages),
        "seconds": round(elapsed, 2),
        "messages_per_second": round(len(messages) / elapsed, 1) if elapsed and messages else None,
    }


def _restore(run, cursors, *, created: bool) -> None:
    """Forget what the measurement did: its ledger rows go and the cursors it moved are put back."""
    from django.db import connection

    from digests.models import DigestDelivery, DigestRun

    ids = list(cursors)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE digests_subscription s SET cursor = v.cursor, last_sent_at = v.last_sent_at "
            "FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[]) AS v(id, cursor, last_sent_at) "
            "WHERE s.id = v.id",
            [ids, [cursors[i][0] for i in ids], [cursors[i][1] for i in ids]],
        )
    DigestDelivery.objects.filter(run=run, subscription_id__in=ids).delete()
    if created:
        DigestRun.objects.filter(pk=run.pk).delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=0, help="Recipients to send to (0: all due).")
    parser.add_argument("--budget", type=float, default=150.0, help="Seconds at most for the run.")
    parser.add_argument("--keep", action="store_true", help="Keep the run's ledger and cursors.")
    args = parser.parse_args()

    django.setup()
    from django.conf import settings

    from digests import services
    from digests.choices import RunKind
    from digests.models import DigestRun, Subscription
    from digests.services import compose

    key = services.period_key(kind=RunKind.DAILY)
    created = not DigestRun.objects.filter(kind=RunKind.DAILY, period_key=key).exists()
    run = services.digest_run_start(kind=RunKind.DAILY)
    due_ids = [pk for batch in services.due_batches(run=run) for pk in batch]
    cursors = {
        pk: (cursor, last_sent_at)
        for pk, cursor, last_sent_at in Subscription.objects.filter(pk__in=due_ids).values_list(
            "pk", "cursor", "last_sent_at"
        )
    }
    limit = args.recipients or len(due_ids)
    try:
        started = time.monotonic()
        # What a dispatch does (who is due, in batches), then what each batch's task does.
        batches = services.due_batches(run=run)
        dispatch_seconds = time.monotonic() - started
        measured = _run(run, batches, budget_seconds=args.budget, limit=limit)
        measured["seconds"] = round(measured["seconds"] + dispatch_seconds, 2)
        if measured["seconds"]:
            measured["recipients_per_second"] = round(measured["recipients"] / measured["seconds"], 1)
            measured["messages_per_second"] = round(measured["sent"] / measured["seconds"], 1)
        kept = getattr(compose._kept, "run", None)
        distinct = kept.rendered if kept else 0
        bare = _bare(_prerendered(measured["sent"]))
    finally:
        if not args.keep:
            _restore(run, cursors, created=created)
    rate, bare_rate = measured["recipients_per_second"], bare["messages_per_second"]
    print(
        json.dumps(
            {
                "subscriptions": Subscription.objects.active().count(),
                "saved_searches": Subscription.objects.active().filter(kind="search").count(),
                "due": len(due_ids),
                "batch_size": max(1, settings.DIGESTS_BATCH_SIZE),
                "distinct_digests": distinct,
                "run": measured,
                "bare": bare,
                "ratio_to_bare": round(rate / bare_rate, 2) if rate and bare_rate else None,
                "ratio_sent_to_bare": (
                    round(measured["messages_per_second"] / bare_rate, 2)
                    if measured["messages_per_second"] and bare_rate
                    else None
                ),
                "ratio_to_previous_batched": round(rate / PREVIOUS_BATCHED_RATE, 2) if rate else None,
            }
        )
    )


if __name__ == "__main__":
    main()
