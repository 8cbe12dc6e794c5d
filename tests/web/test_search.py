"""Full-text search from the browse page, in English and Chinese."""

import pytest
from django.db import connection

from tests import factories

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming, bigram matching and ranking are PostgreSQL features"
)


def _titles(client, q: str) -> list[str]:
    response = client.get("/initiatives/", {"q": q})
    assert response.status_code == 200
    return [initiative.title for initiative in response.context["page"]]


@postgresql_only
def test_an_english_query_matches_stemmed_forms(client):
    factories.make_initiative(
        state="published",
        title="Regional cooperation forum",
        summary="Negotiating shared norms for networks.",
    )
    factories.make_initiative(state="published", title="Rural broadband", summary="Fibre to villages.")
    assert _titles(client, "negotiations") == ["Regional cooperation forum"]
    assert _titles(client, "network") == ["Regional cooperation forum"]


@postgresql_only
def test_a_two_character_chinese_word_matches_inside_an_unspaced_title(client):
    factories.make_initiative(
        state="published",
        title="中国东盟网络安全应急响应合作机制",
        summary="年度联合演练。",
        language="zh-hans",
    )
    factories.make_initiative(
        state="published", title="数字丝路人才培训", summary="培训工程师。", language="zh-hans"
    )
    assert _titles(client, "应急") == ["中国东盟网络安全应急响应合作机制"]
    assert _titles(client, "丝路") == ["数字丝路人才培训"]
    assert _titles(client, "演练") == ["中国东盟网络安全应急响应合作机制"]  # in the summary


@postgresql_only
def test_title_matches_rank_first(client):
    factories.make_initiative(
        state="published",
        title="Digital economy partnership",
        summary="Cooperation on cybersecurity of payments, cybersecurity audits and cybersecurity law.",
    )
    factories.make_initiative(state="published", title="Cybersecurity capacity centre", summary="Training.")
    assert _titles(client, "cybersecurity") == [
        "Cybersecurity capacity centre",
        "Digital economy partnership",
    ]


def test_search_never_shows_unpublished_records_and_keeps_q_in_the_url(client):
    factories.make_initiative(state="published", title="Open CERT network", summary="Incident response.")
    factories.make_initiative(title="Secret CERT draft", summary="Incident response.")
    response = client.get("/initiatives/", {"q": "CERT"})
    assert [i.title for i in response.context["page"]] == ["Open CERT network"]
    assert 'value="CERT"' in response.content.decode()


def test_a_query_of_only_punctuation_is_not_an_error(client):
    factories.make_initiative(state="published")
    assert client.get("/initiatives/", {"q": "&|!():*"}).status_code == 200
