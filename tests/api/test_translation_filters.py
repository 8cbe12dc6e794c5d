"""The record language a reader wants, as a filter of the list and the counts: `translated`
for everyone, `needs_translation` for curators."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/initiatives/"
STATS_URL = "/api/v1/stats/initiatives/"

CHINESE = {"title": "中非数字丝路能力建设项目", "summary": "为非洲国家网络应急响应人员提供培训。"}
ENGLISH = {"title": "China-Africa capacity project", "summary": "Training for response staff."}


@pytest.fixture
def records(contributor, moderator):
    def make(title, **overrides):
        return factories.make_initiative(
            owner=contributor, state="published", moderator_user=moderator, title=title, **overrides
        )

    return {
        "english": make("English original"),
        "english translated": make(
            "English with Chinese", translations={"zh-hans": {**CHINESE, "status": "person"}}
        ),
        "english drafted": make(
            "English with a Chinese draft", translations={"zh-hans": {**CHINESE, "status": "pending"}}
        ),
        "chinese": make("中文原文", summary="中文摘要", language="zh-hans"),
        "chinese translated": make(
            "中文并有英文",
            summary="中文摘要",
            language="zh-hans",
            translations={"en": {**ENGLISH, "status": "person"}},
        ),
    }


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["slug"] for row in response.json()["results"]}


def of(records, *names) -> set[str]:
    return {records[name].slug for name in names}


def test_translated_lists_the_records_readable_in_a_language(api, records):
    english = slugs(api.get(LIST_URL, {"translated": "en"}))
    chinese = slugs(api.get(LIST_URL, {"translated": "zh-hans"}))

    assert english == of(records, "english", "english translated", "english drafted", "chinese translated")
    # A draft translation is not yet readable: only a person's counts.
    assert chinese == of(records, "english translated", "chinese", "chinese translated")


def test_the_counts_add_up_to_the_filtered_list(api, records):
    counts = api.get(STATS_URL, {"by": "key_task", "translated": "en"}).json()["results"]
    listed = api.get(LIST_URL, {"translated": "en"}).json()

    assert sum(row["count"] for row in counts) == listed["count"] == 4


def test_curators_find_the_records_that_wait_for_a_translation(client_for, curator, records):
    client = client_for(curator)

    into_chinese = slugs(client.get(LIST_URL, {"needs_translation": "zh-hans"}))
    into_english = slugs(client.get(LIST_URL, {"needs_translation": "en"}))
    counted = client.get(STATS_URL, {"by": "key_task", "needs_translation": "zh-hans"}).json()["results"]

    assert into_chinese == of(records, "english", "english drafted")
    assert into_english == of(records, "chinese")
    assert sum(row["count"] for row in counted) == 2


def test_others_are_told_the_needs_translation_filter_is_for_curators(api, client_for, contributor):
    for client in (api, client_for(contributor)):
        response = client.get(LIST_URL, {"needs_translation": "en"})
        assert response.status_code == 400
        assert "Only curators" in str(response.json())
    assert api.get(STATS_URL, {"by": "key_task", "needs_translation": "en"}).status_code == 400


def test_a_language_that_is_not_a_record_language_is_a_400(api, client_for, curator):
    refused = api.get(LIST_URL, {"translated": "fr"})
    assert refused.status_code == 400
    assert "translated" in str(refused.json())
    assert client_for(curator).get(LIST_URL, {"needs_translation": "de"}).status_code == 400
