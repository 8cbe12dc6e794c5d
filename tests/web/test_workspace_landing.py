"""Signing in lands on the workspace, which shows first what waits for the person: invitations
to answer, records sent back to fix, and for a moderator the decisions four eyes let them take.
"New initiative" is in the header for whoever may create."""

import importlib

import pytest
from django.urls import reverse

from initiatives import services
from initiatives.models import CollaborationInvitation
from notifications.models import Notification
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WORKSPACE = "/workspace/"


def _sign_in(client, user, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD, **extra})


def test_signing_in_lands_on_the_workspace(client, contributor):
    response = _sign_in(client, contributor)
    assert response.status_code == 302 and response["Location"] == WORKSPACE
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Waiting for you" in page.content.decode()


def test_a_next_address_wins_over_the_workspace(client, contributor):
    response = _sign_in(client, contributor, next="/initiatives/?kind=project")
    assert response.status_code == 302 and response["Location"] == "/initiatives/?kind=project"


def test_the_sign_in_link_of_the_home_page_leads_to_the_workspace_and_others_come_back(client):
    home = client.get("/").content.decode()
    assert f'href="{reverse("login")}"' in home
    browse = client.get("/initiatives/").content.decode()
    assert f'href="{reverse("login")}?next=/initiatives/"' in browse


def test_new_initiative_is_in_the_header_for_contributors_only(client, contributor):
    create = reverse("initiatives:create")
    link = f'href="{create}">New initiative<'
    assert link not in client.get("/").content.decode()
    client.force_login(factories.UserFactory())  # signed in, but with no role that creates
    assert link not in client.get("/").content.decode()
    client.force_login(contributor)
    for page in ("/", "/initiatives/", "/following/", reverse("profile")):
        assert link in client.get(page).content.decode(), page
    assert client.get(create).status_code == 200


def test_the_invitee_sees_the_invitation_with_its_buttons_and_accepts_it(client, contributor):
    partner = factories.contributor()
    draft = factories.make_initiative(owner=contributor, title="Draft wanting a partner")
    invitation = services.collaborator_invite(
        actor=contributor, initiative=draft, identifier=partner.username
    )
    client.force_login(partner)
    page = client.get(WORKSPACE).content.decode()
    assert "Invitations to collaborate" in page and "Draft wanting a partner" in page
    accept = reverse("initiatives:invitation_answer", args=[invitation.pk, "accept"])
    decline = reverse("initiatives:invitation_answer", args=[invitation.pk, "decline"])
    assert f'action="{accept}"' in page and f'action="{decline}"' in page
    assert client.post(accept).status_code == 302
    assert list(draft.collaborators.all()) == [partner]
    assert "Invitations to collaborate" not in client.get(WORKSPACE).content.decode()
    # The owner sees no invitation of their own in their workspace.
    client.force_login(contributor)
    assert "Invitations to collaborate" not in client.get(WORKSPACE).content.decode()


def test_a_rejected_record_waits_to_be_fixed_with_the_reason(client, contributor):
    rejected = factories.make_initiative(owner=contributor, state="rejected", title="Sent back one")
    factories.make_initiative(owner=contributor, title="Quiet draft")
    client.force_login(contributor)
    response = client.get(WORKSPACE)
    page = response.content.decode()
    assert [i.title for i in response.context["to_fix"]] == ["Sent back one"]
    fix = page.index("Sent back to fix")
    assert page.index("Sent back one") > fix and page.index("Needs sources.") > fix
    assert page.index("Sent back one") < page.index("Quiet draft")
    assert f'href="{reverse("initiatives:edit", args=[rejected.slug])}"' in page
    # Shown once, among what waits, not again among the groups below.
    assert page.count("Sent back one") == 1
    assert "Submissions to review" not in page


def test_nothing_waits_says_so(client, contributor):
    client.force_login(contributor)
    assert "Nothing waits for you." in client.get(WORKSPACE).content.decode()


def _moderation_fixtures(moderator):
    """A submission by someone else, one the moderator owns, proposals and held notes on
    records of someone else and of the moderator."""
    author, partner = factories.contributor(), factories.contributor()
    factories.make_initiative(owner=author, state="submitted", title="Someone's submission")
    factories.make_initiative(owner=moderator, state="submitted", title="Moderator's own submission")
    theirs = factories.make_initiative(owner=author, state="published", title="Their live record")
    services.initiative_edit(actor=author, initiative=theirs, data={"summary": "A proposed summary."})
    services.update_create(
        actor=author, initiative=theirs, data={"title": "Held note of theirs", "kind": "progress"}
    )
    own = factories.make_initiative(owner=moderator, partners=[partner], title="Moderator's live record")
    services.initiative_submit(actor=moderator, initiative=own)
    services.initiative_approve(actor=factories.moderator(), initiative=own)
    services.initiative_edit(actor=partner, initiative=own, data={"summary": "Partner proposes."})
    services.update_create(
        actor=partner, initiative=own, data={"title": "Held note on own", "kind": "progress"}
    )
    return theirs, own


def test_a_moderator_sees_what_four_eyes_let_them_decide(client, moderator):
    theirs, _own = _moderation_fixtures(moderator)
    client.force_login(moderator)
    response = client.get(WORKSPACE)
    page = response.content.decode()
    queues = response.context["moderation"]
    assert [i.title for i in queues["submissions"]] == ["Someone's submission"]
    assert [r.initiative.title for r in queues["proposals"]] == ["Their live record"]
    assert [n.title for n in queues["notes"]] == ["Held note of theirs"]
    assert [queues[kind].total for kind in ("submissions", "proposals", "notes")] == [1, 1, 1]
    assert "Moderator's own submission" not in page and "Held note on own" not in page
    assert "Submissions to review" in page and "Proposed changes to review" in page
    assert "Held updates to review" in page
    assert f'href="{reverse("admin:initiatives_moderationqueueitem_changelist")}"' in page
    assert f'href="{theirs.get_absolute_url()}"' in page
    # The queue it links to answers the moderator.
    assert client.get(reverse("admin:initiatives_moderationqueueitem_changelist")).status_code == 200


def test_the_moderation_panels_are_for_moderators_only(client, moderator):
    _moderation_fixtures(moderator)
    client.force_login(factories.contributor())
    response = client.get(WORKSPACE)
    assert response.context["moderation"] is None
    assert "Submissions to review" not in response.content.decode()


def test_a_long_queue_is_counted_up_to_a_cap(client, moderator, monkeypatch):
    monkeypatch.setattr(importlib.import_module("initiatives.views.workspace"), "COUNT_CAP", 2)
    for _ in range(3):
        factories.make_initiative(state="submitted")
    client.force_login(moderator)
    response = client.get(WORKSPACE)
    queue = response.context["moderation"]["submissions"]
    assert len(queue) == 3 and queue.total == 2 and queue.more
    assert '<span class="count">2+</span>' in response.content.decode()


def test_the_invitations_panel_lists_only_open_invitations(client, contributor):
    partner = factories.contributor()
    first = factories.make_initiative(owner=contributor, title="First draft")
    second = factories.make_initiative(owner=contributor, title="Second draft")
    declined = services.collaborator_invite(actor=contributor, initiative=first, identifier=partner.username)
    services.invitation_decline(actor=partner, invitation_id=declined.pk)
    services.collaborator_invite(actor=contributor, initiative=second, identifier=partner.username)
    client.force_login(partner)
    response = client.get(WORKSPACE)
    assert [i.initiative.title for i in response.context["invitations"]] == ["Second draft"]
    assert CollaborationInvitation.objects.filter(invitee=partner).count() == 2


def test_unread_notifications_wait_first_on_the_workspace_newest_first(client):
    person = factories.contributor()
    record = factories.make_initiative(owner=person, title="Pacific cable security dialogue")
    for number in range(7):
        Notification.objects.create(
            recipient=person,
            kind="submission_rejected",
            channel="site",
            initiative=record,
            event_key=f"test:{number}",
            details={"reason": f"Reason number {number}"},
        )
    client.force_login(person)
    page = client.get("/workspace/").content.decode()
    panel = page.split('id="unread-heading"')[1].split("</section>")[0]
    assert '<span class="count">7</span>' in panel
    # The five newest are listed, the newest first; the page of all of them is a click away.
    reasons = [f"Reason number {number}" for number in (6, 5, 4, 3, 2)]
    positions = [panel.index(reason) for reason in reasons]
    assert positions == sorted(positions)
    assert "Reason number 1" not in panel
    assert 'href="/notifications/"' in panel

    client.post("/notifications/read-all/")
    assert 'id="unread-heading"' not in client.get("/workspace/").content.decode()


def test_curators_find_the_import_page_on_their_workspace_and_contributors_do_not(client):
    client.force_login(factories.curator())
    assert 'href="/workspace/import/"' in client.get("/workspace/").content.decode()
    client.force_login(factories.contributor())
    assert 'href="/workspace/import/"' not in client.get("/workspace/").content.decode()
