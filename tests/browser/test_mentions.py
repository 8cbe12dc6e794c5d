"""@mention completion in a real browser: typing @ and a few letters in a comment textarea
offers usernames in a listbox, chosen with the keyboard; Escape closes it; the comment
posted shows the mention marked."""

import pytest

from tests import factories
from tests.browser.test_journey import sign_in

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_mention_is_completed_with_the_keyboard(live_server, frame, page, screenshot):
    base = live_server.url
    writer = factories.contributor(username="writer")
    for name in ("amina", "amir", "bob"):
        factories.contributor(username=name)
    record = factories.make_initiative(owner=writer, state="published", title="Pacific CERT exchange")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, base, writer.username, record.get_absolute_url())

    textarea = page.locator("textarea[name=body][data-mentions]").last
    textarea.click()
    textarea.press_sequentially("Thanks @am", delay=30)
    listbox = page.get_by_role("listbox")
    listbox.wait_for(state="visible")
    options = listbox.get_by_role("option")
    assert options.all_inner_texts() == ["@amina", "@amir"]
    assert textarea.get_attribute("aria-expanded") == "true"
    assert options.first.get_attribute("aria-selected") == "true"
    screenshot(page, "mention-listbox")

    textarea.press("ArrowDown")
    assert options.nth(1).get_attribute("aria-selected") == "true"
    assert textarea.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    textarea.press("Enter")
    assert textarea.input_value() == "Thanks @amir "
    assert listbox.is_hidden()

    textarea.press_sequentially("and @bo", delay=30)
    listbox.wait_for(state="visible")
    textarea.press("Escape")
    assert listbox.is_hidden() and textarea.get_attribute("aria-expanded") == "false"
    textarea.press_sequentially("b", delay=30)
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()
    assert page.locator(".comment__body .mention").all_inner_texts() == ["@amir", "@bob"]
    assert errors == []
