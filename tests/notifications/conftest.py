"""Events as the services announce them, delivered in this process by calling the services the
tasks call (the worker tests run the tasks themselves)."""

import contextlib

import pytest

from notifications import services, tasks
from notifications.models import Notification


@pytest.fixture(autouse=True)
def notification_settings(settings):
    settings.SITE_URL = "https://concord.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


class Events:
    """The events announced inside `collect()`, each as the payload its task would get."""

    def __init__(self, capture):
        self.capture = capture
        self.payloads: list[dict] = []

    @contextlib.contextmanager
    def collect(self):
        with self.capture(execute=False) as callbacks:
            yield self
        for callback in callbacks:
            if getattr(callback, "func", None) == tasks.notifications_for_event.delay:
                self.payloads.append(callback.args[0])

    def deliver(self, times: int = 1) -> None:
        """Run the task's work for every event collected, `times` over, e-mails included."""
        for _ in range(times):
            for payload in self.payloads:
                for pk in services.notifications_create(payload=payload):
                    services.notification_email_send(notification_id=pk)


@pytest.fixture
def events(django_capture_on_commit_callbacks):
    return Events(django_capture_on_commit_callbacks)


def told(user):
    """{kind: count} of what this person was told."""
    counts: dict[str, int] = {}
    for kind in Notification.objects.filter(recipient=user).values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    return counts
