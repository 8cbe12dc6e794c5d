"""Why a request missed its target: one request profiled, and the plan of its slowest statement.

Run by bench/run.py as `python -m bench.evidence` with DJANGO_SETTINGS_MODULE=bench.settings,
after the measurements, for the rows that missed. Reads a JSON list of
{"name", "path", "headers", "not_kept"} on stdin; each request goes through Django's test
client in this process (the same code and settings the gunicorn workers run; kept answers
off for the rows measured without them), once to warm up, once under cProfile with every SQL
statement timed. The slowest statement is then run again under EXPLAIN (ANALYZE, BUFFERS).
Prints one JSON object, by name.
"""

import cProfile
import io
import json
import pstats
import re
import sys
import time
from pathlib import Path

import django

PROFILE_LINES = 15
PLAN_LINES = 45


def _profile_text(profile: cProfile.Profile) -> list[str]:
    """The functions the request spent most time in, then the project's own code by cumulative time."""
    root = str(Path(__file__).resolve().parent.parent)
    lines = []
    for order, restriction, heading in (
        ("tottime", (), "by own time"),
        # The project's code, less the middleware every request passes through.
        (
            "cumulative",
            (re.escape(root) + r"/(?!bench/)(?!\S*middleware)",),
            "the project's code, by cumulative time",
        ),
    ):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(*restriction, PROFILE_LINES)
        text = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(text) if line.strip().startswith("ncalls")), 0)
        lines.append(f"-- {heading}")
        lines += [_short(line, root) for line in text[start:] if line.strip()]
    return lines


def _short(line: str, root: str) -> str:
    """Paths shortened to the package: the virtualenv's and the checkout's prefixes say nothing."""
    return re.sub(r"/\S*/(site-packages|lib/python3\.\d+)/", "", line).replace(root + "/", "")


def explain(connection, sql: str, params) -> list[str]:
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return []
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return [row[0] for row in cursor.fetchall()][:PLAN_LINES]


def one(client, row: dict) -> dict:
    from django.db import connection
    from django.test import override_settings

    statements = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(((time.perf_counter() - started) * 1000, sql, params))

    overrides = {"API_ANSWER_CACHE_SECONDS": 0} if row.get("not_kept") else {}
    with override_settings(**overrides):
        client.get(row["path"], headers=row.get("headers") or {})
        profile = cProfile.Profile()
        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            profile.enable()
            response = client.get(row["path"], headers=row.get("headers") or {})
            profile.disable()
            wall = (time.perf_counter() - started) * 1000
    result = {
        "path": row["path"],
        "status": response.status_code,
        "wall_ms": round(wall, 1),
        "queries": len(statements),
        "sql_ms": round(sum(ms for ms, _s, _p in statements), 1),
        "profile": _profile_text(profile),
    }
    if statements:
        ms, sql, params = max(statements, key=lambda statement: statement[0])
        result.update(slowest_ms=round(ms, 1), slowest_sql=sql, explain=explain(connection, sql, params))
    return result


def main() -> None:
    rows = json.loads(sys.stdin.read())
    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    found = {}
    for row in rows:
        try:
            found[row["name"]] = one(client, row)
        except Exception as error:  # noqa: BLE001 -- evidence is best effort; the figures stand without it
            found[row["name"]] = {"error": repr(error)}
    print(json.dumps(found, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
