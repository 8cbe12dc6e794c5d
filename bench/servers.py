"""The servers measured: gunicorn (the site), PostgREST 12 (a floor) and an SMTP sink."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from bench.environment import (
    DJANGO,
    DJANGO_PORT,
    GUNICORN,
    NOT_KEPT,
    NOT_KEPT_PORT,
    POSTGREST_PORT,
    POSTGREST_URL,
    PYTHON,
    ROOT,
    SMTP_PORT,
    VAR,
)
from bench.provisioning import POSTGREST, database_url, django_env, manage

POSTGREST_ROLE_PASSWORD = "bench-only-authenticator"  # noqa: S105 -- local role for the benchmark


def setup_postgrest() -> Path:
    """A read-only role and a view of published initiatives, the rows the API's list shows."""
    page = (ROOT / "bench" / "page.sql").read_text()
    statements = [
        "DO $$ BEGIN CREATE ROLE web_anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        "DO $$ BEGIN CREATE ROLE bench_authenticator NOINHERIT LOGIN; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        f"ALTER ROLE bench_authenticator PASSWORD '{POSTGREST_ROLE_PASSWORD}'",
        "GRANT web_anon TO bench_authenticator",
        "CREATE SCHEMA IF NOT EXISTS bench_api",
        "DROP VIEW IF EXISTS bench_api.initiatives",
        f"CREATE VIEW bench_api.initiatives AS {page}",
        "GRANT USAGE ON SCHEMA bench_api TO web_anon",
        "GRANT SELECT ON bench_api.initiatives TO web_anon",
    ]
    with psycopg.connect(database_url(), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)
    parsed = urllib.parse.urlparse(database_url())
    uri = parsed._replace(
        netloc=f"bench_authenticator:{POSTGREST_ROLE_PASSWORD}@{parsed.hostname}:{parsed.port or 5432}"
    ).geturl()
    config = VAR / "postgrest.conf"
    config.write_text(
        f'db-uri = "{uri}"\n'
        'db-schemas = "bench_api"\n'
        'db-anon-role = "web_anon"\n'
        "db-pool = 10\n"
        f"server-port = {POSTGREST_PORT}\n"
        'server-host = "127.0.0.1"\n'
        'log-level = "crit"\n'
    )
    return config


# Servers -----------------------------------------------------------------------------------


# The two sites: answers kept as deployed, and the same code with kept answers turned off
# (API_ANSWER_CACHE_SECONDS=0, which api/answers.py reads as "keep nothing"), for the rows
# that measure what a request costs when it is built afresh.
SITES = {
    "kept": (DJANGO, DJANGO_PORT, {}),
    "not_kept": (NOT_KEPT, NOT_KEPT_PORT, {"API_ANSWER_CACHE_SECONDS": "0"}),
}


def gunicorn_command(port: int) -> list[str]:
    """Concord served as the benchmarks serve it: two sync workers on this port."""
    return [
        GUNICORN,
        "config.wsgi:application",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        # Several sites run at once: each would otherwise claim ~/.gunicorn/gunicorn.ctl.
        "--no-control-socket",
    ]


@dataclass
class Servers:
    processes: list = field(default_factory=list)
    gunicorns: dict = field(default_factory=dict)
    # Peak resident memory of every gunicorn worker process seen, by site and pid.
    memory: dict = field(default_factory=dict)

    def start_gunicorn(self, site: str) -> None:
        base, port, extra = SITES[site]
        self.gunicorns[site] = self.start(
            f"gunicorn-{site}",
            gunicorn_command(port),
            env={**django_env(), **extra},
        )
        wait_for(f"{base}/bench/hello/")

    def sample_memory(self) -> None:
        for site, process in self.gunicorns.items():
            for pid in worker_pids(process.pid):
                try:
                    self.memory[f"{site} {pid}"] = memory_of(pid)
                except (FileNotFoundError, KeyError):
                    continue

    def restart_gunicorn(self, site: str) -> None:
        """Drop what is queued: stopping the master closes the socket and its backlog."""
        self.sample_memory()
        for index, (_name, process, logfile) in enumerate(self.processes):
            if process is self.gunicorns[site]:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                logfile.close()
                del self.processes[index]
                break
        self.start_gunicorn(site)

    def start(self, name: str, command: list[str], env=None) -> subprocess.Popen:
        logfile = open(VAR / f"{name}.log", "w")  # noqa: SIM115 -- closed with the process
        process = subprocess.Popen(  # noqa: S603 -- fixed commands
            command, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append((name, process, logfile))
        return process

    def stop(self) -> None:
        for _name, process, logfile in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
            logfile.close()
        self.processes.clear()


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()  # noqa: S310 -- local address
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    sys.exit(f"bench: {url} did not answer within {seconds} s (see var/bench/*.log)")


def start_servers(servers: Servers, postgrest_config: Path) -> None:
    manage("collectstatic", "--noinput", "-v", "0")
    for site in SITES:
        servers.start_gunicorn(site)
    servers.start("postgrest", [str(POSTGREST), str(postgrest_config)])
    servers.start(
        "smtp-sink",
        [PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{SMTP_PORT}", "-c", "aiosmtpd.handlers.Sink"],
    )
    wait_for(f"{POSTGREST_URL}/initiatives?limit=1")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def memory_of(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text()
    values = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.MULTILINE))
    return {"peak_mb": round(int(values["VmHWM"]) / 1024, 1), "rss_mb": round(int(values["VmRSS"]) / 1024, 1)}
