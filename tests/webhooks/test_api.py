"""/api/v1/webhooks/: administrators only, the secret taken but never given back, bad input a 400
with a message per field, and each webhook's deliveries with their attempts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from webhooks.models import Webhook

from .conftest import SECRET, register, send_all

pytestmark = pytest.mark.django_db

NEW = {
    "url": "https://receiver.example/concord",
    "events": ["published", "updated"],
    "secret": "a long and private secret",
}


def test_only_administrators_register_or_read_webhooks(client_for, administrator, contributor):
    for user in (contributor, factories.curator(), factories.moderator()):
        client = client_for(user)
        assert client.post("/api/v1/webhooks/", NEW, format="json").status_code == 403
        assert client.get("/api/v1/webhooks/").status_code == 403
    webhook = register(administrator, "https://receiver.example/hook")
    contributor_client = client_for(contributor)
    assert contributor_client.get(f"/api/v1/webhooks/{webhook.pk}/").status_code == 403
    assert (
        contributor_client.patch(
            f"/api/v1/webhooks/{webhook.pk}/", {"active": False}, format="json"
        ).status_code
        == 403
    )
    assert contributor_client.delete(f"/api/v1/webhooks/{webhook.pk}/").status_code == 403
    assert contributor_client.get(f"/api/v1/webhooks/{webhook.pk}/deliveries/").status_code == 403
    assert Webhook.objects.get().active is True
    assert Webhook.objects.count() == 1


def test_anonymous_callers_are_refused(api):
    assert api.get("/api/v1/webhooks/").status_code == 401
    assert api.post("/api/v1/webhooks/", NEW, format="json").status_code == 401


def test_a_read_only_token_registers_nothing(client_for, administrator):
    assert (
        client_for(administrator, write=False).post("/api/v1/webhooks/", NEW, format="json").status_code
        == 403
    )
    assert not Webhook.objects.exists()


def test_the_secret_is_taken_but_never_returned(client_for, administrator):
    client = client_for(administrator)
    created = client.post("/api/v1/webhooks/", {**NEW, "allow_private": True}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert "secret" not in body
    assert body["url"] == NEW["url"]
    assert body["events"] == ["published", "updated"]
    assert body["allow_private"] is True
    assert body["active"] is True
    assert body["created_by"] == administrator.username
    webhook = Webhook.objects.get()
    assert webhook.secret == NEW["secret"]
    answers = [
        client.get("/api/v1/webhooks/"),
        client.get(f"/api/v1/webhooks/{webhook.pk}/"),
        client.patch(f"/api/v1/webhooks/{webhook.pk}/", {"secret": "another private secret"}, format="json"),
        client.options("/api/v1/webhooks/"),
    ]
    for answer in answers:
        assert answer.status_code == 200
        assert NEW["secret"].encode() not in answer.content
        assert b"another private secret" not in answer.content
    assert "secret" not in answers[1].json()
    webhook.refresh_from_db()
    assert webhook.secret == "another private secret"


def test_bad_input_is_a_400_with_a_message_per_field(client_for, administrator):
    client = client_for(administrator)
    answer = client.post(
        "/api/v1/webhooks/", {"url": "not a url", "events": ["published", "exploded"]}, format="json"
    )
    assert answer.status_code == 400
    errors = answer.json()
    assert set(errors) >= {"url", "events", "secret"}
    assert "exploded" in str(errors["events"])
    assert errors["url"] == ["Enter a valid URL."]
    for wrong in (
        {**NEW, "events": []},
        {**NEW, "events": "published"},
        {**NEW, "url": "ftp://example.org/"},
    ):
        answer = client.post("/api/v1/webhooks/", wrong, format="json")
        assert answer.status_code == 400, wrong
    assert not Webhook.objects.exists()


def test_change_and_delete(client_for, administrator):
    client = client_for(administrator)
    webhook = register(administrator, "https://receiver.example/hook")
    answer = client.patch(
        f"/api/v1/webhooks/{webhook.pk}/", {"events": ["merged"], "active": False}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["events"] == ["merged"]
    assert answer.json()["active"] is False
    assert (
        client.patch(f"/api/v1/webhooks/{webhook.pk}/", {"events": ["nope"]}, format="json").status_code
        == 400
    )
    assert client.delete(f"/api/v1/webhooks/{webhook.pk}/").status_code == 204
    assert not Webhook.objects.exists()


def test_deliveries_list_every_attempt_newest_first(client_for, administrator, receiver):
    webhook = register(administrator, receiver.url, allow_private=True)
    receiver.answers = [500, 200]
    first = factories.make_initiative(state="published")
    send_all()
    second = factories.make_initiative(state="published")
    send_all()
    answer = client_for(administrator).get(f"/api/v1/webhooks/{webhook.pk}/deliveries/")
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [d["initiative"] for d in results] == [second.slug, first.slug]
    assert [d["state"] for d in results] == ["delivered", "delivered"]
    assert [a["status_code"] for a in results[1]["attempts"]] == [500, 200]
    assert results[1]["attempts"][0]["error"] == "The receiver answered 500."
    assert SECRET.encode() not in answer.content


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_take_the_same_queries_whatever_their_length(client_for, administrator, receiver):
    client = client_for(administrator)
    webhook = register(administrator, receiver.url, allow_private=True)
    receiver.answers = [500, 200]
    factories.make_initiative(state="published")
    send_all()
    client.get("/api/v1/")  # the token's first use is recorded once; not part of any list
    few = (
        _queries(client, "/api/v1/webhooks/"),
        _queries(client, f"/api/v1/webhooks/{webhook.pk}/deliveries/"),
    )
    for _ in range(2):
        register(administrator, receiver.url, allow_private=True)
    for _ in range(3):
        receiver.answers = [500, 200]
        factories.make_initiative(state="published")
    send_all()
    many = (
        _queries(client, "/api/v1/webhooks/"),
        _queries(client, f"/api/v1/webhooks/{webhook.pk}/deliveries/"),
    )
    assert many == few
