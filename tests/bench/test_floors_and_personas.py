"""The bench's floors answer what the API answers, and its signed-in callers are who they claim.

The floors are only fair if they serve the same page the API serves; the signed-in rows only
measure a signed-in read if the token and the session really sign in.
"""

import json

import pytest
from django.conf import settings
from django.test import RequestFactory

from bench import floor_urls, personas
from tests import factories

pytestmark = pytest.mark.django_db


def _floor(view, **params) -> dict:
    return json.loads(view(RequestFactory().get("/", params)).content)


def test_the_list_floor_serves_the_apis_first_page_with_its_exact_count(client):
    records = [factories.make_initiative(state="published") for _ in range(3)]
    factories.make_initiative(state="draft")

    floor = _floor(floor_urls.floor_list)
    api = client.get("/api/v1/initiatives/?page_size=50").json()

    assert floor["count"] == api["count"] == 3
    assert [r["slug"] for r in floor["results"]] == [r["slug"] for r in api["results"]]
    assert {r["slug"] for r in floor["results"]} == {r.slug for r in records}


@pytest.mark.parametrize(
    ("term", "matching", "other"),
    [
        ("partners", "Training with regional partners.", "Training national CERT staff."),
        ("合作", "区域网络安全合作项目。", "国家应急响应培训。"),
    ],
)
def test_the_search_floor_serves_the_apis_search_page_with_its_exact_count(client, term, matching, other):
    found = [factories.make_initiative(state="published", summary=matching) for _ in range(2)]
    titled = factories.make_initiative(state="published", title=f"Cyber {term} initiative", summary=other)
    factories.make_initiative(state="published", summary=other)
    factories.make_initiative(state="draft", summary=matching)

    floor = _floor(floor_urls.floor_search, q=term)
    api = client.get("/api/v1/initiatives/", {"q": term, "page_size": 50}).json()

    assert floor["count"] == 3
    assert [r["slug"] for r in floor["results"]] == [r["slug"] for r in api["results"]]
    assert floor["results"][0]["slug"] == titled.slug
    assert {r["slug"] for r in floor["results"]} == {titled.slug, *(r.slug for r in found)}
    uncounted = _floor(floor_urls.floor_search, q=term, count="false")
    assert uncounted["count"] is None
    assert uncounted["results"] == floor["results"]


def test_the_signed_in_callers_see_their_own_drafts_by_token_and_by_session(client):
    published = factories.make_initiative(state="published")
    contributor = personas._account(personas.CONTRIBUTOR)
    partner = personas._account(personas.PARTNER)
    admin = personas._account(personas.ADMIN, is_superuser=True, is_staff=True)

    made = personas.ensure_records(contributor, partner, admin)
    again = personas.ensure_records(contributor, partner, admin)

    assert made == again == {"owned": 3, "collaborating": 3}
    token = personas.fresh_token(contributor)
    by_token = client.get("/api/v1/initiatives/?page_size=50", HTTP_AUTHORIZATION=f"Token {token}").json()
    states = [r["moderation_state"] for r in by_token["results"]]
    assert states.count("draft") == 5  # three of their own, two of a partner's they work on
    assert published.slug in {r["slug"] for r in by_token["results"]}

    client.cookies[settings.SESSION_COOKIE_NAME] = personas.fresh_session(contributor)
    page = client.get("/initiatives/?moderation_state=draft")
    assert page.status_code == 200
    assert page.wsgi_request.user == contributor

    client.cookies[settings.SESSION_COOKIE_NAME] = personas.fresh_session(admin)
    assert client.get("/admin/initiatives/moderationqueueitem/").status_code == 200


def test_a_new_token_for_each_run_replaces_the_last():
    contributor = personas._account(personas.CONTRIBUTOR)
    first = personas.fresh_token(contributor)
    second = personas.fresh_token(contributor)

    assert first != second
    assert contributor.api_tokens.count() == 1
