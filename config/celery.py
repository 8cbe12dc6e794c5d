"""The Celery application; tasks are discovered in each installed app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("concord")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Imports keep their task beside the pipeline it runs (initiatives/imports/jobs.py).
app.autodiscover_tasks(["initiatives.imports"], related_name="jobs")
