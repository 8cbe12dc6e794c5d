"""A database that cannot be reached answers 503 with Retry-After, logged once per outage.

The end-to-end test runs the site in gunicorn against the test database through a TCP
forwarder in this process, which the test cuts (every connection closed, new ones closed
at once, as during a restart) and restores. The real PostgreSQL is never touched.
"""

import http.client
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, connections, transaction
from django.test import Client

from governance import services as governance_services
from governance.outage import database_unreachable
from tests import factories

GUNICORN = Path(sys.executable).parent / "gunicorn"
OUTAGE_STARTED = "The database cannot be reached"
OUTAGE_ENDED = "The database can be reached again"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the site's own process must share the test database"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Forwarder:
    """A TCP forwarder to the database that the test can cut and restore."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopped:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client, server):
        pair = {client: server, server: client}
        try:
            while True:
                readable, _w, _x = select.select(list(pair), [], [], 0.5)
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    pair[source].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for sock in pair:
                with self.lock:
                    self.sockets.discard(sock)
                sock.close()

    def cut(self):
        self.open = False
        with self.lock:
            sockets, self.sockets = list(self.sockets), set()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def restore(self):
        self.open = True

    def stop(self):
        self.stopped = True
        self.cut()
        self.listener.close()


@pytest.fixture
def forwarder():
    db = connection.settings_dict
    proxy = Forwarder((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    yield proxy
    proxy.stop()


@pytest.fixture
def site(forwarder, tmp_path):
    """gunicorn serving the site, its database reached through the forwarder."""
    db = connection.settings_dict
    port = _free_port()
    log_path = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": "postgres://{user}:{password}@127.0.0.1:{port}/{name}".format(
            user=quote(db["USER"] or "", safe=""),
            password=quote(db["PASSWORD"] or "", safe=""),
            port=forwarder.port,
            name=db["NAME"],
        ),
        "SECRET_KEY": settings.SECRET_KEY,
        "LOG_LEVEL": "WARNING",
        "DATABASE_UNAVAILABLE_RETRY_AFTER": "7",
        # Every anonymous API read asks the database whether its kept answer is still current.
        "API_ANSWER_RECHECK_SECONDS": "0",
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603 -- fixed arguments
            [str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
            + ["--timeout", "60", "--log-level", "warning"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, log_path.read_text()
            time.sleep(0.2)
    yield port, log_path
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    print(log_path.read_text()[-4000:])


def _get(port: int, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_outage_answers_503_with_retry_after_and_is_logged_once(site, forwarder):
    port, log_path = site
    reader = factories.contributor()
    _token, key = governance_services.api_token_create(user=reader, name="outage", write=False)
    factories.make_initiative(state="published", title="Still here after the restart")
    browser = Client()
    browser.force_login(reader)
    session = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    # Each door: a middleware (kept answers, the session), the API's handler, a view.
    requests = {
        "api, anonymous": ("/api/v1/initiatives/", {}),
        "api, token": ("/api/v1/me/", {"Authorization": f"Token {key}"}),
        "page": ("/initiatives/", {}),
        "page, Chinese": ("/initiatives/", {"Accept-Language": "zh-hans"}),
        "page, signed in": ("/workspace/", {"Cookie": session}),
        "home": ("/", {}),
    }
    for name, (path, headers) in requests.items():
        assert _get(port, path, headers)[0] == 200, name

    forwarder.cut()
    for _round in range(3):
        for name, (path, headers) in requests.items():
            status, response_headers, body = _get(port, path, headers)
            assert status == 503, (name, status, body[:500])
            assert response_headers["Retry-After"] == "7", name
            if path.startswith("/api/"):
                assert response_headers["Content-Type"].startswith("application/json")
                assert "7" in json.loads(body)["detail"]
            else:
                assert response_headers["Content-Type"].startswith("text/html")
                assert "try again in 7 seconds" in body and "7 秒后重试" in body
    log = log_path.read_text()
    assert log.count(OUTAGE_STARTED) == 1, log
    assert "Traceback" not in log and "Internal Server Error" not in log, log

    forwarder.restore()
    for name, (path, headers) in requests.items():
        status, _headers, body = _get(port, path, headers)
        assert status == 200, (name, status, body[:500])
    assert "Still here after the restart" in _get(port, "/initiatives/")[2]
    log = log_path.read_text()
    assert log.count(OUTAGE_STARTED) == 1 and log.count(OUTAGE_ENDED) == 1, log
    assert f"{3 * len(requests)} requests were answered 503" in log, log


# Which errors count: only those that say the server cannot be reached.


def _unreachable_error(port: int) -> OperationalError:
    settings_dict = {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": port}
    wrapper = connections.create_connection("default")
    wrapper.settings_dict = settings_dict
    try:
        wrapper.ensure_connection()
    except OperationalError as error:
        return error
    finally:
        wrapper.close()
    raise AssertionError("connected to a port nobody listens on")


@pytest.mark.django_db
def test_a_refused_connection_counts():
    assert database_unreachable(_unreachable_error(_free_port()))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_ended_by_the_server_counts():
    """As when PostgreSQL restarts: the server ends a session under its client."""
    # A second session of this test's own, which the test's first session ends.
    victim = connections.create_connection("default")
    try:
        with victim.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        with pytest.raises((OperationalError, InterfaceError)) as caught, victim.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        victim.close()
    assert database_unreachable(caught.value), repr(caught.value.__cause__)


@pytest.mark.django_db
def test_a_statement_timeout_or_a_broken_rule_does_not_count():
    with pytest.raises(OperationalError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 1")
        cursor.execute("SELECT pg_sleep(1)")
    assert not database_unreachable(caught.value)
    user = factories.contributor()
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        factories.UserFactory(username=user.username)
    assert not database_unreachable(caught.value)
    assert not database_unreachable(ValueError("not a database error"))
