"""/api/v1/me/follows/: the caller's follows of topics."""

import pytest
from rest_framework.test import APIClient

from governance import services as governance_services
from initiatives.models import TopicFollow
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/follows/"


def _client(user, *, write=True) -> APIClient:
    client = APIClient()
    key = governance_services.api_token_create(user=user, name="t", write=write)[1]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_caller_follows_lists_and_unfollows_topics():
    factories.make_initiative(state="published", tags=["capacity building"])
    user = factories.contributor()
    client = _client(user)

    created = client.post(URL, {"kind": "tag", "value": "capacity building"}, format="json")
    assert created.status_code == 201
    assert created.json()["kind"] == "tag" and created.json()["value"] == "capacity-building"
    assert created.json()["name"] == "capacity building"
    assert created.json()["url"] == "http://testserver/tags/capacity-building/"
    again = client.post(URL, {"kind": "tag", "value": "capacity-building"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    assert client.post(URL, {"kind": "country", "value": "ke"}, format="json").status_code == 201

    listed = client.get(URL).json()
    assert [(row["kind"], row["value"]) for row in listed["results"]] == [
        ("country", "KE"),
        ("tag", "capacity-building"),
    ]
    # Someone else sees none of them, and cannot remove them.
    other = _client(factories.contributor())
    assert other.get(URL).json()["results"] == []
    assert other.delete(f"{URL}{created.json()['id']}/").status_code == 404

    assert client.delete(f"{URL}{created.json()['id']}/").status_code == 204
    assert list(TopicFollow.objects.filter(user=user).values_list("kind", flat=True)) == ["country"]


def test_bad_follows_are_400s_per_field():
    client = _client(factories.contributor())
    wrong_kind = client.post(URL, {"kind": "planet", "value": "mars"}, format="json")
    assert wrong_kind.status_code == 400 and "kind" in wrong_kind.json()
    unknown = client.post(URL, {"kind": "key_task", "value": "no-such-task"}, format="json")
    assert unknown.status_code == 400 and "value" in unknown.json()
    missing = client.post(URL, {"kind": "country"}, format="json")
    assert missing.status_code == 400 and "value" in missing.json()
    assert not TopicFollow.objects.exists()


def test_anonymous_callers_and_read_only_tokens_change_nothing():
    anonymous = APIClient()
    assert anonymous.get(URL).status_code in (401, 403)
    assert anonymous.post(URL, {"kind": "country", "value": "KE"}, format="json").status_code in (401, 403)
    user = factories.contributor()
    reader = _client(user, write=False)
    assert reader.get(URL).status_code == 200
    assert reader.post(URL, {"kind": "country", "value": "KE"}, format="json").status_code == 403
    follow = TopicFollow.objects.create(user=user, kind="country", value="KE")
    assert reader.delete(f"{URL}{follow.pk}/").status_code == 403
    assert TopicFollow.objects.filter(pk=follow.pk).exists()


def test_the_list_reads_topics_once_per_kind_not_once_per_follow():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = factories.contributor()
    client = _client(user)
    client.post(URL, {"kind": "country", "value": "KE"}, format="json")
    client.post(URL, {"kind": "key_task", "value": "global-south"}, format="json")
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(URL).json()["results"]) == 2
    for code in ("BR", "CN", "FR", "DE"):
        client.post(URL, {"kind": "country", "value": code}, format="json")
    with CaptureQueriesContext(connection) as more:
        rows = client.get(URL).json()["results"]
    assert len(rows) == 6 and all(row["name"] and row["url"] for row in rows)
    assert len(more) == len(few)
