import json

import pytest
from django_celery_beat.models import PeriodicTask

from config.celery import app

pytestmark = pytest.mark.django_db


def test_beat_schedules_are_in_the_database_and_name_a_real_task():
    import digests.tasks  # noqa: F401  (registers the tasks)

    tasks = {t.name: t for t in PeriodicTask.objects.select_related("crontab")}
    daily, weekly = tasks["Daily digest"], tasks["Weekly digest"]
    assert (daily.crontab.minute, daily.crontab.hour, daily.crontab.day_of_week) == ("0", "7", "*")
    assert (weekly.crontab.minute, weekly.crontab.hour, weekly.crontab.day_of_week) == ("0", "7", "1")
    assert str(daily.crontab.timezone) == "UTC"
    assert json.loads(tasks["Moderator reminder"].args) == ["reminder"]
    assert json.loads(tasks["Owner nudge"].args) == ["nudge"]
    for task in tasks.values():
        if task.name in {"Daily digest", "Weekly digest", "Moderator reminder", "Owner nudge"}:
            assert task.enabled and task.task in app.tasks
