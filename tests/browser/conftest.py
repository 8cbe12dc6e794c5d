"""Browser tests: Playwright for Python driving Debian's chromium against the live server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs its own event loop in this thread; Django's ORM calls made by the
# test itself (fixtures, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's chromium, where ops/provision.sh (make test) checks for it and installs it.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def frame_snapshot(django_db_setup, django_db_blocker):
    """The test database's seeded rows (frame, groups), as serialized when it was created."""
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


def _frame_restore(snapshot) -> None:
    """Put the seeded rows back, and the serialized copy on the connection in use now.

    `serialized_rollback` restores the database through the connection object serialized at
    set-up, but once Playwright's event loop has run in this thread Django hands out a fresh
    connection object without that copy; later transactional tests (ours and others') would
    then start from an empty frame.
    """
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    if not snapshot:
        return
    connection._test_serialized_contents = snapshot
    if not Group.objects.exists():
        # The flush re-created content types and permissions with new ids: start clean.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(snapshot)


@pytest.fixture
def frame(live_server, frame_snapshot):
    """The seeded frame, even after an earlier browser test flushed the database."""
    _frame_restore(frame_snapshot)


@pytest.fixture(scope="module", autouse=True)
def _frame_after_browser_tests(frame_snapshot, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        _frame_restore(frame_snapshot)


@pytest.fixture(scope="module")
def browser(frame_snapshot):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it as root, or apt-get install chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
