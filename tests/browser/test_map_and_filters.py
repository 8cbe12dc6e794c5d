"""The map and the browse filters in a real browser: the map is drawn from this site alone
with no console errors, and a country is chosen from the searchable list with the keyboard."""

from urllib.parse import parse_qs, urlparse

import pytest

from tests import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def records(frame):
    owner = factories.contributor()
    make = factories.make_initiative
    make(
        owner=owner,
        state="published",
        title="Kenya–Brazil cyber dialogue",
        countries=["KE", "BR"],
        kind="dialogue",
    )
    make(
        owner=owner,
        state="published",
        title="Kenya–Brazil second round",
        countries=["BR", "KE"],
        kind="dialogue",
    )
    make(owner=owner, state="published", title="China–Kenya CERT training", countries=["CN", "KE"])
    make(owner=owner, state="published", title="Brazil cloud project", countries=["BR"])


def _watch(page, base):
    elsewhere, errors = [], []
    page.on(
        "request", lambda request: None if request.url.startswith(base) else elsewhere.append(request.url)
    )
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return elsewhere, errors


def test_the_map_is_drawn_from_this_site_alone(live_server, records, page, screenshot):
    base = live_server.url
    elsewhere, errors = _watch(page, base)
    page.goto(base + "/map/")
    kenya = page.locator('a[href="/countries/KE/"] path.world-map__country')
    assert kenya.get_attribute("class").endswith("--5")
    assert page.locator("path.world-map__pair").count() == 1
    assert page.locator("path.world-map__country").count() >= 170
    box = page.locator("svg.world-map__svg").bounding_box()
    assert box["width"] > 600 and box["height"] > 280
    screenshot(page, "map")
    page.locator('a[href="/countries/BR/"]').first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/countries/BR/")
    assert elsewhere == [] and errors == []


def test_a_country_is_chosen_from_the_list_with_the_keyboard(live_server, records, page, screenshot):
    base = live_server.url
    elsewhere, errors = _watch(page, base)
    page.goto(base + "/initiatives/")
    search = page.get_by_role("combobox", name="Country")
    search.fill("ken")
    listbox = page.locator("#f-country-options")
    assert listbox.is_visible()
    assert listbox.locator('[role="option"]').all_inner_texts() == ["Kenya (3)"]
    search.press("Enter")
    assert page.get_by_role("button", name="Remove Kenya (3)").is_visible()
    search.fill("bra")
    search.press("ArrowDown")
    search.press("Enter")
    search.press("Escape")
    assert listbox.is_hidden()
    chips = page.locator(".combobox__chip")
    assert chips.all_inner_texts() == ["Brazil (3) ×", "Kenya (3) ×"]
    # Backspace in the empty box drops the last choice shown.
    search.press("Backspace")
    assert chips.all_inner_texts() == ["Brazil (3) ×"]
    screenshot(page, "browse-combobox")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert parse_qs(urlparse(page.url).query)["country"] == ["BR"]
    assert page.locator("#results-heading").inner_text().strip() == "3 initiatives"
    assert elsewhere == [] and errors == []
