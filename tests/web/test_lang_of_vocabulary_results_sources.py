"""Texts that people write for the results page, a tag's page and a record's sources carry
their own language, whatever the interface's: browsers and screen readers read a Chinese
synonym on an English page as Chinese, and an English result title on a Chinese page as
English."""

import pytest
from django.conf import settings
from taggit.models import Tag

from initiatives import services
from tests import factories
from tests.web.test_text_language import _element_holding

pytestmark = pytest.mark.django_db

RESULTS = [{"title": "National CERTs trained", "indicators": [{"name": "Staff trained", "unit": "people"}]}]


def test_the_results_page_marks_titles_and_names_with_the_records_language(client, contributor):
    record = factories.make_initiative(owner=contributor, state="published", kind="project", results=RESULTS)
    client.force_login(contributor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    page = client.get(f"/initiatives/{record.slug}/results/").content.decode()

    assert '<html lang="zh-Hans"' in page
    assert _element_holding(page, "National CERTs trained") == "en"
    assert _element_holding(page, "Staff trained") == "en"
    assert _element_holding(page, "(people)") == "en"


def test_a_tags_synonyms_and_name_carry_their_own_language(client):
    factories.make_initiative(state="published", tags=["开源"])
    tag = Tag.objects.get(name="开源")
    services.tag_labels_set(
        actor=factories.curator(),
        tag=tag,
        label_en="Open source",
        label_zh="开源",
        synonyms=["开放源代码", "OSS"],
    )

    page = client.get(f"/tags/{tag.slug}/").content.decode()

    assert '<html lang="en"' in page
    assert '<span lang="zh-Hans">开放源代码</span>' in page
    assert '<span lang="en">OSS</span>' in page
    assert '<h1>Tag: <span lang="zh-Hans">开源</span></h1>' in page


def test_a_source_without_a_language_is_marked_by_its_title(client):
    record = factories.make_initiative(
        state="published",
        links=[
            {
                "url": "https://www.caict.ac.cn/report",
                "title": "全球数字治理白皮书",
                "publisher": "中国信通院",
            }
        ],
    )

    page = client.get(record.get_absolute_url()).content.decode()

    assert 'rel="nofollow noopener noreferrer" lang="zh-Hans">全球数字治理白皮书</a>' in page
    assert '<span class="source__publisher" lang="zh-Hans">中国信通院</span>' in page


def test_the_tags_page_marks_each_name_with_its_language(client):
    factories.make_initiative(state="published", tags=["开源", "training"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    page = client.get("/tags/").content.decode()

    assert '<span lang="en">training</span>' in page
    assert '<span lang="zh-Hans">开源</span>' in page


def test_an_indicator_named_in_a_sentence_of_the_interface_keeps_its_language(client, contributor):
    record = factories.make_initiative(owner=contributor, state="published", kind="project", results=RESULTS)
    indicator = record.results.get().indicators.get()
    services.update_create(
        actor=factories.curator(), initiative=record, data={"title": "第二期结业", "indicator": indicator}
    )
    client.force_login(contributor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    page = client.get(record.get_absolute_url()).content.decode()
    results_page = client.get(f"/initiatives/{record.slug}/results/").content.decode()

    named = '“<span lang="en">Staff trained</span>”'
    assert f"报告{named}的进展" in page  # the note that reports on it
    assert f"{named}的各期数值" in results_page  # the caption of its periods
