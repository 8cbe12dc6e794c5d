"""`make bench` (bench/run.py): its entry point and parts load. A run itself takes too long for a test."""

import subprocess
import sys
from pathlib import Path

from bench import provisioning

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
    for setting in ("BENCH_SIZES", "BENCH_DATABASE_URL", "BENCH_REUSE", "BENCH_DIGEST"):
        assert setting in result.stdout


def test_each_size_is_measured_in_a_database_of_its_own(monkeypatch):
    monkeypatch.setattr(provisioning, "BASE_DATABASE_URL", "postgres://bench@db.example:5433/concord_bench")
    monkeypatch.setattr(provisioning, "_database_url", provisioning.BASE_DATABASE_URL)
    provisioning.use_size(1_000_000)
    assert provisioning.database_name() == "concord_bench_1000000"
    assert provisioning.admin_url() == "postgres://bench@db.example:5433/postgres"
