"""Measurement: requests one at a time, wrk rounds, statement counts and timings, the machine."""

import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

from bench.endpoints import LIST_SHAPE, SELECTIVE_TERM, Endpoint, api_list_path, endpoints, fetch
from bench.environment import (
    CONNECTIONS,
    DRAIN_SECONDS,
    DURATION,
    NOT_KEPT,
    PYTHON,
    ROOT,
    ROUNDS,
    THREADS,
    VAR,
    log,
    run,
)
from bench.floor_sql import FLOOR_SQL, SEARCH_SQL_FOR
from bench.provisioning import admin_url, data_sizes, database_url, django_env, personas
from bench.report import missed_rows
from bench.servers import Servers, setup_postgrest, start_servers


def profile_requests(items: list[Endpoint]) -> None:
    """One request at a time, once warm: wall time, SQL statements and the time spent in them.

    Without queueing behind other requests these separate where an endpoint's time goes
    (PostgreSQL or Python) from how the machine copes under load.
    """
    for endpoint in items:
        if not endpoint.available or endpoint.site is None:
            continue
        paths = (endpoint.paths * 5)[: max(5, min(len(endpoint.paths), 8))]
        samples = [_timed(endpoint, path, path) for path in paths]
        endpoint.queries = max(queries for _p, _w, queries, _s in samples)
        endpoint.alone = _summary(samples)


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


def query_counts_by_page_size(items: list[Endpoint]) -> dict:
    """Statements per request built afresh (kept answers off), the fewest of five requests.

    A process also re-reads the catalogue generation at most once a second
    (initiatives/catalogue.py), and each of the two workers counts a list once per generation,
    statements more on whichever requests come first to each worker: the fewest of five
    leaves that out. The signed-in list shows whether `allowed_actions`
    costs a statement per record.
    """
    token = next((e.headers for e in items if e.name == "api_list_token" and e.available), None)
    asked = {
        "list": lambda size: (api_list_path(page_size=size), {}),
        "search": lambda size: (api_list_path(q=SELECTIVE_TERM[0], page_size=size), {}),
        "cursor": lambda size: (api_list_path(mode="cursor", page_size=size), {}),
    }
    if token:
        asked["list signed in"] = lambda size: (api_list_path(page_size=size), token)
    counts = {}
    for size in (10, 50, 100):
        for name, make in asked.items():
            path, headers = make(size)
            seen = []
            for _ in range(5):
                status, answered, _body = fetch(NOT_KEPT + path, headers)
                if status == 200:
                    seen.append(int(answered.get("X-Query-Count", -1)))
            counts.setdefault(name, {})[size] = min(seen) if seen else None
    return counts


def wait_idle(base: str, limit: float) -> tuple[float, bool]:
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
            urllib.request.urlopen(f"{base}/bench/hello/", timeout=left).read()  # noqa: S310
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
            continue
        quick = quick + 1 if time.monotonic() - asked < 0.2 else 0
    return round(time.monotonic() - started, 1), True


def wrk(endpoint: Endpoint, workdir: Path, duration: int, servers: Servers) -> dict:
    """One wrk run; afterwards gunicorn's queue is drained, or dropped by a restart if too long."""
    if endpoint.site:
        fetch(endpoint.base + endpoint.paths[0], endpoint.headers)
    command = [
        "wrk",
        "-t",
        str(THREADS),
        "-c",
        str(CONNECTIONS),
        "-d",
        f"{duration}s",
        # Long enough for a floor that counts a million rows to be measured rather than
        # counted as timeouts; a request that takes longer is an error.
        "--timeout",
        "30s",
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
    if endpoint.site:
        drained, idle = wait_idle(endpoint.base, DRAIN_SECONDS)
        if not idle:
            servers.restart_gunicorn(endpoint.site)
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
        people = personas()
        if people.get("error"):
            log(f"no signed-in callers: {people['error']}")
        items = endpoints(workdir, people)
        active = [e for e in items if e.available]
        for endpoint in items:
            if not endpoint.available:
                log(f"not measured: {endpoint.name} ({endpoint.note})")
        log("warming up, then one request at a time")
        # One request each warms the workers' caches and connections; a wrk warm-up would
        # leave a queue of slow requests that costs minutes to drain.
        for endpoint in active:
            fetch(endpoint.base + endpoint.paths[0], endpoint.headers)
        warm_kept(active)
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
        page_sizes = query_counts_by_page_size(items)
        # While the SMTP sink still listens.
        digest = digest_fanout() if with_digest else None
    finally:
        servers.stop()
    result = {
        "size": size,
        "wrk": {"threads": THREADS, "connections": CONNECTIONS, "duration": DURATION, "rounds": ROUNDS},
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "generation": generation,
        "data": data_sizes(),
        "people": {k: v for k, v in people.items() if not k.endswith(("token", "session"))},
        "endpoints": [
            {
                "name": e.name,
                "label": e.label,
                "site": e.site,
                "floor": e.floor,
                "available": e.available,
                "note": e.note,
                "queries": e.queries,
                "alone": e.alone,
                "count": e.count,
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
        "list_count_is_estimate": LIST_SHAPE.get("count_is_estimate"),
        "query_counts_by_page_size": page_sizes,
        "sql_timings": sql_timings(),
    }
    result["digest"] = digest
    result["evidence"] = evidence(result, items)
    return result


def warm_kept(items: list[Endpoint]) -> None:
    """Every path of the kept rows asked a few times, so that both workers keep its answer.

    The kept rows measure what a kept answer costs; in a short run the first request for each
    of a thousand records would otherwise be built afresh inside the measurement.
    """
    for endpoint in items:
        if endpoint.site == "kept" and endpoint.floor == "hello":
            for path in endpoint.paths * 3:
                fetch(endpoint.base + path, endpoint.headers)


EVIDENCE_SECONDS = 600


def evidence(result: dict, items: list[Endpoint]) -> dict:
    """A profile and a plan for every request row that missed its target (bench/evidence.py)."""
    by_name = {e.name: e for e in items}
    rows = [
        {
            "name": name,
            "path": by_name[name].paths[0],
            "headers": by_name[name].headers,
            "not_kept": by_name[name].site == "not_kept",
        }
        for name in missed_rows(result)
        if name in by_name and by_name[name].site
    ]
    if not rows:
        return {}
    log("evidence for " + ", ".join(row["name"] for row in rows))
    try:
        completed = subprocess.run(  # noqa: S603 -- this interpreter, a fixed module
            [PYTHON, "-m", "bench.evidence"],
            input=json.dumps(rows),
            env=django_env(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=EVIDENCE_SECONDS,
        )
    except subprocess.TimeoutExpired:
        return {row["name"]: {"error": f"not done within {EVIDENCE_SECONDS} s"} for row in rows}
    if completed.returncode != 0:
        lines = completed.stderr.strip().splitlines()
        return {row["name"]: {"error": lines[-1] if lines else "failed"} for row in rows}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def digest_fanout() -> dict | None:
    """bench/digest_fanout.py in a process of its own; whatever it prints, or why it did not."""
    log("digest fan-out")
    result = run([PYTHON, "-m", "bench.digest_fanout"], env=django_env(), capture=True, check=False)
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        return {"error": lines[-1] if lines else f"exited with {result.returncode}"}
    try:
        return json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": "bench/digest_fanout.py printed no JSON"}


def sql_timings() -> dict:
    """Single statements behind the figures, timed in PostgreSQL alone (median of 5)."""
    partners = {"q": "partners"}
    statements = {
        "count(*) of published": (
            "SELECT count(*) FROM initiatives_initiative WHERE moderation_state = 'published'",
            None,
        ),
        "list floor, page of 50 and its count": (FLOOR_SQL, None),
        "search floor “partners”, page of 50 and its count": (SEARCH_SQL_FOR["english", True], partners),
        "search floor “partners”, page of 50 alone": (SEARCH_SQL_FOR["english", False], partners),
        "count(*) of a common Chinese term (合作), through its stored vector as the API counts": (
            "SELECT count(*) FROM initiatives_initiative WHERE moderation_state = 'published' AND "
            "search_vector_bigrams @@ '合作'::tsquery",
            None,
        ),
    }
    timings = {}
    # Values bound in the client, as Django binds them: the planner sees the search term.
    with psycopg.connect(database_url(), autocommit=True, cursor_factory=psycopg.ClientCursor) as connection:
        for label, (statement, params) in statements.items():
            samples = []
            for _ in range(5):
                started = time.perf_counter()
                connection.execute(statement, params).fetchall()
                samples.append((time.perf_counter() - started) * 1000)
            timings[label] = round(statistics.median(samples), 2)
    return timings


# For the report: the machine, and sizes measured by earlier runs ---------------------------


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


def previous_results(results: list) -> list:
    """Results of sizes measured by an earlier run and not this one (kept in the report, dated)."""
    measured = {r["size"] for r in results}
    older = []
    for path in sorted(VAR.glob("results-*.json")):
        data = json.loads(path.read_text())
        if data["size"] not in measured:
            older.append(data)
    return older
