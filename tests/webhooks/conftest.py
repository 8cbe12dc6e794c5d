import hashlib
import hmac
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache

from tests import factories
from tests.api.conftest import api, client_for  # noqa: F401 -- the API's fixtures, shared
from webhooks import services
from webhooks.models import WebhookDelivery
from webhooks.tasks import webhook_deliver

SECRET = "s3cret-for-the-receiver"


class Receiver:
    """A real HTTP server on loopback: keeps every request, answers the next queued status."""

    def __init__(self):
        self.requests = []
        self.answers = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                    status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", f"http://127.0.0.1:{receiver.port}/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/concord"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def received(self):
        with self.lock:
            return list(self.requests)


@pytest.fixture
def receiver():
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 5
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def administrator(db):
    return factories.admin()


def register(
    administrator, url, *, events=("published", "updated", "archived", "merged", "comment_added"), **extra
):
    data = {"url": url, "events": list(events), "secret": SECRET, **extra}
    return services.webhook_create(actor=administrator, data=data)


def send_all():
    """Run the worker's task for every pending delivery, in this process (retries run at once)."""
    for delivery_id in WebhookDelivery.objects.filter(state="pending").values_list("pk", flat=True):
        webhook_deliver.apply(args=[str(delivery_id)])


def signature_valid(request, secret=SECRET) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, request["headers"]["X-Concord-Signature"])
