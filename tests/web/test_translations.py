"""A record in the reader's language on the site: the translation where there is one, the
original marked as such where there is none, both side by side, and the form that writes them."""

import re

import pytest
from django.urls import reverse

from initiatives import services
from initiatives.models import InitiativeTranslation
from tests import factories
from tests.web.test_workspace import form_data

pytestmark = pytest.mark.django_db

CHINESE = {
    "title": "中非数字丝路能力建设项目",
    "summary": "为非洲国家网络应急响应人员提供培训。",
    "body": "包括**研讨班**。",
}
ENGLISH = {
    "title": "China-Africa Digital Silk Road capacity project",
    "summary": "Training for emergency response staff in African countries.",
    "body": "Includes **workshops**.",
}


def _in_chinese(client):
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})


def _title(page: str) -> tuple[str, str]:
    """The lang attribute of the record's article and the text of its <h1>."""
    lang = re.search(r'<article class="initiative" lang="([^"]+)"', page).group(1)
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1).strip()
    return lang, heading


@pytest.fixture
def chinese_record():
    return factories.make_initiative(state="published", language="zh-hans", **CHINESE)


def test_an_english_reader_of_a_chinese_record_without_translation_sees_the_original_marked(
    client, chinese_record
):
    page = client.get(chinese_record.get_absolute_url()).content.decode()
    assert _title(page) == ("zh-Hans", CHINESE["title"])
    assert "Originally in Chinese" in page


def test_a_chinese_reader_of_an_english_record_is_told_it_is_originally_in_english(client):
    record = factories.make_initiative(state="published", title="Pacific cable dialogue", language="en")
    _in_chinese(client)
    page = client.get(record.get_absolute_url()).content.decode()
    assert _title(page) == ("en", "Pacific cable dialogue")
    assert "原文为英文" in page


def test_each_reader_sees_their_language_once_translated(client, chinese_record, curator):
    services.initiative_edit(actor=curator, initiative=chinese_record, data={"translations": {"en": ENGLISH}})
    page = client.get(chinese_record.get_absolute_url()).content.decode()
    assert _title(page) == ("en", ENGLISH["title"])
    assert "Translated from Chinese by a person" in page
    assert "<strong>workshops</strong>" in page
    _in_chinese(client)
    page = client.get(chinese_record.get_absolute_url()).content.decode()
    assert _title(page) == ("zh-Hans", CHINESE["title"])
    assert "原文为" not in page


def test_both_languages_side_by_side(client, chinese_record, curator):
    services.initiative_edit(actor=curator, initiative=chinese_record, data={"translations": {"en": ENGLISH}})
    page = client.get(chinese_record.get_absolute_url() + "?languages=both").content.decode()
    english = page.index('<div lang="en">')
    chinese = page.index('<div lang="zh-Hans">')
    assert ENGLISH["title"] in page[english:] and CHINESE["title"] in page[chinese:]
    assert "<strong>研讨班</strong>" in page
    # Without a translation, its column says so.
    other = factories.make_initiative(state="published", language="en")
    page = client.get(other.get_absolute_url() + "?languages=both").content.decode()
    assert "No translation into this language yet." in page


def test_cards_show_the_readers_language(client, chinese_record, curator):
    services.initiative_edit(actor=curator, initiative=chinese_record, data={"translations": {"en": ENGLISH}})
    untranslated = factories.make_initiative(state="published", language="zh-hans", title="未翻译的对话")
    page = client.get("/initiatives/").content.decode()
    assert ENGLISH["title"] in page and CHINESE["title"] not in page
    assert "未翻译的对话" in page and "Originally in Chinese" in page
    _in_chinese(client)
    page = client.get("/initiatives/").content.decode()
    assert CHINESE["title"] in page
    assert untranslated.title in page


def test_the_form_writes_and_shows_the_translation(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("initiatives:create"),
        form_data(
            translation_title="数字丝路培训中心",
            translation_summary="为伙伴国工程师开设网络安全课程。",
            translation_body="",
            translation_status="person",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    translation = InitiativeTranslation.objects.get()
    assert (translation.language, translation.title, translation.status) == (
        "zh-hans",
        "数字丝路培训中心",
        "person",
    )
    record = translation.initiative
    page = client.get(reverse("initiatives:edit", args=[record.slug]))
    assert page.context["form"].initial["translation_title"] == "数字丝路培训中心"
    # A summary without a title is refused next to the translation's fields; nothing changes.
    response = client.post(
        reverse("initiatives:edit", args=[record.slug]),
        form_data(version=str(record.version), translation_title="", translation_summary="只有摘要"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["translation_title"]
    assert InitiativeTranslation.objects.get().title == "数字丝路培训中心"
