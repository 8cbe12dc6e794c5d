import subprocess
import sys
from pathlib import Path

import pytest

from api import answers
from initiatives import catalogue
from initiatives.selectors import counting
from tests import factories

BASE_DIR = Path(__file__).resolve().parents[1]


def pytest_sessionstart(session):
    """Compile the catalogues older than their .po files, as `make` does: the .mo files are built,
    not committed, and the Chinese pages need them when pytest is run by hand too."""
    catalogues = [*BASE_DIR.glob("locale/*/LC_MESSAGES/*.po"), *BASE_DIR.glob("*/locale/*/LC_MESSAGES/*.po")]
    stale = [
        po
        for po in catalogues
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        compiled = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "compilemessages",
                "--ignore",
                ".venv",
                "--ignore",
                "var",
                "-v",
                "0",
            ],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        if compiled.returncode:
            pytest.exit(
                f"compilemessages failed (GNU gettext installed?): {compiled.stderr.strip()}", returncode=1
            )


@pytest.fixture(autouse=True)
def _fresh_answer_cache():
    """Each test's database starts again, and may hand out the same generations again."""
    answers.forget_all()
    catalogue.forget_remembered()
    counting.forget_counts()


@pytest.fixture
def contributor(db):
    return factories.contributor()


@pytest.fixture
def curator(db):
    return factories.curator()


@pytest.fixture
def moderator(db):
    return factories.moderator()


@pytest.fixture
def admin_user(db):
    return factories.admin()


def pytest_terminal_summary(terminalreporter):
    """Say how many cases of the permission matrix ran, and how they ended."""
    outcomes = {}
    for outcome in ("passed", "failed", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            in_matrix = "test_permissions.py::test_matrix[" in getattr(report, "nodeid", "")
            if in_matrix and (report.when == "call" or outcome == "skipped"):
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    if outcomes:
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        terminalreporter.write_line(f"permission matrix: {sum(outcomes.values())} cases ran ({summary})")
