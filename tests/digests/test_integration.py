"""A real Celery worker on Redis and a real SMTP server on loopback, killed mid-run with SIGKILL.

The worker runs as its own process group against the pytest database (committed data,
hence transactional_db) and sends through an aiosmtpd server in this process.
"""

import asyncio
import datetime
import email
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from email import policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from config.celery import app
from digests.choices import DeliveryStatus
from digests.models import DigestDelivery, Subscription
from digests.tasks import digest_run
from tests import factories
from tests.ops.servers import database_url

from .conftest import free_port, subscriber

BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
BASE_DIR = Path(settings.BASE_DIR)
CELERY = Path(sys.executable).parent / "celery"
LEASE_SECONDS = 4

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process must share the test database, which SQLite keeps in memory",
    ),
]


class SlowableHandler:
    """Collects accepted messages; it stalls before answering DATA for addresses in `slow`,
    and for every message once `stall_after` messages have been accepted."""

    def __init__(self):
        self.messages = []
        self.slow: set[str] = set()
        self.stall_after: int | None = None
        self.stalled = threading.Event()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            full = self.stall_after is not None and len(self.messages) >= self.stall_after
        if full or self.slow & set(envelope.rcpt_tos):
            self.stalled.set()
            for _ in range(300):
                await asyncio.sleep(0.1)
                if server.transport is None or server.transport.is_closing():
                    # The client went away before our 250: the message was never accepted.
                    return "421 Connection lost"
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def received(self):
        with self.lock:
            return list(self.messages)

    def for_address(self, address):
        return [m for m in self.received() if m["To"] == address]


@pytest.fixture
def smtp():
    handler = SlowableHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def broker():
    client = redis.Redis.from_url(BROKER_URL)
    client.flushdb()
    yield BROKER_URL
    client.flushdb()


@pytest.fixture
def workers(tmp_path, smtp, broker, settings):
    """Start workers on demand; each is its own process group, killed at the end."""
    _handler, port = smtp
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "SECRET_KEY": settings.SECRET_KEY,
        "SITE_URL": "https://concord.example",
        "DIGESTS_SETTLE_SECONDS": "0",
        "DIGESTS_BATCH_SIZE": "2",
        "DIGESTS_LEASE_SECONDS": str(LEASE_SECONDS),
        "LOG_LEVEL": "WARNING",
    }
    started = []

    def start(name, concurrency=2, **overrides):
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 -- closed when the worker stops
        process = subprocess.Popen(  # noqa: S603 -- fixed arguments
            [str(CELERY), "-A", "config", "worker", "--pool", "prefork", "--concurrency", str(concurrency)]
            + ["--loglevel", "INFO", "--hostname", f"{name}@%h", "--without-gossip", "--without-mingle"],
            cwd=BASE_DIR,
            env={**env, **overrides},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()
    for path in sorted(tmp_path.glob("*.log")):
        print(f"--- {path.name}\n{path.read_text()[-4000:]}")


def enqueue(broker_url, *args, **kwargs):
    with app.connection_for_write(broker_url) as conn:
        digest_run.apply_async(args=args, kwargs=kwargs, connection=conn)


def wait_until(condition, timeout=90, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {message}")


def in_flight(handler):
    """Message-IDs the mail server accepted that the ledger has not recorded as sent."""
    accepted = {m["Message-ID"] for m in handler.received()}
    recorded = set(
        DigestDelivery.objects.filter(status=DeliveryStatus.SENT).values_list("message_id", flat=True)
    )
    return accepted - recorded, accepted & recorded


def settled(period_suffix):
    open_statuses = [DeliveryStatus.PENDING, DeliveryStatus.SENDING]
    deliveries = DigestDelivery.objects.filter(period_key__endswith=period_suffix)
    return deliveries.exists() and not deliveries.filter(status__in=open_statuses).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_killed_mid_run_sends_every_digest_exactly_once(smtp, broker, workers):
    handler, _port = smtp
    south = subscriber(key_tasks=["global-south"])
    china_zh = subscriber(language="zh-hans", countries=["CN"])
    cables = subscriber(tags=["undersea cables"])
    follower = subscriber(watch="followed")
    nothing = subscriber(key_tasks=["major-power-cooperation"])
    everything = [subscriber(), subscriber(language="zh-hans"), subscriber(), subscriber()]
    slow = everything[2]

    moderator = factories.moderator()
    smart_city = factories.make_initiative(
        state="published",
        moderator_user=moderator,
        title="Smart city pilot in Nairobi",
        key_task="global-south",
        countries=["KE"],
        tags=["smart cities"],
    )
    norms = factories.make_initiative(
        state="published",
        moderator_user=moderator,
        title="Cable security norms dialogue",
        key_task="multilateral-mechanisms",
        action_line="",
        countries=["BR"],
        tags=["undersea cables"],
    )
    alliance = factories.make_initiative(
        state="published",
        moderator_user=moderator,
        title="Open source security alliance",
        key_task="multi-stakeholder",
        action_line="",
        countries=["CN"],
        tags=["open source"],
    )
    factories.follow(user=follower, initiative=norms)
    expected = {
        south.email: {smart_city.title},
        china_zh.email: {alliance.title},
        cables.email: {norms.title},
        follower.email: {norms.title},
        **{user.email: {smart_city.title, norms.title, alliance.title} for user in everything},
    }

    # First worker: killed with SIGKILL while the mail server holds one message of a batch.
    handler.slow = {slow.email}
    first = workers("first")
    enqueue(broker, "daily")
    assert handler.stalled.wait(timeout=90), "the run never reached the slow recipient"
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    handler.slow = set()
    assert not handler.for_address(slow.email)
    unrecorded, recorded = in_flight(handler)
    stuck = DigestDelivery.objects.filter(recipient=slow).get()
    assert stuck.status == DeliveryStatus.SENDING

    # A new worker; once the dead worker's lease has run out, beat fires twice more.
    workers("second")
    time.sleep(LEASE_SECONDS + 1)
    enqueue(broker, "daily")
    enqueue(broker, "daily")
    wait_until(lambda: all(handler.for_address(a) for a in expected), message="every digest")
    today = timezone.now().date().isoformat()
    wait_until(lambda: settled(today), message="the run to settle")
    time.sleep(2)  # room for a duplicate to show up, were there one

    received = handler.received()
    digests_per_recipient = Counter(to for to, _id in {(m["To"], m["Message-ID"]) for m in received})
    assert digests_per_recipient == Counter({address: 1 for address in expected}), digests_per_recipient
    # Messages the server accepted in a batch the ledger had not yet recorded go out again
    # under the same Message-ID; nothing the ledger recorded does.
    copies = Counter(m["Message-ID"] for m in received)
    duplicates = {message_id for message_id, count in copies.items() if count > 1}
    assert duplicates <= unrecorded, (duplicates, unrecorded)
    assert not duplicates & recorded
    copies = Counter(m["To"] for m in received)
    assert nothing.email not in copies
    assert DigestDelivery.objects.get(recipient=nothing).status == DeliveryStatus.EMPTY
    assert DigestDelivery.objects.get(recipient=slow).attempts == 2

    titles = [smart_city.title, norms.title, alliance.title]
    for address, wanted in expected.items():
        message = handler.for_address(address)[0]
        text = message.get_body(("plain",)).get_content()
        assert {t for t in titles if t in text} == wanted, address
        assert message["List-Unsubscribe"].strip().startswith("<https://concord.example/digests/unsubscribe/")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.get_body(("html",)) is not None
    chinese = handler.for_address(china_zh.email)[0]
    assert chinese["Subject"].strip().startswith("Concord 摘要")
    assert (
        handler.for_address(south.email)[0]["Subject"].strip()
        == "Concord digest: 1 new or updated initiative"
    )

    # One-click unsubscribe: no session, no CSRF token; a tampered token is refused.
    leaver = everything[1]
    link = handler.for_address(leaver.email)[0]["List-Unsubscribe"].strip().strip("<>")
    path = urlsplit(link).path
    browser = Client(enforce_csrf_checks=True)
    assert browser.get(path).status_code == 200
    assert Subscription.objects.get(user=leaver).frequency == "daily"
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = token[:4] + ("A" if token[4] != "A" else "B") + token[5:]
    tampered = path.replace(token, forged)
    assert browser.post(tampered).status_code == 400
    assert Subscription.objects.get(user=leaver).frequency == "daily"
    assert browser.post(path).status_code == 200
    assert browser.post(path).status_code == 200
    assert Subscription.objects.get(user=leaver).frequency == "off"

    # The next day's run reaches everyone else, and not the one who left.
    factories.make_initiative(
        state="published", moderator_user=moderator, title="Next day record", action_line="", countries=["CN"]
    )
    before = len(handler.received())
    tomorrow = (timezone.now() + datetime.timedelta(days=1)).date().isoformat()
    enqueue(broker, "daily", period=tomorrow)
    reached = {south.email, china_zh.email} | {u.email for u in everything if u != leaver}
    # Batches of two claim their deliveries when a worker takes them up, so the ledger can look
    # settled between two batches: wait for everyone due, then for the run to settle.
    wait_until(
        lambda: reached <= {m["To"] for m in handler.received()[before:]}, message="the next day's run"
    )
    wait_until(lambda: settled(tomorrow), message="the next day's run to settle")
    time.sleep(2)  # room for a message to the one who left, were there one
    new = handler.received()[before:]
    assert leaver.email not in {m["To"] for m in new}
    assert {m["To"] for m in new} == reached


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_batch_killed_mid_send_resends_only_what_was_in_flight(smtp, broker, workers):
    """SIGKILL after the server took half of a batch: the ledger holds the batches before it,
    the half it took goes out once more, the rest once, and nobody is skipped."""
    handler, _port = smtp
    readers = [subscriber(language="zh-hans" if n % 3 == 0 else "en") for n in range(24)]
    quiet = [subscriber(key_tasks=["major-power-cooperation"]) for _ in range(3)]
    moderator = factories.moderator()
    records = (("Digital corridor pilot", "global-south"), ("Norms dialogue", "multilateral-mechanisms"))
    for title, key_task in records:
        factories.make_initiative(
            state="published", moderator_user=moderator, title=title, key_task=key_task, action_line=""
        )

    # One pool process, batches of eight: the server stalls on the twelfth message, the
    # fourth of the second batch, and the worker is killed while it waits for the answer.
    handler.stall_after = 11
    first = workers("first", concurrency=1, DIGESTS_BATCH_SIZE="8")
    enqueue(broker, "daily")
    assert handler.stalled.wait(timeout=90), "the run never reached the stall"
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    unrecorded, recorded = in_flight(handler)
    assert len(handler.received()) == 11
    assert unrecorded, "the kill should fall inside a batch the ledger has not recorded"
    assert recorded, "the batches before the kill should be in the ledger"

    handler.stall_after = None
    workers("second", DIGESTS_BATCH_SIZE="8")
    time.sleep(LEASE_SECONDS + 1)
    enqueue(broker, "daily")
    wait_until(lambda: all(handler.for_address(u.email) for u in readers), message="every digest")
    wait_until(lambda: settled(timezone.now().date().isoformat()), message="the run to settle")
    time.sleep(2)  # room for a duplicate to show up, were there one

    received = handler.received()
    assert {m["To"] for m in received} == {u.email for u in readers}
    copies = Counter(m["Message-ID"] for m in received)
    duplicates = {message_id for message_id, count in copies.items() if count > 1}
    assert duplicates <= unrecorded, (duplicates, unrecorded)
    assert max(copies.values()) == 2
    assert not duplicates & recorded
    for user in quiet:
        assert DigestDelivery.objects.get(recipient=user).status == DeliveryStatus.EMPTY
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {
        DeliveryStatus.SENT,
        DeliveryStatus.EMPTY,
    }
    # Each copy is addressed to its reader alone, with a link that unsubscribes them.
    for user in readers:
        message = handler.for_address(user.email)[0]
        link = message["List-Unsubscribe"].strip().strip("<>")
        assert Client().post(urlsplit(link).path).status_code == 200
        assert Subscription.objects.get(user=user).frequency == "off"
        text = message.get_body(("plain",)).get_content()
        assert "Digital corridor pilot" in text and "Norms dialogue" in text
        assert user.username in text
