"""`make bench` (bench/run.py): its entry point and parts load. A run itself takes too long for a test."""

import subprocess
import sys
from pathlib import Path

from bench import provisioning, report

ROOT = Path(__file__).resolve().parents[2]


def test_help_describes_the_settings_without_starting_a_run(tmp_path):
    result = subprocess.run(  # noqa: S603 -- this interpreter, a fixed script
        [sys.executable, str(ROOT / "bench" / "run.py"), "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for setting in (
        "BENCH_SIZES",
        "BENCH_DATABASE_URL",
        "BENCH_REUSE",
        "BENCH_DIGEST",
        "BENCH_PORT_BASE",
        "BENCH_CONNECTIONS",
    ):
        assert setting in result.stdout


def test_each_size_is_measured_in_a_database_of_its_own(monkeypatch):
    monkeypatch.setattr(provisioning, "BASE_DATABASE_URL", "postgres://bench@db.example:5433/concord_bench")
    monkeypatch.setattr(provisioning, "_database_url", provisioning.BASE_DATABASE_URL)
    provisioning.use_size(1_000_000)
    assert provisioning.database_name() == "concord_bench_1000000"
    assert provisioning.admin_url() == "postgres://bench@db.example:5433/postgres"


def _endpoint(name, rps, *, floor="list", p95=100.0, site="kept", **extra):
    return {
        "name": name,
        "label": name.replace("_", " "),
        "site": site,
        "floor": floor,
        "available": True,
        "note": "",
        "queries": 3,
        "alone": {"wall_ms": 40.0, "sql_ms": 10.0, "samples": []},
        "count": {},
        "rounds": [{"requests": int(rps * 5), "restarted": False}],
        "rps": rps,
        "p50_ms": p95 / 2,
        "p95_ms": p95,
        "errors": 0,
        **extra,
    }


def _result(size=100_000, digest=None, evidence=None) -> dict:
    return {
        "size": size,
        "wrk": {"threads": 1, "connections": 8, "duration": 5, "rounds": 2},
        "measured_at": "2026-12-01T12:00:00+00:00",
        "generation": {},
        "data": {"initiatives": size},
        "people": {
            "contributor": "bench_contributor",
            "admin": "bench_admin",
            "owned": 3,
            "collaborating": 5,
        },
        "endpoints": [
            _endpoint("floor_list", 100.0, floor=""),
            _endpoint("floor_search", 60.0, floor=""),
            _endpoint("floor_postgrest", 200.0, floor="", site=None),
            _endpoint("floor_hello", 2000.0, floor=""),
            _endpoint(
                "api_list_token", 60.0, count={"count": 820_000, "count_is_estimate": True}
            ),  # 0.6× the list floor, 0.3× PostgREST
            _endpoint("api_list_not_kept", 55.0, site="not_kept", p95=100.0),
            _endpoint("api_search_en_not_kept", 10.0, floor="search", site="not_kept", p95=450.0),
            _endpoint("api_search_zh_not_kept", 30.0, floor="search", site="not_kept", p95=200.0),
            _endpoint("html_browse", 5.0),
            _endpoint("api_list", 1900.0, floor="hello"),
        ],
        "workers": {
            "kept 1": {"peak_mb": 120.0, "rss_mb": 110.0},
            "not_kept 2": {"peak_mb": 210.0, "rss_mb": 200.0},
        },
        "list_keys": ["count", "count_is_estimate", "next", "previous"],
        "list_count": 820_000,
        "list_count_is_estimate": True,
        "query_counts_by_page_size": {
            "list": {10: 3, 50: 3, 100: 3},
            "list signed in": {10: 4, 50: 4, 100: 4},
        },
        "sql_timings": {"count(*) of published": 120.0},
        "digest": digest,
        "evidence": evidence or {},
    }


HOST = {
    "cpus": 2,
    "cpu": "test",
    "memory_gb": 4.0,
    "postgresql": "PostgreSQL 15",
    "python": "3.11",
    "kernel": "6",
    "load_average": (1.0, 1.0, 1.0),
}


def _row(rows, start):
    return next(row for row in rows if row[0].startswith(start))


def test_each_target_is_judged_against_its_own_floor_and_a_miss_says_by_how_much():
    rows = report.targets(_result())

    token = _row(rows, "api list token ≥ 0.5× the list floor")
    assert token[2] is True
    postgrest = _row(rows, "api list token ≥ 0.5× PostgREST")
    assert postgrest[2] is False
    assert "short by 0.20×" in postgrest[3]
    english = _row(rows, "api search en not kept ≥ 0.33× the search floor")
    assert english[2] is False and "short by 0.16×" in english[3]
    chinese = _row(rows, "api search zh not kept ≥ 0.33× the search floor")
    assert chinese[2] is True
    p95 = _row(rows, "Search p95, common English words")
    assert p95[2] is False and "over by 1.50×" in p95[3]
    browse = _row(rows, "html browse ≥ 0.25×")
    assert browse[2] is False and "short by 0.20×" in browse[3]
    assert _row(rows, "api list ≥ 0.25× hello")[2] is True
    memory = _row(rows, "Each gunicorn worker")
    assert memory[2] is False and "over by 10 MB" in memory[3]
    # Rows this run has no figures for are reported as such, not as met or missed.
    assert _row(rows, "admin_moderation")[1].startswith("not measured")


def test_rows_that_missed_are_the_ones_profiled():
    assert report.missed_rows(_result()) == ["api_list_token", "api_search_en_not_kept", "html_browse"]


def test_the_digest_targets_read_the_fan_outs_figures():
    digest = {
        "subscriptions": 100_000,
        "due": 52_000,
        "distinct_digests": 900,
        "run": {"recipients": 52_000, "seconds": 52.0, "recipients_per_second": 1000.0, "sent": 51_000},
        "bare": {"messages": 52_000, "seconds": 26.0, "messages_per_second": 2000.0},
        "ratio_to_bare": 0.5,
        "ratio_to_previous_batched": 17.7,
    }
    rows = report.targets(_result(digest=digest))
    assert _row(rows, "Digest recipients/s on one worker")[2] is True
    assert _row(rows, "Digest recipients/s ≥ 0.5× a bare")[2] is True

    slow = {**digest, "run": {**digest["run"], "recipients_per_second": 400.0}, "ratio_to_bare": 0.2}
    rows = report.targets(_result(digest=slow))
    assert "short by 165.0/s" in _row(rows, "Digest recipients/s on one worker")[3]
    assert "short by 0.30×" in _row(rows, "Digest recipients/s ≥ 0.5× a bare")[3]


def test_digest_figures_that_are_missing_are_reported_with_the_reason():
    rows = report.targets(_result(digest={"error": "digests.services has no digest_run"}))
    run = _row(rows, "Digest recipients/s on one worker")
    assert run[1] == "not measured: digests.services has no digest_run" and run[2] is None

    rows = report.targets(_result(digest={"subscriptions": 10, "run": {"recipients": 0}}))
    assert "no bare rate" in _row(rows, "Digest recipients/s ≥ 0.5× a bare")[1]
    text = "\n".join(report._digest({"subscriptions": 10, "run": {"recipients": 0}}))
    assert "Not in the fan-out's output: due, distinct_digests, bare." in text


def test_the_report_shows_targets_estimates_and_the_evidence_of_a_miss():
    evidence = {
        "html_browse": {
            "path": "/initiatives/",
            "status": 200,
            "wall_ms": 250.0,
            "queries": 14,
            "sql_ms": 150.0,
            "slowest_ms": 120.0,
            "slowest_sql": "SELECT count(*) FROM initiatives_initiative",
            "explain": ["Aggregate  (actual time=119.0..119.0 rows=1 loops=1)"],
            "profile": ["-- by own time", "ncalls  tottime"],
        }
    }
    text = report.render(
        host=HOST, results=[_result(evidence=evidence), _result(size=1_000_000)], previous=[]
    )

    assert "| target | 100,000 initiatives | 1,000,000 initiatives |" in text
    assert "820,000 (estimate)" in text
    assert "(count = 820,000, an estimate)" in text
    assert "#### html browse (html_browse)" in text
    assert "Aggregate  (actual time=119.0..119.0 rows=1 loops=1)" in text
    assert "the slowest 120 ms (profile and plan under “Evidence”, html_browse)" in text
    assert "API_ANSWER_CACHE_SECONDS=0" in text


def test_an_earlier_runs_figures_in_an_older_shape_are_left_out():
    older = {"size": 10_000, "endpoints": [{"name": "api_list", "rounds": [{}]}]}
    text = report.render(host=HOST, results=[_result()], previous=[older])
    assert "10,000 initiatives" not in text


def test_the_crash_property_is_cited_from_the_digest_tests_that_prove_it():
    row = _row(report.targets(_result()), "Digests under kill -9")
    cited = report.crash_tests()
    assert row[2] is None
    for test in cited:
        assert test in row[1]
        path, name = test.split("::")
        assert f"def {name}(" in (ROOT / path).read_text()
