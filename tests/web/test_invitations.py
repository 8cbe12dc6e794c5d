"""Invitations to collaborate on the site: the invitee accepts or declines in their workspace,
nobody joins without accepting, and the owner removes collaborators from the record's page."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from initiatives import services, tasks
from initiatives.models import CollaborationInvitation, InitiativeEvent
from tests import factories
from tests.web.test_workspace import form_data


@pytest.fixture
def draft(db, contributor):
    return factories.make_initiative(owner=contributor, title="Draft that needs a partner")


@contextmanager
def _mail_sent(capture):
    """Run what the request enqueued after commit, as a worker would, and collect the mail."""
    mail.outbox.clear()
    with (
        mock.patch.object(tasks.collaborator_invitation_notify, "delay") as notify,
        mock.patch.object(tasks.invitation_decision_send, "delay") as decided,
    ):
        with capture(execute=True):
            yield
    for call in notify.call_args_list:
        tasks.collaborator_invitation_notify(*call.args)
    for call in decided.call_args_list:
        tasks.invitation_decision_send(*call.args)


def test_invited_by_username_the_invitee_accepts_in_the_workspace_and_edits(
    client, contributor, draft, django_capture_on_commit_callbacks
):
    partner = factories.contributor(email="partner@example.org")
    client.force_login(contributor)
    with _mail_sent(django_capture_on_commit_callbacks):
        response = client.post(
            reverse("initiatives:invite", args=[draft.slug]), {"identifier": partner.username}
        )
    assert response.status_code == 302
    assert not draft.collaborators.exists()
    (invited,) = mail.outbox
    assert invited.to == ["partner@example.org"] and draft.title in invited.body

    client.force_login(partner)
    edit_url = reverse("initiatives:edit", args=[draft.slug])
    assert client.get(edit_url).status_code in (403, 404)
    workspace = client.get(reverse("initiatives:workspace")).content.decode()
    assert "Draft that needs a partner" in workspace and contributor.username in workspace
    invitation = CollaborationInvitation.objects.get(invitee=partner)
    accept = reverse("initiatives:invitation_answer", args=[invitation.pk, "accept"])
    assert f'action="{accept}"' in workspace

    with _mail_sent(django_capture_on_commit_callbacks):
        joined = client.post(accept)
    assert joined.status_code == 302 and joined["Location"] == draft.get_absolute_url()
    assert list(draft.collaborators.all()) == [partner]
    (told,) = mail.outbox
    assert told.to == [contributor.email] and "accepted" in told.subject
    invitation.refresh_from_db()
    assert invitation.state == "accepted" and invitation.decided_at is not None
    assert accept not in client.get(reverse("initiatives:workspace")).content.decode()
    assert client.get(edit_url).status_code == 200


def test_declining_leaves_the_record_alone_and_tells_the_inviter(
    client, contributor, draft, django_capture_on_commit_callbacks
):
    partner = factories.contributor(preferred_language="zh-hans")
    contributor.preferred_language = "en"
    contributor.save(update_fields=["preferred_language"])
    invitation = services.collaborator_invite(
        actor=contributor, initiative=draft, identifier=partner.username
    )
    client.force_login(partner)
    with _mail_sent(django_capture_on_commit_callbacks):
        response = client.post(reverse("initiatives:invitation_answer", args=[invitation.pk, "decline"]))
    assert response.status_code == 302
    assert not draft.collaborators.exists()
    (told,) = mail.outbox
    assert told.to == [contributor.email]
    assert told.subject == f"{partner.username} declined your invitation to “{draft.title}”"
    assert InitiativeEvent.objects.filter(
        initiative=draft, actor=partner, reason__contains=contributor.username
    ).exists()
    # Answered once; a second answer finds nothing open.
    again = client.post(reverse("initiatives:invitation_answer", args=[invitation.pk, "accept"]))
    assert again.status_code == 404
    assert not draft.collaborators.exists()


def test_nobody_answers_someone_elses_invitation(client, contributor, draft):
    partner, third = factories.contributor(), factories.contributor()
    invitation = services.collaborator_invite(
        actor=contributor, initiative=draft, identifier=partner.username
    )
    client.force_login(third)
    for answer in ("accept", "decline"):
        response = client.post(reverse("initiatives:invitation_answer", args=[invitation.pk, answer]))
        assert response.status_code == 404
    assert not draft.collaborators.exists()
    invitation.refresh_from_db()
    assert invitation.state == "open"
    assert (
        f"/invitations/{invitation.pk}/" not in client.get(reverse("initiatives:workspace")).content.decode()
    )


def test_the_form_no_longer_sets_collaborators(client, contributor, draft):
    outsider = factories.contributor()
    client.force_login(contributor)
    page = client.get(reverse("initiatives:edit", args=[draft.slug]))
    assert "collaborators" not in page.context["form"].fields
    response = client.post(
        reverse("initiatives:edit", args=[draft.slug]),
        form_data(version=str(draft.version), title="Renamed", collaborators=outsider.username),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Renamed" and not draft.collaborators.exists()


def test_the_owner_removes_a_collaborator_from_the_record_page(client, contributor):
    partner = factories.contributor()
    draft = factories.make_initiative(owner=contributor, partners=[partner])
    remove = reverse("initiatives:collaborator_remove", args=[draft.slug, partner.username])

    # The collaborator sees the team but no remove button, and may not remove.
    client.force_login(partner)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert contributor.username in page and partner.username in page and remove not in page
    assert client.post(remove).status_code == 403
    assert list(draft.collaborators.all()) == [partner]

    client.force_login(contributor)
    assert remove in client.get(draft.get_absolute_url()).content.decode()
    version = draft.version
    response = client.post(remove)
    assert response.status_code == 302
    assert not draft.collaborators.exists()
    draft.refresh_from_db()
    assert draft.version == version + 1
    assert partner.username in draft.revisions.first().change_message
    client.force_login(partner)
    assert client.get(reverse("initiatives:edit", args=[draft.slug])).status_code in (403, 404)


def test_a_curator_removes_a_collaborator(client, contributor, curator):
    partner = factories.contributor()
    draft = factories.make_initiative(owner=contributor, partners=[partner])
    client.force_login(curator)
    response = client.post(reverse("initiatives:collaborator_remove", args=[draft.slug, partner.username]))
    assert response.status_code == 302
    assert not draft.collaborators.exists()
