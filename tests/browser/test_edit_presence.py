"""Edit presence in a real browser: an open edit form keeps saying so, and learns who else
has opened it since, without being reloaded."""

import pytest

from tests import factories
from tests.browser.test_journey import sign_in

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_open_form_learns_who_else_is_editing(live_server, frame, browser, settings, screenshot):
    # A short timeout, so that the form says it is open every 5 seconds instead of every minute.
    settings.EDIT_PRESENCE_SECONDS = 10
    base = live_server.url
    alice = factories.contributor(username="alice")
    bob = factories.contributor(username="bob")
    draft = factories.make_initiative(owner=alice, partners=[bob], title="Shared CERT network draft")
    edit = f"/initiatives/{draft.slug}/edit/"

    bobs = browser.new_context(locale="en-GB").new_page()
    refusals = []
    bobs.on("console", lambda message: refusals.append(message.text) if message.type == "error" else None)
    sign_in(bobs, base, bob.username, edit)
    notice = bobs.locator("#edit-presence")
    assert notice.is_hidden()

    alices = browser.new_context(locale="en-GB").new_page()
    sign_in(alices, base, alice.username, edit)
    # Alice, arriving second, is told at once; Bob's open form learns it at its next beat.
    assert "bob has been editing this record (since" in alices.locator("#edit-presence").inner_text()
    told = notice.filter(has_text="alice has been editing this record (since")
    told.wait_for(state="visible", timeout=15000)
    screenshot(bobs, "edit-presence")

    # Alice saves: her presence ends, and Bob's notice empties at its next beat.
    alices.get_by_role("button", name="Save changes").click()
    alices.wait_for_load_state()
    notice.wait_for(state="hidden", timeout=15000)
    assert refusals == []
    bobs.context.close()
    alices.context.close()
