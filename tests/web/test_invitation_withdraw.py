"""An owner sees the invitations waiting on their record's page and withdraws one: the invitee
can no longer accept it, from the workspace, the API or the e-mailed link. Administrators
read the invitations and the follows in the admin."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from initiatives import services
from initiatives.invitations import collaborator_invitation_token
from initiatives.models import CollaborationInvitation, InitiativeEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(contributor):
    return factories.make_initiative(owner=contributor, title="Draft with a guest")


@pytest.fixture
def partner():
    return factories.contributor(username="guest")


@pytest.fixture
def invitation(contributor, draft, partner):
    return services.collaborator_invite(actor=contributor, initiative=draft, identifier=partner.username)


def test_the_service_withdraws_and_the_invitee_can_no_longer_accept(contributor, partner, invitation):
    withdrawn = services.invitation_withdraw(actor=contributor, invitation_id=invitation.pk)
    assert withdrawn.state == "withdrawn" and withdrawn.decided_at is not None
    assert InitiativeEvent.objects.filter(
        initiative=invitation.initiative, actor=contributor, reason__contains="guest"
    ).exists()
    with pytest.raises(CollaborationInvitation.DoesNotExist):
        services.invitation_accept(actor=partner, invitation_id=invitation.pk)
    with pytest.raises(CollaborationInvitation.DoesNotExist):
        services.invitation_withdraw(actor=contributor, invitation_id=invitation.pk)
    assert not invitation.initiative.collaborators.exists()


def test_only_the_sender_or_whoever_removes_collaborators_withdraws(contributor, draft, partner, invitation):
    helper = factories.contributor()
    other = services.collaborator_invite(actor=contributor, initiative=draft, identifier=helper.username)
    services.invitation_accept(actor=helper, invitation_id=other.pk)
    # A collaborator who did not send it may not.
    with pytest.raises(PermissionDenied):
        services.invitation_withdraw(actor=helper, invitation_id=invitation.pk)
    # Someone who may not see the draft, the invitee among them, learns nothing of it.
    for person in (partner, factories.contributor()):
        with pytest.raises(CollaborationInvitation.DoesNotExist):
            services.invitation_withdraw(actor=person, invitation_id=invitation.pk)
    # A collaborator's own invitation is theirs to withdraw, and the owner's too.
    third, fourth = factories.contributor(), factories.contributor()
    sent = services.collaborator_invite(actor=helper, initiative=draft, identifier=third.username)
    assert services.invitation_withdraw(actor=helper, invitation_id=sent.pk).state == "withdrawn"
    sent = services.collaborator_invite(actor=helper, initiative=draft, identifier=fourth.username)
    assert services.invitation_withdraw(actor=contributor, invitation_id=sent.pk).state == "withdrawn"
    invitation.refresh_from_db()
    assert invitation.state == "open"


def test_the_owner_sees_and_withdraws_from_the_record_page(client, contributor, draft, partner, invitation):
    client.force_login(contributor)
    page = client.get(draft.get_absolute_url()).content.decode()
    withdraw = reverse("initiatives:invitation_withdraw", args=[draft.slug, invitation.pk])
    assert "Invited, not yet answered" in page and f'action="{withdraw}"' in page
    response = client.post(withdraw, follow=True)
    assert response.status_code == 200
    assert "The invitation to guest is withdrawn." in response.content.decode()
    assert "Invited, not yet answered" not in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "withdrawn"
    # Withdrawing it again finds nothing open.
    assert client.post(withdraw).status_code == 404

    client.force_login(partner)
    assert "Draft with a guest" not in client.get("/workspace/").content.decode()
    accept = reverse("initiatives:invitation_answer", args=[invitation.pk, "accept"])
    assert client.post(accept).status_code == 404
    assert not draft.collaborators.exists()


def test_an_invitation_is_withdrawn_only_through_its_own_record(client, contributor, invitation):
    elsewhere = factories.make_initiative(owner=contributor)
    client.force_login(contributor)
    url = reverse("initiatives:invitation_withdraw", args=[elsewhere.slug, invitation.pk])
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    invitation.refresh_from_db()
    assert invitation.state == "open"


def test_a_collaborator_sees_the_invitation_without_a_withdraw_button(client, contributor, draft, invitation):
    helper = factories.contributor()
    other = services.collaborator_invite(actor=contributor, initiative=draft, identifier=helper.username)
    services.invitation_accept(actor=helper, invitation_id=other.pk)
    client.force_login(helper)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Invited, not yet answered" in page and "guest" in page
    withdraw = reverse("initiatives:invitation_withdraw", args=[draft.slug, invitation.pk])
    assert withdraw not in page
    assert client.post(withdraw).status_code == 403


def test_the_emailed_link_answers_that_the_invitation_is_no_longer_open(
    client, contributor, draft, partner, invitation
):
    token = collaborator_invitation_token(initiative=draft, invitee=partner, inviter=contributor)
    link = reverse("initiatives:invitation", args=[token])
    services.invitation_withdraw(actor=contributor, invitation_id=invitation.pk)
    client.force_login(partner)
    page = client.get(link)
    assert page.status_code == 400 and "no longer open" in page.content.decode()
    accepted = client.post(link)
    assert accepted.status_code == 400 and "no longer open" in accepted.content.decode()
    assert not draft.collaborators.exists()
    # Invited again, a new link opens, and so does the old one: an invitation is open again.
    again = services.collaborator_invite(actor=contributor, initiative=draft, identifier=partner.username)
    fresh = collaborator_invitation_token(initiative=draft, invitee=partner, inviter=contributor)
    assert client.get(reverse("initiatives:invitation", args=[fresh])).status_code == 200
    assert client.post(link).status_code == 302
    again.refresh_from_db()
    assert again.state == "accepted" and list(draft.collaborators.all()) == [partner]


def test_an_email_link_made_after_a_withdrawal_still_opens(client, contributor, draft, partner, invitation):
    services.invitation_withdraw(actor=contributor, invitation_id=invitation.pk)
    token = collaborator_invitation_token(initiative=draft, invitee=partner, inviter=contributor)
    client.force_login(partner)
    assert client.post(reverse("initiatives:invitation", args=[token])).status_code == 302
    assert list(draft.collaborators.all()) == [partner]


ADMIN_LISTS = [
    "admin:initiatives_topicfollow_changelist",
    "admin:initiatives_collaborationinvitation_changelist",
]


def test_administrators_read_follows_and_invitations_in_the_admin(client, invitation, partner):
    published = factories.make_initiative(state="published", title="Followed record")
    services.follow_create(actor=partner, initiative=published)
    services.topic_follow_create(actor=partner, kind="country", value="KE")
    client.force_login(factories.admin())
    follows = client.get(reverse(ADMIN_LISTS[0]))
    assert follows.status_code == 200
    assert follows.context["cl"].model_admin.show_full_result_count is False
    assert follows.context["cl"].result_count == 2
    assert "Followed record" in follows.content.decode()
    invitations = client.get(reverse(ADMIN_LISTS[1]), {"state__exact": "open"})
    assert invitations.status_code == 200
    assert "Draft with a guest" in invitations.content.decode()
    change = reverse("admin:initiatives_collaborationinvitation_change", args=[invitation.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"state": "accepted"}).status_code == 403
    assert client.get(reverse("admin:initiatives_topicfollow_add")).status_code == 403
    invitation.refresh_from_db()
    assert invitation.state == "open"


@pytest.mark.parametrize("role", ["moderator", "curator"])
def test_other_staff_do_not_see_those_lists(client, role):
    client.force_login(getattr(factories, role)())
    for name in ADMIN_LISTS:
        assert client.get(reverse(name)).status_code == 403
    assert "Collaboration" not in client.get(reverse("admin:index")).content.decode()


def test_a_number_past_any_id_is_not_found(client, contributor, draft):
    client.force_login(contributor)
    huge = 10**30
    assert client.post(f"/initiatives/{draft.slug}/invitations/{huge}/withdraw/").status_code == 404
    assert client.post(f"/workspace/invitations/{huge}/accept/").status_code == 404
