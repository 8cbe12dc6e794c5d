"""A record's whole journey through a real browser: draft, submission, approval, publication."""

import pytest

from initiatives.models import Initiative
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Lancang-Mekong cyber emergency drill"


def sign_in(page, base: str, username: str, next_url: str = "/"):
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_contributor_drafts_and_submits_moderator_approves_public_finds_it(
    live_server, frame, page, screenshot
):
    base = live_server.url
    contributor = factories.contributor(username="amina")
    factories.moderator(username="mod")
    factories.make_initiative(state="published", title="ITU rural broadband pledges")

    page.goto(base + "/")
    screenshot(page, "home")

    # The contributor signs in and fills in the form.
    sign_in(page, base, contributor.username, "/workspace/")
    assert page.get_by_role("heading", name="My initiatives").is_visible()
    page.get_by_role("link", name="New initiative").first.click()
    page.locator("#id_title").fill(TITLE)
    page.get_by_label("Summary:", exact=True).fill(
        "A yearly joint exercise of national CERTs on cross-border incidents."
    )
    page.locator("#id_body").fill("## Scenario\n\nA **ransomware** outbreak across three grids.")
    page.get_by_role("button", name="Preview").click()
    assert page.locator("#body-preview strong").inner_text() == "ransomware"
    page.locator("#id_key_task").select_option("multilateral-mechanisms")
    page.locator("#id_kind").select_option("event")
    page.locator("#id_status").select_option("active")
    page.locator("#id_start_date").fill("2025-06-01")
    page.locator("#id_countries").fill("CN, Laos, TH")
    page.get_by_label("Shared security: a peaceful and secure cyberspace").check()
    page.locator("#id_tags").fill("incident response, drills")
    page.locator("#id_participants-0-stakeholder").fill("itu")
    page.locator("#id_participants-0-role").select_option("lead")
    page.locator("#id_links-0-url").fill("https://example.org/drill")
    screenshot(page, "form")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=TITLE).is_visible()
    assert "Your draft is saved" in page.content()

    # Submitting shows likely duplicates first.
    page.get_by_role("link", name="Submit for review").click()
    assert page.get_by_role("heading", name="Is it already recorded?").is_visible()
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assert "Submitted. A moderator will review it." in page.content()
    initiative = Initiative.objects.get(title=TITLE)
    assert initiative.moderation_state == "submitted"
    sign_out(page)

    # The public cannot see it yet.
    response = page.goto(f"{base}{initiative.get_absolute_url()}")
    assert response.status == 404

    # A moderator approves it with the admin changelist's action.
    sign_in(page, base, "mod", "/admin/initiatives/initiative/")
    page.locator(f"input[name=_selected_action][value='{initiative.pk}']").check()
    page.locator("select[name=action]").select_option("approve_selected")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    initiative.refresh_from_db()
    assert initiative.moderation_state == "published"
    page.goto(base + "/")
    sign_out(page)

    # Anyone finds it on the browse page and by searching.
    page.goto(f"{base}/initiatives/")
    assert page.get_by_role("link", name=TITLE).is_visible()
    screenshot(page, "browse")
    page.locator("#f-q").fill("drills")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "q=drills" in page.url and "key_task=" not in page.url  # empty filters stay out
    assert page.get_by_role("link", name=TITLE).is_visible()
    assert page.get_by_role("link", name="ITU rural broadband pledges").count() == 0
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state()
    assert page.locator(".prose strong").first.inner_text() == "ransomware"
    assert page.get_by_text("International Telecommunication Union").first.is_visible()
    screenshot(page, "detail")

    # The interface switches to Chinese.
    page.locator("#language-select").select_option("zh-hans")
    page.wait_for_load_state()
    page.wait_for_selector("html[lang=zh-Hans]")
    assert page.get_by_role("link", name="浏览", exact=True).is_visible()
    assert page.get_by_role("heading", name="参与方").is_visible() or "参与方" in page.content()
    assert "国际电信联盟" in page.content()
    screenshot(page, "detail-zh")
    page.goto(base + "/")
    assert page.get_by_role("heading", name="四项重点任务").is_visible()
    screenshot(page, "home-zh")


def test_the_site_is_usable_on_a_phone(live_server, frame, browser, screenshot):
    factories.make_initiative(state="published", title="Digital skills for teachers")
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/initiatives/")
        # Nothing is wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.get_by_text("Filters and sorting").click()
        page.locator("#f-key-task").select_option("global-south")
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_load_state()
        assert "key_task=global-south" in page.url
        assert page.get_by_role("link", name="Digital skills for teachers").is_visible()
        screenshot(page, "browse-phone")
    finally:
        context.close()
