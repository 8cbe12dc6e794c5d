"""A record in both languages in a real browser: a Chinese reader and an English reader each
get their language, and "Show both languages" sets the two texts side by side, each column
marked with its own language."""

import pytest

from initiatives import services
from tests import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHINESE = {
    "title": "中非数字丝路能力建设项目",
    "summary": "为非洲国家网络应急响应人员提供培训。",
    "body": "项目包括**研讨班**和联合演练。",
}
ENGLISH = {
    "title": "China-Africa Digital Silk Road capacity project",
    "summary": "Training for emergency response staff in African countries.",
    "body": "Workshops and **joint exercises**.",
}


@pytest.fixture
def record(frame):
    record = factories.make_initiative(state="published", language="zh-hans", **CHINESE)
    services.initiative_edit(
        actor=factories.curator(), initiative=record, data={"translations": {"en": ENGLISH}}
    )
    return record


def test_a_record_side_by_side_in_both_languages(live_server, record, browser, page, screenshot):
    page.goto(live_server.url + record.get_absolute_url())
    heading = page.locator("article.initiative h1")
    assert heading.inner_text() == ENGLISH["title"]
    assert page.locator("article.initiative").get_attribute("lang") == "en"
    assert "Translated from Chinese by a person" in page.locator(".text-origin").inner_text()

    page.get_by_role("link", name="Show both languages").click()
    page.wait_for_load_state()
    columns = page.locator(".side-by-side__column")
    assert columns.count() == 2
    english, chinese = columns.nth(0), columns.nth(1)
    assert english.locator("div[lang=en]").count() == 1
    assert ENGLISH["title"] in english.inner_text() and "joint exercises" in english.inner_text()
    assert chinese.locator("div[lang=zh-Hans]").count() == 1
    assert CHINESE["title"] in chinese.inner_text() and "研讨班" in chinese.inner_text()
    # Side by side on a wide screen: the two columns share one row.
    left, right = english.bounding_box(), chinese.bounding_box()
    assert abs(left["y"] - right["y"]) < 2 and right["x"] > left["x"] + left["width"] - 1
    screenshot(page, "record-side-by-side")

    chinese_reader = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        other = chinese_reader.new_page()
        other.goto(live_server.url + record.get_absolute_url())
        assert other.locator("article.initiative h1").inner_text() == CHINESE["title"]
        assert other.locator("article.initiative").get_attribute("lang") == "zh-Hans"
        assert other.locator(".text-origin").count() == 0
    finally:
        chinese_reader.close()
