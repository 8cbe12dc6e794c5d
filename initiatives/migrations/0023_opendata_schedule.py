"""The nightly open-data dump, stored in django-celery-beat's tables so the admin can change it.

Times are UTC. Like the digests' schedules (digests/migrations/0002_beat_schedules.py), an
entry that already exists (an administrator may have changed it) is left as it is.
"""

from django.db import migrations
from django.utils import timezone

NAME = "Open data dump"
TASK = "initiatives.tasks.opendata_export"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="2",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="UTC",
    )
    PeriodicTask.objects.create(
        name=NAME,
        task=TASK,
        crontab=crontab,
        args="[]",
        kwargs="{}",
        enabled=True,
        description="Every published initiative as CSV and JSON Lines with a datapackage.json, "
        "every night at 02:30 UTC (the Open data page).",
    )
    # Beat reloads its schedule when this marker changes.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0022_initiative_external_id"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
