"""/api/v1/me/notifications/ and /api/v1/me/notification-settings/: the caller's own only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives import services as records
from notifications import services, tasks
from notifications.choices import NotificationKind
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/notifications/"
SETTINGS_URL = "/api/v1/me/notification-settings/"


@pytest.fixture
def rejected(django_capture_on_commit_callbacks):
    """Reject a submitted record of `owner` with a reason; its notifications are made as the task would."""

    def reject(owner, reason="Name your sources."):
        draft = factories.make_initiative(owner=owner, state="submitted")
        with django_capture_on_commit_callbacks() as callbacks:
            records.initiative_reject(
                actor=factories.moderator(username=f"mod{draft.pk}"), initiative=draft, reason=reason
            )
        for callback in callbacks:
            if getattr(callback, "func", None) == tasks.notifications_for_event.delay:
                services.notifications_create(payload=callback.args[0])
        return draft

    return reject


def test_the_caller_reads_their_notifications_newest_first_in_their_language(client_for, rejected):
    owner = factories.contributor(preferred_language="zh-hans")
    first = rejected(owner, reason="缺少来源")
    second = rejected(owner, reason="请补充")
    rejected(factories.contributor())  # someone else's
    answer = client_for(owner).get(URL)
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    newest, oldest = body["results"]
    assert set(newest) == {"id", "kind", "actor", "initiative", "text", "url", "created_at", "read_at"}
    assert newest["initiative"] == second.slug and oldest["initiative"] == first.slug
    assert newest["kind"] == "submission_rejected"
    assert newest["actor"] == f"mod{second.pk}"
    assert newest["text"] == f"“{second.title}”被退回：请补充"
    assert newest["url"] == f"http://testserver/initiatives/{second.slug}/"
    assert newest["read_at"] is None


def test_reading_one_and_all_and_the_count_on_me(client_for, rejected):
    owner, other = factories.contributor(), factories.contributor()
    for _ in range(3):
        rejected(owner)
    rejected(other)
    client = client_for(owner)
    assert client.get("/api/v1/me/").json()["unread_notifications"] == 3
    ids = [row["id"] for row in client.get(URL).json()["results"]]
    assert client.post(f"{URL}{ids[0]}/read/").status_code == 204
    assert client.post(f"{URL}{ids[0]}/read/").status_code == 204  # again: still read, no error
    assert client.get("/api/v1/me/").json()["unread_notifications"] == 2
    assert client.get(URL).json()["results"][0]["read_at"] is not None
    theirs = client_for(other).get(URL).json()["results"][0]["id"]
    assert client.post(f"{URL}{theirs}/read/").status_code == 404
    assert client.post(f"{URL}999999/read/").status_code == 404
    assert client.post(f"{URL}read-all/").status_code == 204
    assert client.get("/api/v1/me/").json()["unread_notifications"] == 0
    assert client_for(other).get("/api/v1/me/").json()["unread_notifications"] == 1


def test_anonymous_callers_and_read_only_tokens(api, client_for, rejected):
    owner = factories.contributor()
    rejected(owner)
    assert api.get(URL).status_code == 401
    assert api.post(f"{URL}read-all/").status_code == 401
    assert api.get(SETTINGS_URL).status_code == 401
    reader = client_for(owner, write=False)
    assert reader.get(URL).status_code == 200
    assert reader.post(f"{URL}read-all/").status_code == 403
    assert reader.put(SETTINGS_URL, {"comment": "site"}, format="json").status_code == 403


def test_settings_read_and_change_per_kind(client_for):
    user = factories.contributor()
    client = client_for(user)
    current = client.get(SETTINGS_URL).json()
    assert set(current) == set(NotificationKind.values)
    assert current["submission_rejected"] == "email" and current["comment"] == "digest"
    changed = client.put(SETTINGS_URL, {"comment": "email", "mention": "site"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["comment"] == "email" and changed.json()["mention"] == "site"
    assert changed.json()["reply"] == "email"  # left out: unchanged
    assert client.get(SETTINGS_URL).json() == changed.json()


def test_settings_refuse_an_unknown_kind_or_channel_per_field(client_for):
    client = client_for(factories.contributor())
    answer = client.put(SETTINGS_URL, {"comment": "pigeon", "gossip": "email", "reply": 3}, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) >= {"comment", "gossip", "reply"}
    assert client.put(SETTINGS_URL, ["email"], format="json").status_code == 400
    assert client.get(SETTINGS_URL).json()["comment"] == "digest"  # nothing was changed


def test_the_list_costs_the_same_queries_however_many_notifications(client_for, rejected):
    owner = factories.contributor()
    rejected(owner)
    client = client_for(owner)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    queries()  # the token's first use is recorded once
    few = queries()
    for _ in range(4):
        rejected(owner)
    assert queries() == few


def test_the_schema_documents_the_operations(api):
    paths = api.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert "get" in paths[URL]
    assert "post" in paths[f"{URL}{{id}}/read/"]
    assert "post" in paths[f"{URL}read-all/"]
    settings_put = paths[SETTINGS_URL]["put"]
    schema = settings_put["requestBody"]["content"]["application/json"]["schema"]
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(NotificationKind.values)
