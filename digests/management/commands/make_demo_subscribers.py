"""Create many demo subscribers (for measuring a digest run); running it again adds none twice."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from digests.choices import Frequency, SubscriptionKind
from digests.models import Subscription
from governance.models import Country, KeyTask


class Command(BaseCommand):
    help = "Create N demo users with daily or weekly digest subscriptions (mixed topics and languages)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10000)
        parser.add_argument("--frequency", default=Frequency.DAILY)
        parser.add_argument("--prefix", default="demo-subscriber")
        parser.add_argument(
            "--since-days",
            type=int,
            default=7,
            help="start each digest this many days back, so existing records are in it",
        )

    @transaction.atomic
    def handle(self, *args, count, frequency, prefix, since_days, **options):
        if frequency not in (Frequency.DAILY, Frequency.WEEKLY):
            raise CommandError("--frequency must be daily or weekly.")
        if not 0 < count <= 1_000_000:
            raise CommandError("--count must be between 1 and 1000000.")
        User = get_user_model()
        unusable = make_password(None)
        names = [f"{prefix}-{n:06d}" for n in range(1, count + 1)]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        users = [
            User(
                username=name,
                email=f"{name}@example.org",
                preferred_language="zh-hans" if index % 3 == 0 else "en",
                password=unusable,  # demo subscribers never sign in
            )
            for index, name in enumerate(names)
            if name not in existing
        ]
        User.objects.bulk_create(users, batch_size=2000)
        created = User.objects.filter(username__in=[u.username for u in users]).order_by("pk")
        cursor = timezone.now() - datetime.timedelta(days=since_days)
        Subscription.objects.bulk_create(
            [
                Subscription(user=user, kind=SubscriptionKind.PROFILE, frequency=frequency, cursor=cursor)
                for user in created
            ],
            batch_size=2000,
        )
        subscriptions = list(
            Subscription.objects.filter(user__in=created, kind=SubscriptionKind.PROFILE).order_by("pk")
        )
        key_tasks = list(KeyTask.objects.order_by("number"))
        countries = list(Country.objects.filter(code__in=["CN", "KE", "BR", "ID", "ZA", "IN"]))
        # A third watch one key task, a third one country, the rest everything.
        KeyTaskLink = Subscription.key_tasks.through
        CountryLink = Subscription.countries.through
        KeyTaskLink.objects.bulk_create(
            [
                KeyTaskLink(subscription_id=s.pk, keytask_id=key_tasks[i % len(key_tasks)].pk)
                for i, s in enumerate(subscriptions)
                if i % 3 == 1 and key_tasks
            ],
            batch_size=2000,
        )
        CountryLink.objects.bulk_create(
            [
                CountryLink(subscription_id=s.pk, country_id=countries[i % len(countries)].pk)
                for i, s in enumerate(subscriptions)
                if i % 3 == 2 and countries
            ],
            batch_size=2000,
        )
        self.stdout.write(f"{len(subscriptions)} demo subscribers created ({len(existing)} existed already).")
