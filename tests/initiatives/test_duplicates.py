"""Likely duplicates, by title and summary, for the submitter and the moderator."""

from initiatives import services
from initiatives.models import Initiative
from initiatives.selectors import initiative_similar
from tests import factories

SMART_CITY = "Building smart city platforms with shared sensor data and e-government services."


def titles(records) -> list[str]:
    return [record.title for record in records]


def test_a_near_duplicate_is_suggested_and_an_unrelated_record_is_not(contributor):
    existing = factories.make_initiative(
        state="published", title="Smart city cooperation between Egypt and China", summary=SMART_CITY
    )
    factories.make_initiative(
        state="published",
        title="UNESCO media literacy fellowship",
        summary="Fellowships for journalists on misinformation and media literacy.",
    )
    new = factories.make_initiative(
        owner=contributor, title="Smart city cooperation between China and Egypt", summary=SMART_CITY
    )

    similar = initiative_similar(new)

    assert titles(similar) == [existing.title]
    assert new not in similar


def test_the_closest_comes_first(contributor):
    close = factories.make_initiative(
        state="published",
        title="China-Africa digital agriculture pilot",
        summary="Digital agriculture pilots in two provinces.",
    )
    closer = factories.make_initiative(
        state="published",
        title="China-Africa digital agriculture pilot projects",
        summary="Digital agriculture pilots.",
    )
    new = factories.make_initiative(
        owner=contributor,
        title="China-Africa digital agriculture pilot projects",
        summary="Digital agriculture pilots.",
    )
    assert titles(initiative_similar(new))[:2] == [closer.title, close.title]


def test_chinese_titles_find_their_duplicates(contributor):
    existing = factories.make_initiative(
        state="published",
        title="中国—东盟网络安全交流培训中心",
        summary="为东盟国家培训网络安全应急响应人员。",
        language="zh-hans",
    )
    new = factories.make_initiative(
        owner=contributor,
        title="中国东盟网络安全交流培训中心项目",
        summary="为东盟国家培训网络安全应急响应人员。",
        language="zh-hans",
    )
    assert titles(initiative_similar(new)) == [existing.title]


def test_merged_records_are_no_longer_suggested(contributor, curator):
    first = factories.make_initiative(
        state="published", title="Open data portal for Nairobi", summary=SMART_CITY
    )
    second = factories.make_initiative(
        state="published", title="Open data portal for Nairobi county", summary=SMART_CITY
    )
    services.initiative_merge(actor=curator, source=second, target=first)

    new = factories.make_initiative(
        owner=contributor, title="Open data portal for Nairobi", summary=SMART_CITY
    )

    assert titles(initiative_similar(new)) == [first.title]


def test_suggestions_respect_what_the_submitter_may_see(contributor):
    stranger_draft = factories.make_initiative(
        title="E-commerce training for rural Kenya", summary=SMART_CITY
    )
    new = factories.make_initiative(
        owner=contributor, title="E-commerce training for rural Kenya", summary=SMART_CITY
    )

    assert titles(initiative_similar(new)) == [stranger_draft.title]
    assert initiative_similar(new, queryset=Initiative.objects.visible_to(contributor)) == []
