"""Demo digest subscriptions for `make run`, so the first scheduled digest has news to send."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from digests.models import Subscription
from digests.services import subscription_update

# username -> (frequency, preferred language)
DEMO_SUBSCRIBERS = {"contributor": ("daily", "en"), "contributor2": ("weekly", "zh-hans")}


class Command(BaseCommand):
    help = "Subscribe the demo contributors to digests covering the last 30 days (idempotent)."

    def handle(self, *args, **options):
        User = get_user_model()
        since = timezone.now() - datetime.timedelta(days=30)
        for username, (frequency, language) in DEMO_SUBSCRIBERS.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                self.stdout.write(f"{username}: no such account; run seed_demo first")
                continue
            if Subscription.objects.filter(user=user).exists():
                continue
            if user.preferred_language != language:
                user.preferred_language = language
                user.save(update_fields=["preferred_language"])
            subscription = subscription_update(user=user, frequency=frequency)
            # Demo only: start the cursor a month back so the first run has something to say.
            Subscription.objects.filter(pk=subscription.pk).update(cursor=since)
            self.stdout.write(f"{username}: {frequency} digest in {language}")
