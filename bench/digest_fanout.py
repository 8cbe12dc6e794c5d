"""Digest fan-out: recipients per second through the real service and templates, batched vs one by one.

Run by bench/run.py as `python -m bench.digest_fanout` with DJANGO_SETTINGS_MODULE=bench.settings
and EMAIL_URL pointing at a local SMTP sink. Both ways call digests.services.digest_batch_send,
which is what a Celery worker runs for one task: in batches of DIGESTS_BATCH_SIZE (one SMTP
connection and one candidate query per batch), and as the baseline one task per recipient.
They take disjoint subscriptions of the same daily run, so neither finds the other's work
done. Each side stops at its recipient budget or its time budget, whichever comes first;
the rate is what extrapolates to the whole set. Prints one JSON object.
"""

import argparse
import json
import time

import django


def _measure(send, groups, *, budget_seconds: float) -> dict:
    started = time.monotonic()
    recipients = sent = empty = failed = 0
    for ids in groups:
        result = send(ids)
        recipients += len(ids)
        sent += len(result.sent)
        empty += len(result.empty)
        failed += len(result.failed)
        if time.monotonic() - started > budget_seconds:
            break
    elapsed = time.monotonic() - started
    return {
        "recipients": recipients,
        "sent": sent,
        "empty": empty,
        "failed": failed,
        "seconds": round(elapsed, 2),
        "recipients_per_second": round(recipients / elapsed, 1) if elapsed else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batched", type=int, default=5000, help="Recipients to send in batches.")
    parser.add_argument("--single", type=int, default=500, help="Recipients to send one task each.")
    parser.add_argument("--budget", type=float, default=60.0, help="Seconds at most per side.")
    args = parser.parse_args()

    django.setup()
    from django.conf import settings

    from digests import services
    from digests.choices import RunKind
    from digests.models import Subscription

    run = services.digest_run_start(kind=RunKind.DAILY)
    size = max(1, settings.DIGESTS_BATCH_SIZE)
    due = [ids for batch in services.due_batches(run=run) for ids in batch]
    batched_ids, single_ids = due[: args.batched], due[args.batched : args.batched + args.single]

    def send(ids):
        return services.digest_batch_send(run_id=run.pk, ids=ids)

    batched = _measure(
        send,
        [batched_ids[i : i + size] for i in range(0, len(batched_ids), size)],
        budget_seconds=args.budget,
    )
    single = _measure(send, [[pk] for pk in single_ids], budget_seconds=args.budget)
    ratio = None
    if batched["recipients_per_second"] and single["recipients_per_second"]:
        ratio = round(batched["recipients_per_second"] / single["recipients_per_second"], 2)
    print(
        json.dumps(
            {
                "subscriptions": Subscription.objects.active().count(),
                "due": len(due),
                "batch_size": size,
                "batched": batched,
                "single": single,
                "ratio": ratio,
            }
        )
    )


if __name__ == "__main__":
    main()
