"""Invitations to collaborate through the API: invite by username, the invitee lists and
answers their own, and `collaborators` can no longer be written."""

from unittest import mock

import pytest
from django.core import mail

from initiatives import tasks
from initiatives.models import CollaborationInvitation
from tests import factories


@pytest.fixture
def draft(db, contributor):
    return factories.make_initiative(owner=contributor, title="Shared draft")


def _invite(client, draft, username):
    return client.post(
        f"/api/v1/initiatives/{draft.slug}/invitations/", {"username": username}, format="json"
    )


def test_invite_list_accept_and_edit(client_for, contributor, draft, django_capture_on_commit_callbacks):
    partner = factories.contributor(email="partner@example.org")
    with mock.patch.object(tasks.collaborator_invitation_notify, "delay") as notify:
        with django_capture_on_commit_callbacks(execute=True):
            response = _invite(client_for(contributor), draft, partner.username)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["initiative"] == draft.slug and body["invitee"] == partner.username
    assert body["invited_by"] == contributor.username and body["state"] == "open"
    assert not draft.collaborators.exists()
    mail.outbox.clear()
    tasks.collaborator_invitation_notify(*notify.call_args.args)
    (message,) = mail.outbox
    assert message.to == ["partner@example.org"]

    as_partner = client_for(partner)
    assert as_partner.patch(
        f"/api/v1/initiatives/{draft.slug}/", {"title": "Mine"}, format="json"
    ).status_code in (
        403,
        404,
    )
    mine = as_partner.get("/api/v1/me/invitations/").json()
    assert [row["id"] for row in mine["results"]] == [body["id"]]
    assert mine["results"][0]["title"] == "Shared draft"
    accepted = as_partner.post(f"/api/v1/me/invitations/{body['id']}/accept/")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert list(draft.collaborators.all()) == [partner]
    assert as_partner.get("/api/v1/me/invitations/").json()["results"] == []
    edited = as_partner.patch(f"/api/v1/initiatives/{draft.slug}/", {"title": "Ours"}, format="json")
    assert edited.status_code == 200 and edited.json()["title"] == "Ours"
    assert edited.json()["collaborators"] == [partner.username]


def test_decline_tells_the_inviter(client_for, contributor, draft, django_capture_on_commit_callbacks):
    partner = factories.contributor()
    invitation_id = _invite(client_for(contributor), draft, partner.username).json()["id"]
    with mock.patch.object(tasks.invitation_decision_send, "delay") as decided:
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(partner).post(f"/api/v1/me/invitations/{invitation_id}/decline/")
    assert response.status_code == 200 and response.json()["state"] == "declined"
    assert not draft.collaborators.exists()
    mail.outbox.clear()
    tasks.invitation_decision_send(*decided.call_args.args)
    (message,) = mail.outbox
    assert message.to == [contributor.email] and "declined" in message.subject


def test_a_third_party_cannot_answer_or_see_an_invitation(client_for, contributor, draft):
    partner, third = factories.contributor(), factories.contributor()
    invitation_id = _invite(client_for(contributor), draft, partner.username).json()["id"]
    as_third = client_for(third)
    assert as_third.get("/api/v1/me/invitations/").json()["results"] == []
    for answer in ("accept", "decline"):
        assert as_third.post(f"/api/v1/me/invitations/{invitation_id}/{answer}/").status_code == 404
    assert not draft.collaborators.exists()
    assert CollaborationInvitation.objects.get(pk=invitation_id).state == "open"


def test_inviting_needs_the_right_to_edit_and_a_known_username(client_for, api, contributor, draft):
    partner = factories.contributor()
    assert _invite(client_for(factories.contributor()), draft, partner.username).status_code in (403, 404)
    assert _invite(api, draft, partner.username).status_code in (401, 403)
    unknown = _invite(client_for(contributor), draft, "nobody-by-that-name")
    assert unknown.status_code == 400 and "username" in unknown.json()
    address = _invite(client_for(contributor), draft, partner.email)
    assert address.status_code == 400 and "username" in address.json()
    assert not CollaborationInvitation.objects.exists()
    first = _invite(client_for(contributor), draft, partner.username).json()
    # Inviting again answers the open invitation; there is never a second one.
    assert _invite(client_for(contributor), draft, partner.username).json()["id"] == first["id"]
    assert CollaborationInvitation.objects.count() == 1


def test_collaborators_is_read_only(api, client_for, contributor, draft):
    outsider = factories.contributor()
    owner = client_for(contributor)
    response = owner.patch(
        f"/api/v1/initiatives/{draft.slug}/",
        {"title": "Renamed", "collaborators": [outsider.username]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed" and response.json()["collaborators"] == []
    assert not draft.collaborators.exists()
    schema = api.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    assert "collaborators" not in components["InitiativeRequest"]["properties"]
    assert components["Initiative"]["properties"]["collaborators"]["readOnly"] is True
    paths = schema["paths"]
    assert "post" in paths["/api/v1/initiatives/{slug}/invitations/"]
    assert "get" in paths["/api/v1/me/invitations/"]
    assert "post" in paths["/api/v1/me/invitations/{id}/accept/"]
    assert "delete" in paths["/api/v1/initiatives/{slug}/collaborators/{username}/"]


def test_the_owner_removes_a_collaborator(client_for, contributor):
    partner = factories.contributor()
    draft = factories.make_initiative(owner=contributor, partners=[partner])
    url = f"/api/v1/initiatives/{draft.slug}/collaborators/{partner.username}/"
    assert client_for(partner).delete(url).status_code == 403
    assert client_for(contributor).delete(url).status_code == 204
    assert not draft.collaborators.exists()
    assert client_for(contributor).delete(url).status_code == 404


def test_a_read_only_token_neither_invites_nor_answers(client_for, contributor, draft):
    partner = factories.contributor()
    assert _invite(client_for(contributor, write=False), draft, partner.username).status_code == 403
    invitation_id = _invite(client_for(contributor), draft, partner.username).json()["id"]
    reader = client_for(partner, write=False)
    assert [row["id"] for row in reader.get("/api/v1/me/invitations/").json()["results"]] == [invitation_id]
    assert reader.post(f"/api/v1/me/invitations/{invitation_id}/accept/").status_code == 403
    assert not draft.collaborators.exists()
