"""`python bench/bilingual.py`: what records in two languages cost each kind of caller.

Two databases hold the same N synthetic records (`generate_data --seed`): in
<BENCH_DATABASE_URL's name>_bilingual a share of them (--translated, half by default) carry a
translation into their other language, written as the services write it (the translation
row with its body rendered, the translations in the snapshot of the record's revision, the
translation's words in `search_extra` and `search_document`, so in both stored search
vectors); in <name>_bilingual_plain none does. The same seed gives the same originals with or
without translations (initiatives/synthetic/rows.py), so every request asks both databases
for the same page, record or search, and only the translations differ. That is the
comparison: filtering one database to its untranslated records would change the query, the
records on each page and their order, and measure the filter.

Four gunicorns run with the settings of `make bench` (2 sync workers, production settings plus
bench/settings.py): for each database one as deployed ("kept") and one that builds every
answer afresh ("fresh": kept API answers off, API_ANSWER_CACHE_SECONDS=0, and the cache of
the pages' shared fragments a dummy, CACHE_URL=dummycache://), where the comparisons run, so
that each request pays for its translations. wrk (-t1 -c8, bench/wrk/rotate.lua) measures
each row on the translated site and on the plain one in turn, the order swapped every round,
for --rounds rounds of --duration seconds; the median of each figure is kept, and the ratio
translated/plain is read within the same run. Then, on the kept sites, one request at a time:
the first request after a catalogue change (a new CatalogueChange row, then the one-second
window in which each worker reads the generation again) against the same request once kept.

Writes the section "Records in two languages" to bench/bilingual.md, which bench/report.py
appends to docs/performance.md, puts it in docs/performance.md at once and prints it.
About 8 minutes at the default size on two cores; --reuse keeps the databases' data.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/bilingual.py`
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from bench.endpoints import fetch  # noqa: E402
from bench.environment import BASE_DATABASE_URL, DOC, PYTHON, VAR, log, run  # noqa: E402
from bench.measurement import machine, wait_idle  # noqa: E402
from bench.provisioning import django_env  # noqa: E402
from bench.servers import Servers, gunicorn_command, wait_for  # noqa: E402

SECTION = "## Records in two languages"
SECTION_FILE = ROOT / "bench" / "bilingual.md"
DATABASES = {"translated": "bilingual", "plain": "bilingual_plain"}
# The word every synthetic translation's closing line holds, and no original
# (rows.TRANSLATION_NOTE): found through translations only. Beside it, words of the originals.
ONLY_IN_TRANSLATIONS = {"en": "translated", "zh-hans": "译自"}
IN_ORIGINALS = {"en": "partners", "zh-hans": "合作"}
PAGES = 10
RECORDS = 100
AFTER_CHANGE_SAMPLES = 5
# The browse page built afresh answers a few times a second: measured longer, for its p95.
SLOW_ROWS = ("html_browse", 1.5)


def database_url(which: str) -> str:
    base = urllib.parse.urlparse(BASE_DATABASE_URL)
    return base._replace(path=f"{base.path.rstrip('/')}_{DATABASES[which]}").geturl()


def admin_url() -> str:
    return urllib.parse.urlparse(BASE_DATABASE_URL)._replace(path="/postgres").geturl()


def sql(which: str, statement: str, params=None):
    with psycopg.connect(database_url(which), autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def env_for(which: str, **extra) -> dict:
    return {**django_env(), "DATABASE_URL": database_url(which), **extra}


def manage(which: str, *args: str) -> subprocess.CompletedProcess:
    return run([PYTHON, "manage.py", *args], env=env_for(which), capture=True)


# Data --------------------------------------------------------------------------------------


def prepare(which: str, *, size: int, share: float, seed: int, reuse: bool) -> dict:
    """The database `which` holding `size` generated records, `share` of them translated."""
    name = urllib.parse.urlparse(database_url(which)).path.lstrip("/")
    with psycopg.connect(admin_url(), autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reuse:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    started = time.monotonic()
    manage(which, "migrate", "--noinput", "-v", "0")
    migrated = time.monotonic() - started
    have = sql(which, "SELECT count(*) FROM initiatives_initiative WHERE slug NOT LIKE 'benchmark-%%'")[0][0]
    generated = None
    if have == 0:
        log(f"{name}: generating {size:,} records, {share:.0%} translated")
        started = time.monotonic()
        manage(
            which,
            "generate_data",
            "--initiatives",
            str(size),
            "--seed",
            str(seed),
            "--translated",
            str(share),
        )
        generated = round(time.monotonic() - started, 1)
    elif have != size:
        sys.exit(f"bench: {name} holds {have} records, not {size}; run without --reuse")
    counts = sql(
        which,
        """
        SELECT count(*), count(*) FILTER (WHERE moderation_state = 'published'),
               (SELECT count(*) FROM initiatives_initiativetranslation),
               pg_size_pretty(pg_database_size(current_database()))
        FROM initiatives_initiative
        """,
    )[0]
    return {
        "database": name,
        "migrate_s": round(migrated, 1),
        "generate_s": generated,
        "initiatives": counts[0],
        "published": counts[1],
        "translations": counts[2],
        "size": counts[3],
    }


def personas(which: str) -> dict:
    """The contributor's token and session (bench/personas.py), made in this database."""
    result = run([PYTHON, "-m", "bench.personas"], env=env_for(which), capture=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


# Servers -----------------------------------------------------------------------------------

# A dummy default cache: the pages' shared fragments (initiatives/views/fragments.py) and
# whatever else the default cache keeps are built for every request. Sessions live in the
# database, so signing in is unaffected.
FRESH = {"API_ANSWER_CACHE_SECONDS": "0", "CACHE_URL": "dummycache://"}


@dataclass
class Site:
    which: str
    mode: str
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start_sites(servers: Servers, port_base: int) -> dict:
    manage("translated", "collectstatic", "--noinput", "-v", "0")
    sites = {}
    port = port_base
    for which in DATABASES:
        for mode in ("kept", "fresh"):
            port += 1
            site = Site(which, mode, port)
            servers.start(
                f"bilingual-{which}-{mode}",
                gunicorn_command(port),
                env=env_for(which, **(FRESH if mode == "fresh" else {})),
            )
            sites[which, mode] = site
    for site in sites.values():
        wait_for(f"{site.base}/bench/hello/")
    return sites


# Rows --------------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    label: str
    paths: list[str]
    mode: str = "fresh"
    # Headers for each database (a session or token is made in each).
    headers: dict = field(default_factory=dict)
    rounds: dict = field(default_factory=lambda: {"translated": [], "plain": []})
    alone: dict = field(default_factory=dict)
    count: dict = field(default_factory=dict)
    status: dict = field(default_factory=dict)

    def median(self, which: str, key: str):
        values = [r[key] for r in self.rounds[which] if r.get(key) is not None]
        return statistics.median(values) if values else None


def api(path: str = "", **params) -> str:
    return f"/api/v1/initiatives/{path}?" + urllib.parse.urlencode(params)


def slugs_translated() -> list[str]:
    """Published records translated in one database, present (untranslated) in the other, half
    of them English originals and half Chinese."""
    picked = []
    for language in ("en", "zh-hans"):
        picked += [
            slug
            for (slug,) in sql(
                "translated",
                """
                SELECT i.slug FROM initiatives_initiative i
                JOIN initiatives_initiativetranslation t ON t.initiative_id = i.id
                WHERE i.moderation_state = 'published' AND i.language = %s
                ORDER BY md5(i.slug) LIMIT %s
                """,
                [language, RECORDS // 2],
            )
        ]
    plain = {
        slug
        for (slug,) in sql("plain", "SELECT slug FROM initiatives_initiative WHERE slug = ANY(%s)", [picked])
    }
    if plain != set(picked):
        sys.exit("bench: the two databases do not hold the same records (generated with different seeds?)")
    # English and Chinese originals alternate in the rotation.
    half = len(picked) // 2
    return [slug for pair in zip(picked[:half], picked[half:], strict=False) for slug in pair]


def rows(people: dict) -> list[Row]:
    slugs = slugs_translated()
    pages = range(1, PAGES + 1)

    def cookie(which: str, language: str, signed_in: bool) -> dict:
        value = f"django_language={language}"
        if signed_in:
            value += f"; {people[which]['cookie']}={people[which]['contributor_session']}"
        return {"Cookie": value}

    def token(which: str) -> dict:
        return {"Authorization": f"Token {people[which]['token']}"}

    language_name = {"en": "English", "zh-hans": "Chinese"}
    items = []
    for language in ("en", "zh-hans"):
        items.append(
            Row(
                f"api_list_{language}",
                f"API list, 50, anonymous, not kept, ?lang={language} (pages 1–{PAGES})",
                [api(lang=language, page=page, page_size=50) for page in pages],
            )
        )
    items += [
        Row(
            "api_detail",
            f"API record, anonymous, not kept ({len(slugs)} translated records, ?lang=en and zh-hans)",
            [api(f"{slug}/", lang=language) for slug in slugs for language in ("en", "zh-hans")],
        ),
        Row(
            "api_detail_token",
            "API record, signed in with a token (the same records and languages)",
            [api(f"{slug}/", lang=language) for slug in slugs for language in ("en", "zh-hans")],
            headers={which: token(which) for which in DATABASES},
        ),
    ]
    for signed_in in (False, True):
        caller = "signed in" if signed_in else "anonymous"
        for language in ("en", "zh-hans"):
            headers = {which: cookie(which, language, signed_in) for which in DATABASES}
            items.append(
                Row(
                    f"html_browse_{'signed_in_' if signed_in else ''}{language}",
                    f"HTML browse /initiatives/, {caller}, {language_name[language]} (pages 1–{PAGES})",
                    [f"/initiatives/?page={page}" for page in pages],
                    headers=headers,
                )
            )
    for signed_in in (False, True):
        caller = "signed in" if signed_in else "anonymous"
        for language in ("en", "zh-hans"):
            headers = {which: cookie(which, language, signed_in) for which in DATABASES}
            items.append(
                Row(
                    f"html_record_{'signed_in_' if signed_in else ''}{language}",
                    f"HTML record page, {caller}, {language_name[language]} "
                    f"({len(slugs)} translated records)",
                    [f"/initiatives/{slug}/" for slug in slugs],
                    headers=headers,
                )
            )
    for language in ("en", "zh-hans"):
        for word, where in (
            (ONLY_IN_TRANSLATIONS[language], "only in translations"),
            (IN_ORIGINALS[language], "in originals"),
        ):
            items.append(
                Row(
                    f"api_search_{language}_{word}",
                    f"API search “{word}” ({language_name[language]}, {where}), 50, not kept, "
                    f"?lang={language}",
                    [api(q=word, lang=language, page_size=50)],
                )
            )
    items.append(
        Row(
            "api_list_kept",
            f"API list, 50, anonymous, kept (as deployed), ?lang=en and zh-hans (pages 1–{PAGES})",
            [api(lang=language, page=page, page_size=50) for page in pages for language in ("en", "zh-hans")],
            mode="kept",
        )
    )
    return items


# Measuring ---------------------------------------------------------------------------------


def wrk(site: Site, row: Row, which: str, *, duration: int, connections: int) -> dict:
    paths = VAR / f"bilingual-{row.name}.paths"
    paths.write_text("\n".join(row.paths) + "\n")
    command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{duration}s", "--timeout", "30s"]
    command += ["-s", str(ROOT / "bench" / "wrk" / "rotate.lua")]
    for header, value in row.headers.get(which, {}).items():
        command += ["-H", f"{header}: {value}"]
    command.append(site.base)
    output = run(command, env={**os.environ, "BENCH_PATHS": str(paths)}, capture=True).stdout
    figures = json.loads(next(line for line in reversed(output.splitlines()) if line.startswith("{")))
    # Sync workers finish what wrk left queued; the next measurement must not pay for it.
    drained, _idle = wait_idle(site.base, 60)
    seconds = figures["duration_us"] / 1e6
    return {
        "rps": round(figures["requests"] / seconds, 1),
        "p50_ms": round(figures["p50_us"] / 1000, 1),
        "p95_ms": round(figures["p95_us"] / 1000, 1),
        "requests": figures["requests"],
        "errors": sum(figures[key] for key in figures if key.startswith("errors_")),
        "drain_s": drained,
    }


def probe(sites: dict, row: Row) -> None:
    """One request of each path once warm: status, statements, SQL time, the answer's count."""
    for which in DATABASES:
        site = sites[which, row.mode]
        headers = row.headers.get(which, {})
        fetch(site.base + row.paths[0], headers)
        samples = []
        for path in (row.paths * 3)[:5]:
            started = time.perf_counter()
            status, answered, body = fetch(site.base + path, headers)
            wall = (time.perf_counter() - started) * 1000
            samples.append(
                (
                    wall,
                    int(answered.get("X-Query-Count", -1)),
                    float(answered.get("X-Query-Ms", "nan")),
                    len(body),
                )
            )
            row.status.setdefault(which, set()).add(status)
            if "json" in answered.get("Content-Type", "") and "count" not in row.count.get(which, {}):
                try:
                    answer = json.loads(body)
                except ValueError:
                    answer = {}
                if isinstance(answer, dict) and "count" in answer:
                    row.count[which] = {key: answer.get(key) for key in ("count", "count_is_estimate")}
        row.alone[which] = {
            "wall_ms": round(statistics.median(s[0] for s in samples), 1),
            # The fewest: the first requests to each worker also read what it keeps per
            # catalogue generation (initiatives/catalogue.py `remembered`).
            "queries": min(s[1] for s in samples),
            "sql_ms": round(statistics.median(s[2] for s in samples), 1),
            "kb": round(statistics.median(s[3] for s in samples) / 1024, 1),
        }
        row.status[which] = sorted(row.status[which])


def after_change(sites: dict) -> list[dict]:
    """On the kept sites: the first request after a catalogue change, and the same once kept."""
    slug = slugs_translated()[1]
    asked = [
        ("API list, 50, ?lang=en", api(lang="en", page_size=50), {}),
        ("API list, 50, ?lang=zh-hans", api(lang="zh-hans", page_size=50), {}),
        ("API record, ?lang=zh-hans", api(f"{slug}/", lang="zh-hans"), {}),
        ("HTML browse, anonymous, Chinese", "/initiatives/", {"Cookie": "django_language=zh-hans"}),
        (
            "HTML record page, anonymous, Chinese",
            f"/initiatives/{slug}/",
            {"Cookie": "django_language=zh-hans"},
        ),
    ]
    found = []
    for label, path, headers in asked:
        figures = {}
        for which in DATABASES:
            site = sites[which, "kept"]
            first, kept = [], []
            for _ in range(AFTER_CHANGE_SAMPLES):
                sql(which, "INSERT INTO initiatives_cataloguechange DEFAULT VALUES")
                # Each worker reads the generation again at most once a second.
                time.sleep(1.1)
                timings = []
                for _ in range(5):
                    started = time.perf_counter()
                    fetch(site.base + path, headers)
                    timings.append((time.perf_counter() - started) * 1000)
                first.append(timings[0])
                # Two workers: by the third request both have kept it.
                kept.extend(timings[2:])
            figures[which] = {
                "first_ms": round(statistics.median(first), 1),
                "first_max_ms": round(max(first), 1),
                "kept_ms": round(statistics.median(kept), 1),
            }
        found.append({"label": label, "path": path, **figures})
    return found


def measure(sites: dict, items: list[Row], *, rounds: int, duration: int, connections: int) -> None:
    for row in items:
        probe(sites, row)
    for number in range(1, rounds + 1):
        order = list(DATABASES) if number % 2 else list(reversed(DATABASES))
        for row in items:
            for which in order:
                seconds = round(duration * SLOW_ROWS[1]) if row.name.startswith(SLOW_ROWS[0]) else duration
                figures = wrk(sites[which, row.mode], row, which, duration=seconds, connections=connections)
                row.rounds[which].append(figures)
                log(
                    f"round {number} {row.name} {which}: {figures['rps']} req/s, p95 {figures['p95_ms']} ms, "
                    f"errors {figures['errors']}"
                )


# Report ------------------------------------------------------------------------------------


def _n(value, digits=1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def _ratio(a, b) -> str:
    return "–" if not a or not b else f"{a / b:.2f}×"


def render(result: dict) -> str:
    host = result["machine"]
    data = result["data"]
    translated, plain = data["translated"], data["plain"]
    out = [
        SECTION,
        "",
        f"Written by `{result['command']}` ({result['measured_at']}), bench/bilingual.py; "
        "`make bench` keeps this section (bench/bilingual.md).",
        "",
        f"{result['size']:,} generated records in two databases made with the same seed: in one, "
        f"{result['share']:.0%} of them carry a translation into their other language "
        f"({translated['translations']:,} translations; {translated['published']:,} records published), "
        "written as the services write them (the translation row with its body rendered, the "
        "snapshot's `translations`, `search_extra` and `search_document`, so both stored search "
        "vectors); in the other none does. The originals are the same row for row, so each request "
        "asks both for the same page, record or search and only the translations differ (filtering "
        "one database to its untranslated records would change the query and the pages instead). "
        f"Database sizes: {translated['size']} with translations, {plain['size']} without.",
        "",
        f"Machine: {host['cpus']} CPUs ({host['cpu']}), {host['memory_gb']} GB, {host['postgresql']}, "
        f"Python {host['python']}; load average at the start "
        f"{', '.join(f'{v:.2f}' for v in host['load_average'])}. The machine is shared and noisy: "
        "read the ratios, measured in the same run, interleaved, rather than the absolute figures.",
        "",
        "Served by gunicorn as `make bench` serves it (2 sync workers, production settings plus "
        "bench/settings.py), one site per database built afresh for every request (kept API "
        "answers off, `API_ANSWER_CACHE_SECONDS=0`, and the page fragments' cache a dummy, "
        "`CACHE_URL=dummycache://`) and one as deployed for the kept rows. "
        f"wrk -t1 -c{result['connections']}, {result['duration']} s per row and database "
        f"({round(result['duration'] * SLOW_ROWS[1])} s for the browse page, a few requests a second), "
        f"{result['rounds']} rounds with the order of the two databases swapped each round; the "
        "median of the rounds. “Alone”: one request at a time once warm, median of 5, with the SQL "
        "statements it ran (bench/middleware.py; the fewest of the five) and the size of its answer "
        "(uncompressed). Matches: the answer's `count`, ≈ where the API gives PostgreSQL's "
        "estimate (past 10,000). Translated records shown: half "
        "English originals with a Chinese translation, half Chinese originals with an English one; "
        "the signed-in caller is bench/personas.py's contributor.",
        "",
        "| request | with translations req/s | p95 ms | without req/s | p95 ms | req/s ratio "
        "| alone ms with / without | queries with / without | answer KB with / without "
        "| matches with / without |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        t, p = row["translated"], row["plain"]
        count = row.get("count") or {}
        found = {which: count.get(which) or {} for which in DATABASES}
        matches = " / ".join(
            ("≈" if found[which].get("count_is_estimate") else "") + _n(found[which].get("count"))
            for which in DATABASES
        )
        matches = matches if count else ""
        status = row.get("status") or {}
        bad = {which: s for which, s in status.items() if s != [200]}
        note = f" (answered {bad})" if bad else ""
        alone = {which: row[which]["alone"] for which in DATABASES}
        out.append(
            f"| {row['label']}{note} | {_n(t['rps'])} | {_n(t['p95_ms'])} | {_n(p['rps'])} | "
            f"{_n(p['p95_ms'])} | {_ratio(t['rps'], p['rps'])} | "
            f"{_n(alone['translated'].get('wall_ms'))} / {_n(alone['plain'].get('wall_ms'))} | "
            f"{_n(alone['translated'].get('queries'))} / {_n(alone['plain'].get('queries'))} | "
            f"{_n(alone['translated'].get('kb'))} / {_n(alone['plain'].get('kb'))} | {matches} |"
        )
    errors = sum(row["translated"]["errors"] + row["plain"]["errors"] for row in result["rows"])
    out += [
        "",
        f"Errors under load: {errors}.",
        "",
        "The first request after a catalogue change (a new CatalogueChange row, then a second for "
        "each worker to read the generation again) against the same request once kept, on the sites "
        f"as deployed, one request at a time, median of {AFTER_CHANGE_SAMPLES} changes (the slowest "
        "first request in brackets; kept: the median of the third to fifth requests after it, "
        "by when both workers keep it):",
        "",
        "| request | first after a change, with translations ms | kept ms | first, without translations ms "
        "| kept ms | first: with / without |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for item in result["after_change"]:
        t, p = item["translated"], item["plain"]
        out.append(
            f"| {item['label']} | {_n(t['first_ms'])} ({_n(t['first_max_ms'])}) | {_n(t['kept_ms'])} | "
            f"{_n(p['first_ms'])} ({_n(p['first_max_ms'])}) | {_n(p['kept_ms'])} | "
            f"{_ratio(t['first_ms'], p['first_ms'])} |"
        )
    return "\n".join(out).rstrip() + "\n"


def write_section(text: str) -> None:
    """The section into bench/bilingual.md and in place into docs/performance.md."""
    SECTION_FILE.write_text(text)
    doc = DOC.read_text() if DOC.exists() else "# Performance\n"
    start = doc.find(SECTION + "\n")
    if start == -1:
        doc = doc.rstrip() + "\n\n" + text
    else:
        following = doc.find("\n## ", start + len(SECTION))
        doc = doc[:start] + text + ("\n" + doc[following + 1 :] if following != -1 else "")
    DOC.write_text(doc)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--initiatives", type=int, default=20_000, help="records in each database")
    parser.add_argument("--translated", type=float, default=0.5, help="share of them translated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=4, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port-base", type=int, default=8240, help="the four sites on +1 to +4")
    parser.add_argument("--reuse", action="store_true", help="keep the databases' records")
    args = parser.parse_args()

    VAR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    host = machine()
    data = {}
    for which, share in (("translated", args.translated), ("plain", 0.0)):
        data[which] = prepare(which, size=args.initiatives, share=share, seed=args.seed, reuse=args.reuse)
        log(f"{which}: {data[which]}")
    people = {which: personas(which) for which in DATABASES}
    servers = Servers()
    try:
        sites = start_sites(servers, args.port_base)
        items = rows(people)
        log(f"{len(items)} rows, {args.rounds} rounds of {args.duration} s on each database")
        measure(sites, items, rounds=args.rounds, duration=args.duration, connections=args.connections)
        changes = after_change(sites)
    finally:
        servers.stop()
    command = "python bench/bilingual.py" + "".join(
        f" --{name.replace('_', '-')} {value}"
        for name, value in vars(args).items()
        if name not in ("reuse", "port_base") and value != parser.get_default(name)
    )
    result = {
        "command": command,
        "measured_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "size": args.initiatives,
        "share": args.translated,
        "duration": args.duration,
        "rounds": args.rounds,
        "connections": args.connections,
        "machine": host,
        "data": data,
        "rows": [
            {
                "name": row.name,
                "label": row.label,
                "count": row.count,
                "status": row.status,
                **{
                    which: {
                        "rps": row.median(which, "rps"),
                        "p95_ms": row.median(which, "p95_ms"),
                        "p50_ms": row.median(which, "p50_ms"),
                        "errors": sum(r["errors"] for r in row.rounds[which]),
                        "rounds": row.rounds[which],
                        "alone": row.alone.get(which, {}),
                    }
                    for which in DATABASES
                },
            }
            for row in items
        ],
        "after_change": changes,
        "seconds": round(time.monotonic() - started),
    }
    (VAR / "bilingual.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    text = render(result)
    write_section(text)
    print(text)
    log(f"done in {result['seconds']} s; wrote {SECTION_FILE.relative_to(ROOT)} and {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
