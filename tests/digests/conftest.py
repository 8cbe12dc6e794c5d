import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from digests import services
from tests import factories


@pytest.fixture(autouse=True)
def digest_settings(settings):
    # Records made a moment ago belong in the digest under test; production waits a minute.
    settings.DIGESTS_SETTLE_SECONDS = 0
    settings.DIGESTS_BATCH_SIZE = 100
    settings.SITE_URL = "https://concord.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


def subscriber(*, language="en", frequency="daily", **topics):
    user = factories.UserFactory(preferred_language=language)
    services.subscription_update(user=user, frequency=frequency, **topics)
    return user


def run_digests(kind="daily", period=None):
    """Send a period's messages in-process, batch by batch, as the worker would."""
    run = services.digest_run_start(kind=kind, period=period)
    results = [services.digest_batch_send(run_id=run.pk, ids=ids) for ids in services.due_batches(run=run)]
    return run, results


class RecordingHandler:
    """An SMTP server's mailbox; addresses in `refuse` get that reply instead of acceptance."""

    def __init__(self):
        self.messages = []
        self.refuse: dict[str, str] = {}
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield handler
    controller.stop()
