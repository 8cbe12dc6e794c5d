"""bench/bilingual.py: its report and where it is written. A run itself takes too long for a test."""

import subprocess
import sys
from pathlib import Path

from bench import bilingual

ROOT = Path(__file__).resolve().parents[2]

HOST = {
    "cpus": 2,
    "cpu": "test",
    "memory_gb": 4.0,
    "postgresql": "PostgreSQL 15",
    "python": "3.11",
    "kernel": "6",
    "load_average": (1.0, 1.0, 1.0),
}


def _side(rps: float, queries: int = 2) -> dict:
    return {
        "rps": rps,
        "p95_ms": 200.0,
        "p50_ms": 100.0,
        "errors": 0,
        "rounds": [],
        "alone": {"wall_ms": 30.0, "queries": queries, "sql_ms": 10.0, "kb": 40.5},
    }


def _result() -> dict:
    data = {"initiatives": 100, "published": 80, "translations": 50, "size": "20 MB"}
    return {
        "command": "python bench/bilingual.py --initiatives 100",
        "measured_at": "2026-12-01 20:00 UTC",
        "size": 100,
        "share": 0.5,
        "duration": 4,
        "rounds": 2,
        "connections": 8,
        "machine": HOST,
        "data": {"translated": data, "plain": {**data, "translations": 0}},
        "rows": [
            {
                "name": "api_search_en_partners",
                "label": "API search “partners”",
                "count": {
                    "translated": {"count": 13_182, "count_is_estimate": True},
                    "plain": {"count": 9_870, "count_is_estimate": False},
                },
                "status": {"translated": [200], "plain": [200]},
                "translated": _side(30.0, queries=3),
                "plain": _side(40.0),
            }
        ],
        "after_change": [
            {
                "label": "API list",
                "path": "/api/v1/initiatives/",
                "translated": {"first_ms": 50.0, "first_max_ms": 70.0, "kept_ms": 2.0},
                "plain": {"first_ms": 40.0, "first_max_ms": 60.0, "kept_ms": 2.0},
            }
        ],
    }


def test_the_table_sets_each_request_with_translations_beside_the_same_without():
    text = bilingual.render(_result())

    assert text.startswith(bilingual.SECTION)
    assert "`python bench/bilingual.py --initiatives 100`" in text
    assert "| API search “partners” | 30.0 | 200.0 | 40.0 | 200.0 | 0.75× | 30.0 / 30.0 | 3 / 2 |" in text
    # A count past the exact limit is marked as the estimate it is.
    assert "≈13,182 / 9,870" in text
    assert "| API list | 50.0 (70.0) | 2.0 | 40.0 (60.0) | 2.0 | 1.25× |" in text


def test_the_section_replaces_its_earlier_figures_and_keeps_the_rest(tmp_path, monkeypatch):
    doc = tmp_path / "performance.md"
    doc.write_text(
        f"# Performance\n\n## Before\n\nkept\n\n{bilingual.SECTION}\n\nold figures\n\n## After\n\nkept too\n"
    )
    monkeypatch.setattr(bilingual, "DOC", doc)
    monkeypatch.setattr(bilingual, "SECTION_FILE", tmp_path / "bilingual.md")

    bilingual.write_section(f"{bilingual.SECTION}\n\nnew figures\n")

    text = doc.read_text()
    assert "old figures" not in text and text.count(bilingual.SECTION) == 1
    assert "## Before\n\nkept" in text and "new figures\n\n## After\n\nkept too\n" in text
    assert (tmp_path / "bilingual.md").read_text() == f"{bilingual.SECTION}\n\nnew figures\n"


def test_help_describes_the_comparison_without_starting_a_run():
    completed = subprocess.run(  # noqa: S603 -- this interpreter, the project's script
        [sys.executable, str(ROOT / "bench" / "bilingual.py"), "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "same seed" in completed.stdout and "--translated" in completed.stdout
