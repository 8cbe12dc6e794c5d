"""Synthetic initiatives and digest subscribers at scale, for benchmarks and load tests.

The command parses its arguments and wires the parts of initiatives/synthetic: the
vocabulary and the rows it reuses, the row synthesis, and the COPY writer. Running it
again adds records and reuses the vocabulary.
"""

import queue
import random
import threading
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from governance.models import Country, KeyTask
from initiatives.catalogue import catalogue_changed
from initiatives.models import Initiative
from initiatives.synthetic import rows, vocabulary
from initiatives.synthetic.writer import Writer, reserve_ids, subscription_model, vacuum


class Command(BaseCommand):
    help = "Fill the database with synthetic initiatives and digest subscribers (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--initiatives", type=int, default=1000, help="How many initiatives to add.")
        parser.add_argument("--subscribers", type=int, default=0, help="How many subscribed users to add.")
        parser.add_argument("--batch", type=int, default=10_000, help="Rows of initiatives per transaction.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for a repeatable run.")
        parser.add_argument(
            "--translated",
            type=float,
            default=0.0,
            help="Share of the records (0 to 1) given a translation into their other language; "
            "the same seed gives the same originals whatever the share.",
        )

    def handle(self, *args, initiatives: int, subscribers: int, batch: int, seed, translated, **options):
        if initiatives < 0 or subscribers < 0 or batch < 1:
            raise CommandError("--initiatives and --subscribers must be >= 0 and --batch >= 1.")
        if not 0 <= translated <= 1:
            raise CommandError("--translated must be a share between 0 and 1.")
        if connection.vendor != "postgresql" and initiatives + subscribers > 50_000:
            raise CommandError("Without PostgreSQL (COPY) keep --initiatives + --subscribers under 50000.")
        rng = random.Random(seed)  # noqa: S311 -- synthetic data, not secrets
        started = time.monotonic()
        writer = Writer()
        stakeholders = vocabulary.stakeholders_ensure()
        owners = vocabulary.owners_ensure()
        tags = vocabulary.tags_ensure()
        self.stdout.write(
            f"Frame: {stakeholders} generated stakeholders, {len(owners)} owners, {len(tags)} tags "
            f"({time.monotonic() - started:.1f} s)."
        )
        if initiatives:
            try:
                frame = rows.Frame(
                    owners=owners,
                    tags=tags,
                    rng=rng,
                    translated=translated,
                    # Seeded from the run's seed, apart from `rng`: see rows.Frame.
                    translation_rng=random.Random(None if seed is None else f"translations-{seed}"),  # noqa: S311
                )
            except rows.MissingFrame as error:
                raise CommandError(str(error)) from error
            self._initiatives(writer, frame, initiatives, batch)
            # COPY sends no signals: retire the API answers kept before these rows.
            catalogue_changed()
        if subscribers:
            self._subscribers(writer, subscribers, tags, rng, batch)
        if connection.vendor == "postgresql":
            vacuum_started = time.monotonic()
            command = vacuum(subscribers=bool(subscribers))
            self.stdout.write(f"{command}: {time.monotonic() - vacuum_started:.1f} s.")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))

    def _initiatives(self, writer: Writer, frame: rows.Frame, count: int, batch_size: int) -> None:
        first = reserve_ids(Initiative, count)
        content_type_id = ContentType.objects.get_for_model(Initiative).pk
        now = timezone.now()
        started = time.monotonic()
        written = 0
        # Rows are made in a second thread while PostgreSQL takes in the previous batch:
        # the server's work (indexes, text search vectors) then overlaps with Python's.
        batches = queue.Queue(maxsize=2)

        def produce():
            try:
                for offset in range(0, count, batch_size):
                    batch = rows.Batch()
                    for pk in range(first + offset, first + min(offset + batch_size, count)):
                        rows.initiative_rows(frame, pk, now, batch, content_type_id)
                    batches.put(batch)
            finally:
                batches.put(None)

        producer = threading.Thread(target=produce, daemon=True)
        producer.start()
        done = 0
        while (batch := batches.get()) is not None:
            writer.write(batch)
            written += batch.row_count()
            done += len(batch.initiatives)
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"  initiatives {done}/{count}: {elapsed:.1f} s, "
                f"{done / elapsed:,.0f} initiatives/s, {written / elapsed:,.0f} rows/s"
            )
        producer.join()
        if done != count:
            raise CommandError(f"Stopped after {done} of {count} initiatives; see the error above.")
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Initiatives: {count} in {elapsed:.1f} s ({count / elapsed:,.0f}/s, {written:,} rows, "
            f"{written / elapsed:,.0f} rows/s)."
        )

    def _subscribers(
        self, writer: Writer, count: int, tags: list, rng: random.Random, batch_size: int
    ) -> None:
        """Users with an e-mail address, and a digest subscription when the digests app has one."""
        started = time.monotonic()
        first = reserve_ids(get_user_model(), count)
        now = timezone.now()
        # One unusable password for all: hashing a hundred thousand would take minutes.
        password = make_password(None)
        subscription = subscription_model()
        key_tasks = list(KeyTask.objects.values_list("pk", flat=True))
        countries = list(Country.objects.values_list("code", flat=True))
        tag_names = [tag.name for tag in tags[:200]]
        for offset in range(0, count, batch_size):
            ids = range(first + offset, first + min(offset + batch_size, count))
            users = rows.subscriber_users(ids, rng=rng, now=now, password=password)
            with transaction.atomic():
                writer.copy_models(users)
                if subscription is not None:
                    subscriptions, task_rows, country_rows = rows.subscription_rows(
                        subscription,
                        ids,
                        first=reserve_ids(subscription, len(ids)),
                        rng=rng,
                        now=timezone.now(),
                        key_tasks=key_tasks,
                        countries=countries,
                        tag_names=tag_names,
                    )
                    writer.copy_models(subscriptions)
                    writer.copy_models(task_rows)
                    writer.copy_models(country_rows)
        elapsed = time.monotonic() - started
        what = "users with subscriptions" if subscription is not None else "users"
        self.stdout.write(f"Subscribers: {count} {what} in {elapsed:.1f} s ({count / elapsed:,.0f}/s).")
        if subscription is None:
            self.stdout.write(
                "No digests.Subscription model: subscribers were created without subscriptions."
            )
