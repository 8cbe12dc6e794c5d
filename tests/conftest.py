import pytest

from initiatives import answers
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_answer_cache():
    """Each test's database starts again, and may hand out the same generations again."""
    answers.forget_all()


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
