"""Reads from a real streaming replica: a second PostgreSQL cluster made on this machine with
pg_basebackup from the one the tests use, on a port of its own, behind a real gunicorn.

With the replica's replay paused, a record published on the primary is missing from what
anonymous readers (and signed-in ones who wrote nothing) get, which shows their reads come
from the replica; a caller who has just written reads their own write from the primary.
`make test` lets the cluster feed a replica (ops/provision.sh replication).
"""

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from governance import services as governance_services
from tests import factories
from tests.ops.servers import Gunicorn, database_url, free_port, get, send

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Generous: the copy replays all the WAL written while it was taken, which on a busy cluster is
# much (a benchmark database being loaded); a small cluster catches up at once.
CATCH_UP_SECONDS = 900
RECORDS_WITH_SLUG = "SELECT count(*) FROM initiatives_initiative WHERE slug = %s"
# The primary keeps the WAL a replica has not yet received for a slot of this name, so a busy
# primary cannot recycle it first; a slot left by a run that died is dropped by the next.
SLOT_PREFIX = "concord_test_replica"
# The settings a hot standby must have at least as high as its primary.
STANDBY_MINIMUMS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL's own programs refuse to run as root: run them as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _primary(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


class Replica:
    """A hot standby of the tests' cluster, streaming from it, in a temporary directory."""

    def __init__(self):
        major = int(_primary("SHOW server_version_num")) // 10000
        self.bin = Path(f"/usr/lib/postgresql/{major}/bin")
        if not (self.bin / "pg_ctl").exists():
            pytest.fail(f"{self.bin}/pg_ctl is missing: install Debian's postgresql-{major}")
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="concord-replica-"))
        self.data = self.directory / "data"
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        primary = connection.settings_dict
        self.slot = f"{SLOT_PREFIX}_{os.getpid()}"
        _primary(
            "SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots"
            " WHERE slot_name LIKE %s AND NOT active",
            [f"{SLOT_PREFIX}%"],
        )
        backup = subprocess.run(  # noqa: S603 -- PostgreSQL's programs, fixed arguments
            _as_postgres(
                [
                    str(self.bin / "pg_basebackup"),
                    "--host",
                    primary.get("HOST") or "127.0.0.1",
                    "--port",
                    str(primary.get("PORT") or 5432),
                    "--username",
                    primary.get("USER") or "postgres",
                    "--pgdata",
                    str(self.data),
                    "--write-recovery-conf",
                    "--create-slot",
                    f"--slot={self.slot}",
                    "--wal-method=stream",
                    "--checkpoint=fast",
                ]
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if backup.returncode:
            self._drop_slot()
            shutil.rmtree(self.directory, ignore_errors=True)
            pytest.fail(
                f"pg_basebackup failed (ops/provision.sh replication lets the cluster feed a replica): "
                f"{backup.stderr.strip()}"
            )
        minimums = "\n".join(f"{name} = {_primary(f'SHOW {name}')}" for name in STANDBY_MINIMUMS)
        # Debian keeps a cluster's configuration outside its data directory: the copy has none.
        self._write(
            "postgresql.conf",
            f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.directory}'\nhot_standby = on\n"
            f"shared_buffers = 32MB\n{minimums}\n",
        )
        self._write("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n")
        self._pg_ctl("start", "--wait", "--timeout", "120", "--log", str(self.directory / "postgresql.log"))

    def _write(self, name: str, text: str) -> None:
        path = self.data / name
        path.write_text(text)
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(  # noqa: S603 -- PostgreSQL's programs, fixed arguments
            _as_postgres([str(self.bin / "pg_ctl"), "--pgdata", str(self.data), *args]),
            capture_output=True,
            check=True,
        )

    def sql(self, statement: str, params=()):
        with psycopg.connect(database_url(port=self.port), autocommit=True) as replica:
            return replica.execute(statement, params).fetchone()[0]

    def catch_up(self) -> None:
        """Wait until the replica has replayed everything the primary has committed so far."""
        target = _primary("SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + CATCH_UP_SECONDS
        while time.monotonic() < deadline:
            if self.sql("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)):
                return
            time.sleep(0.1)
        raise RuntimeError(f"the replica did not replay up to {target} within {CATCH_UP_SECONDS}s")

    def _drop_slot(self) -> None:
        _primary(
            "SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots"
            " WHERE slot_name = %s",
            [self.slot],
        )

    def stop(self) -> None:
        try:
            self._pg_ctl("stop", "--mode", "immediate", "--wait")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
            # Stopped, the replica no longer holds its slot; the primary frees the WAL kept for it.
            for _ in range(50):
                held = "SELECT count(*) FROM pg_replication_slots WHERE slot_name = %s AND active"
                if not _primary(held, [self.slot]):
                    break
                time.sleep(0.1)
            self._drop_slot()


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker):
    """Made after pytest-django created the test database, so the copy holds it too."""
    if connection.vendor != "postgresql":
        pytest.skip("a streaming replica needs PostgreSQL")
    with django_db_blocker.unblock():
        standby = Replica()
        try:
            assert standby.sql("SELECT pg_is_in_recovery()") is True
            yield standby
        finally:
            standby.stop()


@pytest.fixture(scope="module")
def site(replica, tmp_path_factory):
    django = Gunicorn(
        tmp_path_factory.mktemp("replica"),
        DATABASE_REPLICA_URL=database_url(port=replica.port),
        # Token callers' last writes, shared by every web process and host.
        CACHE_URL="redis://127.0.0.1:6379/5",
        # Long enough that the pin cannot lapse while the test runs.
        DATABASE_REPLICA_PIN_SECONDS="120",
    )
    yield django
    django.stop()


def _slugs(answer) -> set[str]:
    assert answer.status == 200, answer.body[:300]
    return {record["slug"] for record in json.loads(answer.body)["results"]}


def test_reads_come_from_the_replica_and_a_writer_reads_their_own_write_from_the_primary(replica, site):
    writer = factories.contributor()
    reader = factories.contributor()
    before = factories.make_initiative(state="published", title="Published before the pause")
    _token, writer_key = governance_services.api_token_create(user=writer, name="test")
    _token, reader_key = governance_services.api_token_create(user=reader, name="test", write=False)
    replica.catch_up()
    assert _slugs(get(site.port, "/api/v1/initiatives/")) == {before.slug}

    replica.sql("SELECT pg_wal_replay_pause()")
    try:
        after = factories.make_initiative(state="published", title="Published during the pause")
        assert _primary(RECORDS_WITH_SLUG, [after.slug]) == 1

        # Anonymous readers, and signed-in ones who wrote nothing, read the paused replica.
        assert _slugs(get(site.port, "/api/v1/initiatives/")) == {before.slug}
        assert _slugs(get(site.port, "/api/v1/initiatives/", {"Authorization": f"Token {reader_key}"})) == {
            before.slug
        }
        page = get(site.port, "/initiatives/")
        assert "Published before the pause" in page.body and "Published during the pause" not in page.body
        assert get(site.port, f"/api/v1/initiatives/{after.slug}/").status == 404

        # A writer, through the API, then reads what they wrote: from the primary.
        created = _post_json(
            site.port,
            "/api/v1/initiatives/",
            factories.initiative_data(title="Written by the writer"),
            {"Authorization": f"Token {writer_key}"},
        )
        assert created.status == 201, created.body[:500]
        slug = _json(created)["slug"]
        mine = get(site.port, f"/api/v1/initiatives/{slug}/", {"Authorization": f"Token {writer_key}"})
        assert mine.status == 200 and _json(mine)["title"] == "Written by the writer"
        writer_list = get(site.port, "/api/v1/initiatives/", {"Authorization": f"Token {writer_key}"})
        assert slug in _slugs(writer_list)
        # The replica does not have it yet: without the pin, the writer would not find it.
        assert replica.sql(RECORDS_WITH_SLUG, [slug]) == 0

        # A browser that has just written (here, chosen a language) is pinned by a cookie.
        switched = _post_form(site.port, "/i18n/setlang/", "language=en&next=/initiatives/")
        assert switched.status == 302
        pin = switched.header("Set-Cookie").split(";")[0]
        assert pin.startswith("concord_primary=")
        pinned_page = get(site.port, "/initiatives/", {"Cookie": pin})
        assert "Published during the pause" in pinned_page.body
    finally:
        replica.sql("SELECT pg_wal_replay_resume()")

    replica.catch_up()
    assert _slugs(get(site.port, "/api/v1/initiatives/")) == {before.slug, after.slug}


def _json(answer):
    return json.loads(answer.body)


def _post_json(port: int, path: str, data: dict, headers: dict[str, str]):
    body = json.dumps(data).encode()
    return send(port, "POST", path, headers={"Content-Type": "application/json", **headers}, body=body)


def _post_form(port: int, path: str, body: str):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return send(port, "POST", path, headers=headers, body=body.encode())
