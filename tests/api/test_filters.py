"""Filters and search on /api/v1/initiatives/: each filter, unknown values, ranking."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from initiatives import services
from initiatives.models import Initiative
from tests import factories

LIST_URL = "/api/v1/initiatives/"


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["slug"] for row in response.json()["results"]]


@pytest.fixture
def catalogue(db):
    """Published records that differ in every filterable respect."""
    return {
        "kenya": factories.make_initiative(
            state="published",
            title="Kenya incident response training",
            countries=["KE"],
            tags=["cert", "training"],
            kind="project",
            status="active",
        ),
        "france": factories.make_initiative(
            state="published",
            title="Franco-Chinese dialogue",
            key_task="major-power-cooperation",
            action_line=None,
            countries=["FR"],
            participations=[{"stakeholder": "itu", "role": "host"}],
            advocacies=["prosperity"],
            tags=["dialogue"],
            kind="dialogue",
            status="completed",
        ),
        "brazil": factories.make_initiative(
            state="published",
            title="Brazil and Germany data exchange",
            key_task="multilateral-mechanisms",
            action_line=None,
            countries=["BR", "DE"],
            tags=["cert"],
            advocacies=["inclusiveness"],
            kind="mechanism",
            status="planned",
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"key_task": "major-power-cooperation"}, {"france"}),
        ({"action_line": "south-south-projects"}, {"kenya"}),
        ({"kind": "mechanism"}, {"brazil"}),
        ({"status": "completed"}, {"france"}),
        ({"moderation_state": "published"}, {"kenya", "france", "brazil"}),
        ({"country": "KE"}, {"kenya"}),
        ({"country": ["fr", "DE"]}, {"france", "brazil"}),
        ({"region": "europe"}, {"france", "brazil"}),
        ({"region": "africa"}, {"kenya"}),
        ({"global_south": "true"}, {"kenya", "brazil"}),
        ({"global_south": "false"}, {"france"}),
        ({"stakeholder": "itu"}, {"france"}),
        ({"stakeholder": "undp"}, {"kenya", "brazil"}),
        ({"tag": "cert"}, {"kenya", "brazil"}),
        ({"tag": ["cert", "Training"]}, {"kenya"}),
        ({"advocacy": "prosperity"}, {"france"}),
        ({"advocacy": "security"}, {"kenya"}),
    ],
)
def test_each_filter(api, catalogue, query, expected):
    assert set(slugs(api.get(LIST_URL, query))) == {catalogue[name].slug for name in expected}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("key_task", "no-such-task"),
        ("action_line", "nope"),
        ("kind", "party"),
        ("status", "sleeping"),
        ("moderation_state", "limbo"),
        ("country", "ZZ"),
        ("region", "atlantis"),
        ("global_south", "perhaps"),
        ("stakeholder", "nobody"),
        ("tag", "never-used"),
        ("advocacy", "greed"),
        ("updated_since", "last tuesday"),
        ("ordering", "colour"),
        ("mode", "sideways"),
        ("cursor", "garbage"),
    ],
)
def test_unknown_values_are_a_400_naming_the_parameter(api, catalogue, parameter, value):
    response = api.get(LIST_URL, {parameter: value})
    assert response.status_code == 400
    assert parameter in response.json()
    assert response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["50%", "%s", "%(x)s", "100%-%d"])
def test_unknown_values_with_percent_signs_are_400(api, catalogue, value):
    for parameter in ("tag", "country", "key_task", "stakeholder", "kind"):
        response = api.get(LIST_URL, {parameter: value})
        assert response.status_code == 400, (parameter, value)
        assert parameter in response.json()


@pytest.mark.django_db
def test_moderation_state_filter_respects_visibility(api, client_for, curator):
    draft = factories.make_initiative()
    assert slugs(api.get(LIST_URL, {"moderation_state": "draft"})) == []
    assert slugs(client_for(curator).get(LIST_URL, {"moderation_state": "draft"})) == [draft.slug]


@pytest.mark.django_db
def test_updated_since(api, catalogue, curator):
    cutoff = timezone.now()
    services.initiative_edit(actor=curator, initiative=catalogue["france"], data={"title": "Touched"})
    assert slugs(api.get(LIST_URL, {"updated_since": cutoff.isoformat()})) == [catalogue["france"].slug]
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    assert slugs(api.get(LIST_URL, {"updated_since": future})) == []


@pytest.mark.django_db
def test_ordering(api, catalogue):
    titles = [row["title"] for row in api.get(LIST_URL, {"ordering": "title"}).json()["results"]]
    assert titles == sorted(titles)
    titles = [row["title"] for row in api.get(LIST_URL, {"ordering": "-title"}).json()["results"]]
    assert titles == sorted(titles, reverse=True)
    default = slugs(api.get(LIST_URL))
    assert default[0] == catalogue["brazil"].slug  # most recently updated first


@pytest.mark.django_db
def test_search_in_english(api, catalogue):
    assert slugs(api.get(LIST_URL, {"q": "dialogue"}))[0] == catalogue["france"].slug
    assert set(slugs(api.get(LIST_URL, {"q": "nothing-matches-this"}))) == set()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming and ranking are PostgreSQL's")
def test_search_matches_english_by_stem_and_puts_title_hits_first(api):
    in_summary = factories.make_initiative(
        state="published", title="Regional forum", summary="Exchanges on responding to incidents."
    )
    in_title = factories.make_initiative(
        state="published", title="Incident responders network", summary="A network."
    )
    factories.make_initiative(state="published", title="Unrelated", summary="Nothing of the kind.")
    assert slugs(api.get(LIST_URL, {"q": "responding incidents"})) == [in_title.slug, in_summary.slug]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="text search configurations are PostgreSQL's")
def test_search_finds_chinese_words_inside_phrases(api):
    community = factories.make_initiative(
        state="published",
        title="构建网络空间命运共同体论坛",
        summary="各方共商数字合作。",
        language="zh-hans",
    )
    in_body = factories.make_initiative(
        state="published",
        title="数字丝路项目",
        summary="智慧城市建设。",
        body="推动网络空间命运共同体理念落地。",
        language="zh-hans",
    )
    factories.make_initiative(
        state="published", title="网络安全应急演练", summary="应急响应。", language="zh-hans"
    )
    assert slugs(api.get(LIST_URL, {"q": "命运共同体"})) == [community.slug, in_body.slug]
    assert slugs(api.get(LIST_URL, {"q": "智慧城市"})) == [in_body.slug]
    assert slugs(api.get(LIST_URL, {"q": "共同 网络"})) == [community.slug, in_body.slug]
    assert slugs(api.get(LIST_URL, {"q": "城市智慧"})) == []


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="text search configurations are PostgreSQL's")
def test_search_uses_the_gin_indexes(db):
    from initiatives.selectors import initiative_search

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = initiative_search(Initiative.objects.all(), "网络 cooperation").explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "initiative_search_english" in plan or "initiative_search_bigrams" in plan


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["'", "a & b", "!!!", "(", "\\", "   ", "x:*"])
def test_search_syntax_characters_are_not_errors(api, catalogue, q):
    assert api.get(LIST_URL, {"q": q}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "parameter", ["q", "country", "tag", "key_task", "stakeholder", "ordering", "cursor"]
)
def test_nul_characters_are_a_400_not_a_500(api, catalogue, parameter):
    assert api.get(LIST_URL, {parameter: "a\x00b"}).status_code == 400
