"""The scheduled jobs, stored in django-celery-beat's tables so the admin can change them.

Times are UTC. Running the migration again (or after an administrator edited a schedule)
leaves existing entries as they are: only missing ones are created.
"""

import json

from django.db import migrations
from django.utils import timezone

SCHEDULES = [
    # name, task kind, minute, hour, day of week, description
    ("Daily digest", "daily", "0", "7", "*", "Digests for daily subscribers, every day at 07:00 UTC."),
    ("Weekly digest", "weekly", "0", "7", "1", "Digests for weekly subscribers, Mondays at 07:00 UTC."),
    (
        "Moderator reminder",
        "reminder",
        "0",
        "6",
        "*",
        "Moderators hear of submissions waiting over 48 hours, every day at 06:00 UTC.",
    ),
    (
        "Owner nudge",
        "nudge",
        "0",
        "8",
        "1",
        "Owners of active initiatives with no update in 90 days, Mondays at 08:00 UTC.",
    ),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, kind, minute, hour, day_of_week, description in SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="UTC",
        )
        PeriodicTask.objects.create(
            name=name,
            task="digests.tasks.digest_run",
            crontab=crontab,
            args=json.dumps([kind]),
            kwargs="{}",
            enabled=True,
            description=description,
        )
    # Beat reloads its schedule when this marker changes.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[row[0] for row in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0001_subscriptions_and_ledger"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
