"""/api/v1/me/follows/ takes an initiative as one more kind: listed with the topics, each with
an id DELETE takes, whatever its kind; one the caller may not see is not there to follow.
/api/v1/me/invitations/ holds the caller's own invitations, and the old address is gone."""

import pytest
from rest_framework.test import APIClient

from governance import services as governance_services
from initiatives import services
from initiatives.models import TopicFollow
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/follows/"


def _client(user, *, write=True) -> APIClient:
    client = APIClient()
    key = governance_services.api_token_create(user=user, name="t", write=write)[1]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_an_initiative_is_followed_listed_with_topics_and_unfollowed_by_id():
    record = factories.make_initiative(state="published", title="Pacific CERT exchange")
    user = factories.contributor()
    client = _client(user)
    topic = client.post(URL, {"kind": "country", "value": "KE"}, format="json")
    created = client.post(URL, {"kind": "initiative", "value": record.slug}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["kind"] == "initiative" and body["value"] == record.slug
    assert body["name"] == "Pacific CERT exchange"
    assert body["url"] == f"http://testserver{record.get_absolute_url()}"
    again = client.post(URL, {"kind": "initiative", "value": record.slug}, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert body["id"] != topic.json()["id"]

    listed = client.get(URL).json()["results"]
    assert [(row["kind"], row["value"]) for row in listed] == [("initiative", record.slug), ("country", "KE")]
    assert TopicFollow.objects.filter(user=user, initiative=record).count() == 1

    assert client.delete(f"{URL}{body['id']}/").status_code == 204
    assert client.delete(f"{URL}{topic.json()['id']}/").status_code == 204
    assert client.get(URL).json()["results"] == []
    assert not TopicFollow.objects.filter(user=user).exists()


def test_a_follow_made_on_the_web_is_listed_and_deleted_through_the_api(client):
    record = factories.make_initiative(state="published")
    user = factories.contributor()
    client.force_login(user)
    assert client.post(f"/initiatives/{record.slug}/follow/", {"action": "follow"}).status_code == 302
    api = _client(user)
    (row,) = api.get(URL).json()["results"]
    assert row["kind"] == "initiative" and row["value"] == record.slug
    assert api.delete(f"{URL}{row['id']}/").status_code == 204
    assert 'aria-pressed="true"' not in client.get(record.get_absolute_url()).content.decode()


def test_an_initiative_one_may_not_see_is_no_such_initiative():
    owner = factories.contributor()
    draft = factories.make_initiative(owner=owner, title="Secret draft")
    stranger = _client(factories.contributor())
    for value in (draft.slug, "no-such-record"):
        response = stranger.post(URL, {"kind": "initiative", "value": value}, format="json")
        assert response.status_code == 400
        assert response.json()["value"] == ["There is no such initiative to follow."]
    assert not TopicFollow.objects.exists()
    # Its owner may follow their own draft.
    assert (
        _client(owner).post(URL, {"kind": "initiative", "value": draft.slug}, format="json").status_code
        == 201
    )


def test_a_followed_record_no_longer_visible_is_listed_without_name_and_still_deleted():
    owner = factories.contributor()
    record = factories.make_initiative(owner=owner, state="published")
    user = factories.contributor()
    client = _client(user)
    follow_id = client.post(URL, {"kind": "initiative", "value": record.slug}, format="json").json()["id"]
    services.initiative_archive(actor=factories.curator(), initiative=record)
    (row,) = client.get(URL).json()["results"]
    assert row["id"] == follow_id and row["value"] == record.slug
    assert row["name"] is None and row["url"] is None
    assert client.delete(f"{URL}{follow_id}/").status_code == 204


def test_the_schema_names_every_kind_and_the_moved_invitations(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    kinds = schema["components"]["schemas"]["TopicFollowKindEnum"]["enum"]
    assert kinds == ["key_task", "action_line", "country", "stakeholder", "tag", "initiative"]
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/me/follows/"])
    assert "delete" in paths["/api/v1/me/follows/{id}/"]
    assert "204" in paths["/api/v1/me/follows/{id}/"]["delete"]["responses"]
    assert (
        paths["/api/v1/me/invitations/{id}/accept/"]["post"]["operationId"] == "me_invitations_accept_create"
    )
    assert (
        paths["/api/v1/me/invitations/{id}/decline/"]["post"]["operationId"]
        == "me_invitations_decline_create"
    )
    assert "/api/v1/invitations/" not in paths


def test_the_old_invitations_address_is_gone():
    owner, partner = factories.contributor(), factories.contributor()
    draft = factories.make_initiative(owner=owner)
    invitation = services.collaborator_invite(actor=owner, initiative=draft, identifier=partner.username)
    client = _client(partner)
    assert client.get("/api/v1/invitations/").status_code == 404
    assert client.post(f"/api/v1/invitations/{invitation.pk}/accept/").status_code == 404
    assert [row["id"] for row in client.get("/api/v1/me/invitations/").json()["results"]] == [invitation.pk]
    declined = client.post(f"/api/v1/me/invitations/{invitation.pk}/decline/")
    assert declined.status_code == 200 and declined.json()["state"] == "declined"


def test_a_withdrawn_invitation_is_not_found_through_the_api():
    owner, partner = factories.contributor(), factories.contributor()
    draft = factories.make_initiative(owner=owner)
    invitation = services.collaborator_invite(actor=owner, initiative=draft, identifier=partner.username)
    services.invitation_withdraw(actor=owner, invitation_id=invitation.pk)
    client = _client(partner)
    assert client.get("/api/v1/me/invitations/").json()["results"] == []
    assert client.post(f"/api/v1/me/invitations/{invitation.pk}/accept/").status_code == 404
    assert not draft.collaborators.exists()


def test_bad_ids_and_values_are_answered_not_500s():
    client = _client(factories.contributor())
    assert client.delete(f"{URL}{10**30}/").status_code == 404
    assert client.delete(f"{URL}abc/").status_code == 404
    assert client.post(f"/api/v1/me/invitations/{10**30}/accept/").status_code == 404
    long_value = client.post(URL, {"kind": "initiative", "value": "x" * 500}, format="json")
    assert long_value.status_code == 400 and "value" in long_value.json()
    empty = client.post(URL, {"kind": "initiative", "value": ""}, format="json")
    assert empty.status_code == 400 and "value" in empty.json()
