"""Real servers for the deployment tests: gunicorn serving the test database, and a client.

gunicorn runs in its own process with the test settings, against the database pytest-django
made (committed rows only: the tests using it are transactional). Its access log is the count
of requests that reached Django.
"""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).parent / "gunicorn"
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(*, port: int | None = None) -> str:
    """The test database as a URL, on another port when given (a replica of the same cluster)."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "postgres", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{port or db.get('PORT') or 5432}/{db['NAME']}"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def get(port: int, path: str, headers: dict[str, str] | None = None) -> Answer:
    return send(port, "GET", path, headers=headers)


def send(
    port: int, method: str, path: str, *, headers: dict[str, str] | None = None, body: bytes = b""
) -> Answer:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        client.request(method, path, body=body or None, headers={"Host": "127.0.0.1", **(headers or {})})
        response = client.getresponse()
        return Answer(
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            response.read().decode(),
        )
    finally:
        client.close()


class Gunicorn:
    """One gunicorn worker serving Concord on a free port, with the given environment on top."""

    def __init__(self, directory: Path, **environment: str):
        self.port = free_port()
        self._marks = 0
        self.log = directory / "gunicorn-access.log"
        self.errors = directory / "gunicorn.log"
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("CACHE_URL", "API_ANSWER_CACHE_URL", "DATABASE_REPLICA_URL")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.test",
            DATABASE_URL=database_url(),
            PYTHONUNBUFFERED="1",
            **environment,
        )
        with self.errors.open("wb") as output:
            self.process = subprocess.Popen(  # noqa: S603 -- our own server, fixed arguments
                [
                    str(GUNICORN),
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "1",
                    "--no-control-socket",
                    "--access-logfile",
                    str(self.log),
                    "--access-logformat",
                    "%(r)s %(s)s",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.errors.read_text()}")
            with contextlib.suppress(OSError):
                get(self.port, "/api/v1/")
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {START_SECONDS}s: {self.errors.read_text()}")

    def requests(self, path: str) -> int:
        """How many requests for `path` (with its query) reached Django so far.

        gunicorn logs a request just after answering it. One worker answers in turn, so once a
        request of our own, sent straight to it, is in the log, every earlier one is too.
        """
        self._marks += 1
        mark = f"/api/v1/?logged={self._marks}"
        get(self.port, mark)
        for _ in range(200):
            lines = [line.split(" ")[1] for line in self.log.read_text().splitlines() if " " in line]
            if mark in lines:
                return lines.count(path)
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn never logged {mark}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def use_broker(url: str, options: dict) -> None:
    """Point this process's Celery app (which the services' on-commit sends use) at a broker.

    kombu keeps producer pools per broker address for the whole process, so they are reset
    too: a later test pointing at the same address must not get a pool closed here.
    """
    from kombu import pools

    from config.celery import app

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()
    app.conf.broker_url = url
    app.conf.broker_transport_options = options


CELERY = Path(sys.executable).parent / "celery"


@contextlib.contextmanager
def celery_worker(log_path: Path, *, broker: str, name: str, **environment: str):
    """A Celery worker (one process, solo pool) on `broker` against the test database, in a
    process group of its own; killed when the block ends, the tail of its log printed."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "SECRET_KEY": settings.SECRET_KEY,
        **environment,
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603 -- fixed arguments
            [str(CELERY), "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO"]
            + ["--hostname", f"{name}@%h", "--without-gossip", "--without-mingle"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
    print(f"--- {log_path.name}\n{log_path.read_text()[-4000:]}")


def wait_until(condition, timeout: float = 90, message: str = "condition") -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {message}")


@contextlib.contextmanager
def redis_broker(url: str):
    """This process's Celery app sending to the Redis database at `url`, emptied before and
    after; the app's broker as it was once the block ends."""
    import redis

    from config.celery import app

    client = redis.Redis.from_url(url)
    client.flushdb()
    saved = (app.conf.broker_url, dict(app.conf.broker_transport_options or {}))
    use_broker(url, {})
    try:
        yield url
    finally:
        use_broker(*saved)
        client.flushdb()
