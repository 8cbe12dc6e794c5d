"""Send (or preview) the digests of a period now, the same way the scheduled run does."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from digests import services
from digests.choices import RunKind


class Command(BaseCommand):
    help = "Send the daily or weekly digests due for this period, or show what would be sent (--dry-run)."

    def add_arguments(self, parser):
        # Checked in handle() so that a wrong value gets a one-line reason, not argparse's usage dump.
        parser.add_argument("--frequency", help="daily or weekly")
        parser.add_argument(
            "--period", help="the period to send, e.g. 2026-11-27 (daily) or 2026-W48 (weekly)"
        )
        parser.add_argument("--dry-run", action="store_true", help="list what would be sent; send nothing")

    def handle(self, *args, frequency=None, period=None, dry_run=False, verbosity=1, **options):
        if frequency not in (RunKind.DAILY, RunKind.WEEKLY):
            raise CommandError("--frequency must be daily or weekly.")
        try:
            services.period_key(kind=frequency, period=period)
        except ValidationError as error:
            raise CommandError(" ".join(error.message_dict.get("period", error.messages))) from None
        if dry_run:
            preview = services.digest_preview(kind=frequency, period=period)
            with_news = [row for row in preview if row[1]]
            if verbosity >= 1:
                for email, count, subject in with_news:
                    self.stdout.write(f"would send  {email}  {count} items  {subject}")
            quiet = len(preview) - len(with_news)
            self.stdout.write(
                f"{len(with_news)} digests would be sent, {quiet} subscribers have nothing new."
            )
            return
        run = services.digest_run_start(kind=frequency, period=period)
        started = time.monotonic()
        sent = empty = failed = 0
        for ids in services.due_batches(run=run):
            try:
                result = services.digest_batch_send(run_id=run.pk, ids=ids)
            except OSError as error:  # smtplib errors are OSErrors
                raise CommandError(
                    f"The mail server failed ({error}); {sent} sent so far, "
                    "the rest stay due for the next run."
                ) from None
            if verbosity >= 2:
                for email in result.sent:
                    self.stdout.write(f"sent        {email}")
                for email in result.failed:
                    self.stdout.write(f"failed      {email}")
            elif verbosity >= 1:
                for email in result.sent:
                    self.stdout.write(f"sent  {email}")
            sent, empty, failed = (
                sent + len(result.sent),
                empty + len(result.empty),
                failed + len(result.failed),
            )
        elapsed = time.monotonic() - started
        handled = sent + empty + failed
        rate = handled / elapsed if elapsed > 0 else 0.0
        self.stdout.write(
            f"{run.period_key}: {sent} sent, {empty} with nothing new, {failed} failed; "
            f"{handled} recipients in {elapsed:.1f} s ({rate:.0f} recipients/s)."
        )
        if failed:
            raise CommandError(f"{failed} deliveries failed; see Digests › Deliveries in the admin.")
