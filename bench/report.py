"""docs/performance.md from the figures bench/run.py collected: tables, ratios and the targets.

The "why" given for a missed target is built only from what was measured: requests per
second under load, the time of one request alone split into SQL and the rest (Python),
the statement counts, and single statements timed in PostgreSQL.
"""

import datetime
from pathlib import Path

WORKER_MB = 200


def _by_name(result: dict) -> dict:
    return {e["name"]: e for e in result["endpoints"]}


def _ratio(value, floor):
    if value is None or not floor:
        return None
    return value / floor


def _fmt(value, digits=1, suffix=""):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{suffix}"
    if isinstance(value, int):
        return f"{value:,}{suffix}"
    return f"{value}{suffix}"


def _x(value):
    return "–" if value is None else f"{value:.2f}×"


def _alone(endpoint: dict | None) -> str:
    """'120 ms alone, 30 ms of it in 2 SQL statements'."""
    if not endpoint or not endpoint.get("alone"):
        return ""
    alone = endpoint["alone"]
    return (
        f"{alone['wall_ms']:.0f} ms alone, {alone['sql_ms']:.0f} ms of it in "
        f"{endpoint['queries']} SQL statement{'s' if endpoint['queries'] != 1 else ''}"
    )


def _cold(endpoint: dict | None) -> str:
    cold = (endpoint or {}).get("cold") or {}
    if not cold:
        return "–"
    return f"{cold['wall_ms']:,.1f} ({cold['sql_ms']:,.1f}, {cold['queries']})"


def _endpoint_table(result: dict) -> list[str]:
    named = _by_name(result)
    floors = {
        "json_agg": (named.get("floor_json_agg") or {}).get("rps"),
        "postgrest": (named.get("floor_postgrest") or {}).get("rps"),
        "hello": (named.get("floor_hello") or {}).get("rps"),
    }
    lines = [
        "| endpoint | req/s | p50 ms | p95 ms | answered | × json_agg | × PostgREST | × hello "
        "| alone ms | SQL ms | queries | cold ms (SQL ms, queries) | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for e in result["endpoints"]:
        if not e["available"]:
            lines.append(f"| {e['label']} | not measured: {e['note']} | | | | | | | | | | | |")
            continue
        alone = e.get("alone") or {}
        dropped = " †" if any(r.get("restarted") for r in e["rounds"]) else ""
        lines.append(
            f"| {e['label']}{dropped} | {_fmt(e['rps'])} | {_fmt(e['p50_ms'], 1)} | {_fmt(e['p95_ms'], 1)} | "
            f"{_fmt(sum(r['requests'] for r in e['rounds']))} | "
            f"{_x(_ratio(e['rps'], floors['json_agg']))} | {_x(_ratio(e['rps'], floors['postgrest']))} | "
            f"{_x(_ratio(e['rps'], floors['hello']))} | {_fmt(alone.get('wall_ms'))} | "
            f"{_fmt(alone.get('sql_ms'))} | {_fmt(e['queries'])} | {_cold(e)} | {e['errors']} |"
        )
    return lines


def _verdict(met) -> str:
    return "–" if met is None else ("**met**" if met else "**missed**")


def _targets(result: dict) -> list[tuple]:
    """(target, measured, met, why) for each target of the issue at this size."""
    named = _by_name(result)
    rows = []

    def get(name, key):
        return (named.get(name) or {}).get(key)

    timings = result.get("sql_timings") or {}
    count_ms = timings.get("count(*) of published")

    # List against the floors.
    why = [
        f"API list {_alone(named.get('api_list'))}",
        f"json_agg floor {_alone(named.get('floor_json_agg'))}",
    ]
    if result.get("list_count") is not None and count_ms is not None:
        why.append(
            f"the page-number answer counts all {result['list_count']:,} published records on every request "
            f"({count_ms:.1f} ms in PostgreSQL alone)"
        )
    why = "; ".join(part for part in why if not part.endswith(" "))
    for floor, label, goal in (
        ("floor_json_agg", "the json_agg floor", 0.5),
        ("floor_postgrest", "PostgREST", 1.0),
    ):
        ratio = _ratio(get("api_list", "rps"), get(floor, "rps"))
        rows.append(
            (
                f"List page of 50 ≥ {goal}× {label} (req/s)",
                _x(ratio),
                None if ratio is None else ratio >= goal,
                "" if ratio is None or ratio >= goal else f"short by {goal - ratio:.2f}×: {why}",
            )
        )

    # Statements per request across page sizes.
    flat = []
    for name, counts in (result.get("query_counts_by_page_size") or {}).items():
        values = [v for v in counts.values() if v is not None]
        if values:
            flat.append((name, counts, len(set(values)) == 1))
    measured = "; ".join(
        f"{name}: " + ", ".join(f"{size}→{count}" for size, count in counts.items())
        for name, counts, _ok in flat
    )
    met = all(ok for _n, _c, ok in flat) if flat else None
    rows.append(
        (
            "Query count per list request flat across page sizes (10, 50, 100), built afresh "
            "(fewest of three)",
            measured or "–",
            met,
            "" if met or met is None else "the count grows with the page size: a statement per record",
        )
    )

    # Deep cursor page.
    first, deep = get("api_cursor_first", "p50_ms"), get("api_cursor_deep", "p50_ms")
    ratio = _ratio(deep, first)
    why = (
        f"deep page {_alone(named.get('api_cursor_deep'))}; "
        f"first page {_alone(named.get('api_cursor_first'))}"
    )
    rows.append(
        (
            "Cursor page 90% deep: p50 ≤ 1.2× the first page (stated at 1M)",
            f"{_fmt(deep, 1)} ms vs {_fmt(first, 1)} ms = {_x(ratio)}",
            None if ratio is None else ratio <= 1.2,
            "" if ratio is None or ratio <= 1.2 else f"over by {ratio - 1.2:.2f}×: {why}",
        )
    )

    # Search against the list under load, as the target states. Anonymous answers are kept
    # (api/answers.py), so under load both are mostly kept answers; what a search costs
    # when nothing is kept (the first request for a term after a change) is set beside it.
    search = named.get("api_search") or {}
    search_p95, list_p95 = get("api_search", "p95_ms"), get("api_list", "p95_ms")
    loaded = _ratio(search_p95, list_p95)
    answered = sum(r["requests"] for r in search.get("rounds", []))
    met = None if loaded is None else loaded <= 3.0 and not search.get("errors")
    cold = sorted((search.get("cold") or {}).get("samples", []), key=lambda s: -s["wall_ms"])
    list_cold = ((named.get("api_list") or {}).get("cold") or {}).get("wall_ms")
    cold_ratio = _ratio(cold[0]["wall_ms"], list_cold) if cold and list_cold else None
    measured = (
        f"under load {_fmt(search_p95, 1)} ms vs {_fmt(list_p95, 1)} ms = {_x(loaded)} "
        f"({answered:,} searches answered)"
    )
    why = []
    if met is False:
        why.append(f"over by {loaded - 3:.2f}×" if loaded > 3 else f"{search['errors']} requests failed")
    if cold_ratio is not None:
        measured += f"; built afresh, slowest term vs list: {_x(cold_ratio)}"
        if cold_ratio > 3:
            why.append(
                "built afresh, a common term costs more than 3× the list: "
                + ", ".join(
                    f"“{_term(s['path'])}” {s['wall_ms']:,.0f} ms ({s['sql_ms']:,.0f} ms SQL)"
                    for s in cold[:3]
                )
                + f", the list {list_cold:,.0f} ms; the exact count and the page of ids test every match's "
                "stored vector. Only the first request for a term after a change pays it"
            )
    timings = result.get("sql_timings") or {}
    common = next((v for k, v in timings.items() if k.startswith("count(*) of a common Chinese term")), None)
    if common is not None and cold_ratio is not None and cold_ratio > 3:
        why.append(
            f"counting the published records that contain 合作 takes {common:,.0f} ms in PostgreSQL alone"
        )
    rows.append(
        ("Search p95 ≤ 3× list p95, common terms included (stated at 1M)", measured, met, "; ".join(why))
    )

    # Digest fan-out.
    digest = result.get("digest") or {}
    ratio = digest.get("ratio")
    if digest.get("error"):
        measured, why = "not measured", digest["error"]
    elif ratio is None:
        measured, why = "not measured", "no digest was due at this size, or it was measured at another size"
    else:
        batched, single = digest["batched"], digest["single"]
        measured = (
            f"{batched['recipients_per_second']}/s batched vs {single['recipients_per_second']}/s "
            f"one task per recipient = {_x(ratio)}"
        )
        why = "" if ratio >= 5 else f"short by {5 - ratio:.2f}×"
    rows.append(
        (
            "Digest recipients/s ≥ 5× one-task-per-recipient",
            measured,
            None if ratio is None else ratio >= 5,
            why,
        )
    )

    # Conditional GETs against hello.
    hello = get("floor_hello", "rps")
    for name, base, label in (
        ("api_list_304", "api_list", "list"),
        ("api_detail_304", "api_detail", "detail"),
    ):
        ratio = _ratio(get(name, "rps"), hello)
        why = ""
        if ratio is not None and ratio < 0.5:
            why = (
                f"short by {0.5 - ratio:.2f}×: the 304 takes {_alone(named.get(name))}, the full answer "
                f"{_alone(named.get(base))}, hello {_alone(named.get('floor_hello'))}"
            )
        rows.append(
            (
                f"304 on the {label} ≥ 0.5× hello (req/s)",
                _x(ratio),
                None if ratio is None else ratio >= 0.5,
                why,
            )
        )

    # Memory.
    workers = result.get("workers") or {}
    peak = max((w["peak_mb"] for w in workers.values()), default=None)
    rows.append(
        (
            f"Each gunicorn worker < {WORKER_MB} MB resident during the run",
            ", ".join(f"{w['peak_mb']} MB" for w in workers.values()) or "–",
            None if peak is None else peak < WORKER_MB,
            "" if peak is None or peak < WORKER_MB else f"over by {peak - WORKER_MB:.0f} MB",
        )
    )
    return rows


def _term(path: str) -> str:
    from urllib.parse import parse_qs, urlparse

    return parse_qs(urlparse(path).query).get("q", [path])[0]


def _digest(digest: dict) -> list[str]:
    if digest.get("error"):
        return [f"Not measured: {digest['error']}"]
    batched, single = digest["batched"], digest["single"]
    if not batched["recipients_per_second"]:
        return [f"Not measured: {digest['subscriptions']:,} active subscriptions, none due."]
    return [
        f"{digest['subscriptions']:,} active subscriptions, {digest['due']:,} due for the daily run; "
        "through the real service (digests.services.digest_batch_send) and templates into a local "
        "SMTP sink, in one process.",
        "",
        "| way | recipients | seconds | recipients/s | sent | nothing to say |",
        "|---|---:|---:|---:|---:|---:|",
        f"| batches of {digest['batch_size']} (one task each) | {batched['recipients']:,} | "
        f"{batched['seconds']} | {batched['recipients_per_second']} | {batched['sent']} | "
        f"{batched['empty']} |",
        f"| one task per recipient | {single['recipients']:,} | {single['seconds']} | "
        f"{single['recipients_per_second']} | {single['sent']} | {single['empty']} |",
        "",
        f"Ratio {_x(digest['ratio'])}. At the batched rate 100,000 recipients take "
        f"{100000 / batched['recipients_per_second'] / 60:.1f} minutes on one worker process.",
    ]


def _section(result: dict, *, older: bool = False) -> list[str]:
    size = result["size"]
    out = [f"## {size:,} initiatives" + (" (from an earlier run)" if older else ""), ""]
    rounds = max((len(e["rounds"]) for e in result["endpoints"]), default=0)
    wrk = result.get("wrk") or {"threads": 2, "connections": 32, "duration": 10, "rounds": rounds}
    out += [
        f"Measured {result['measured_at']}: wrk with {wrk['threads']} threads and {wrk['connections']} "
        f"connections, {wrk['duration']} s per endpoint, {rounds} interleaved "
        + ("rounds, median of the rounds." if rounds > 1 else "round."),
        "",
        "### Data",
        "",
        "| table | rows |",
        "|---|---:|",
    ]
    out += [f"| {label} | {_fmt(value)} |" for label, value in result["data"].items()]
    generation = result.get("generation") or {}
    if generation.get("initiatives_added") or generation.get("subscribers_added"):
        made = (
            f" ({generation['at'][:16].replace('T', ' ')} UTC, kept for this run)"
            if generation.get("reused")
            else ""
        )
        out += [
            "",
            f"`generate_data` added {generation['initiatives_added']:,} initiatives and "
            f"{generation['subscribers_added']:,} subscribers in {generation['seconds']} s{made}:",
            "",
            "```",
            *generation["output"],
            "```",
        ]
    out += ["", "### Requests", "", *_endpoint_table(result), ""]
    out.append(
        "req/s, p50 and p95: under load (wrk), median of the rounds; answered: requests completed in "
        "all rounds (p50 and p95 are over these only); the ratios divide req/s by the floor's. "
        "alone: one request at a time once warm (median), and the part of it spent in SQL "
        "(X-Query-Ms from bench/middleware.py); queries: SQL statements per request (X-Query-Count). "
        "cold: the same API requests with a parameter the API ignores, so that no kept answer "
        "matches: what the first request after a change to the catalogue costs (median of up to 8). "
        "errors: timeouts, failed connections and 4xx/5xx over all rounds. † gunicorn still had "
        "this endpoint's requests queued 30 s after wrk stopped and was restarted to drop them "
        "(worker memory is followed across restarts)."
    )
    out.append("")
    timings = result.get("sql_timings") or {}
    if timings:
        out += ["Single statements timed in PostgreSQL alone (median of 5, ms):", ""]
        out += [f"- {label}: {value}" for label, value in timings.items()]
        out.append("")
    keys = result.get("list_keys")
    if keys:
        count = result.get("list_count")
        out += [
            f"The API's list answer holds {', '.join(keys)}" + (f" (count = {count:,})." if count else "."),
            "",
        ]
    out += ["### Memory", ""]
    out += [
        f"- gunicorn worker {pid}: peak {w['peak_mb']} MB resident (VmHWM), {w['rss_mb']} MB at the end"
        for pid, w in (result.get("workers") or {}).items()
    ]
    out.append("")
    if result.get("digest"):
        out += ["### Digest fan-out", "", *_digest(result["digest"]), ""]
    out += ["### Targets", "", "| target | measured | verdict | by how much, and why |", "|---|---|---|---|"]
    out += [f"| {t} | {m} | {_verdict(met)} | {why} |" for t, m, met, why in _targets(result)]
    out.append("")
    return out


def render(*, host: dict, results: list, previous: list) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# Performance",
        "",
        f"Written by `make bench` ({now}); run it again to refresh. How it measures: bench/run.py.",
        "",
        "Concord is measured where its users feel speed (the API's list, detail, filters, search, "
        "cursor walk and conditional GETs, and the HTML browse page) against the fastest ways to "
        "serve the same data on the same machine, all in the same interleaved rounds:",
        "",
        "- **json_agg floor**: a bare Django view (bench/floor_urls.py) whose one SQL statement returns "
        "the API's first page of 50 as JSON built by PostgreSQL (bench/page.sql);",
        "- **PostgREST 12** on the same tables, through a view of published initiatives with the same "
        "columns, read by a role (`web_anon`) that may only select from it;",
        "- **hello**: a Django view that returns five bytes, through the same middleware.",
        "",
        "The data come from `manage.py generate_data` (COPY into PostgreSQL): per initiative about "
        "3 countries, 3 stakeholders with roles (one lead) and 4 tags drawn from a vocabulary of "
        "2,000 English and Chinese tags with a Zipf-like spread (a few everywhere, most rare); 60% "
        "English and 40% Chinese text; all four key tasks with their action lines; 82% published, "
        "the rest draft, submitted, rejected or archived; created and updated over five years; one "
        "revision each, holding the snapshot the API reads. Subscribers are users with a daily or "
        "weekly digest subscription.",
        "",
        "Django runs under gunicorn, 2 sync workers, with config.settings.production (DEBUG off, "
        "persistent database connections) plus bench/settings.py, which adds only the floor URLs and "
        "the query-count header. The API's anonymous throttle is raised for the run (it still runs). "
        "The throttle counters and the API's kept anonymous answers (api/answers.py) are "
        "in each worker's memory (64 MB for answers), as configured by default (docs/deployment.md "
        "weighs Redis). "
        "Between two measurements the driver waits until gunicorn has worked off what wrk left queued.",
        "",
        "## Machine",
        "",
        f"- {host['cpus']} CPUs: {host['cpu']}",
        f"- {host['memory_gb']} GB memory; Linux {host['kernel']}",
        f"- {host['postgresql']}; Python {host['python']}",
        f"- load average when the run started: {', '.join(f'{v:.2f}' for v in host['load_average'])} "
        "(the machine is shared: wrk, gunicorn, PostgREST and PostgreSQL all run on these cores)",
        "",
    ]
    diagnosis = Path(__file__).with_name("diagnosis.md")
    if diagnosis.exists():
        out += [diagnosis.read_text().rstrip(), ""]
    sections = [(r, False) for r in results] + [(r, True) for r in previous]
    for result, older in sorted(sections, key=lambda pair: pair[0]["size"]):
        out += _section(result, older=older)
    return "\n".join(out).rstrip() + "\n"
