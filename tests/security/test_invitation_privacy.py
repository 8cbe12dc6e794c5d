"""Inviting a collaborator by e-mail address never says who, if anyone, owns the address.

The inviter always gets the same answer; the owner of the address, if there is one, is
told by e-mail after the request has committed, and joins by following the link in it.
"""

from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from initiatives import tasks
from initiatives.models import Initiative
from tests import factories


@pytest.fixture
def draft(db, contributor):
    return factories.make_initiative(owner=contributor, title="Draft that needs a partner")


def _invite(user, draft, identifier, capture):
    client = Client()  # a session of its own, holding no earlier messages
    client.force_login(user)
    with capture() as callbacks:
        response = client.post(reverse("initiatives:invite", args=[draft.slug]), {"identifier": identifier})
    return {
        "status": response.status_code,
        "location": response.get("Location"),
        "messages": [str(message) for message in get_messages(response.wsgi_request)],
        "after commit": len(callbacks),
        "version": Initiative.objects.get(pk=draft.pk).version,
        "collaborators": list(draft.collaborators.values_list("username", flat=True)),
    }


def test_every_address_gets_the_same_answer(contributor, draft, django_capture_on_commit_callbacks):
    somebody = factories.contributor(email="somebody@example.org")
    already = factories.contributor(email="already@example.org")
    draft.collaborators.add(already)
    answers = {
        address: _invite(contributor, draft, address, django_capture_on_commit_callbacks)
        for address in (somebody.email, "nobody@example.org", already.email.upper(), contributor.email)
    }
    first = answers[somebody.email]
    assert all(answer == first for answer in answers.values()), answers
    assert first["status"] == 302 and first["location"] == draft.get_absolute_url()
    assert first["messages"] == ["If an account uses that e-mail address, its owner has been invited."]
    assert first["collaborators"] == [already.username]
    assert somebody.username not in str(answers)


def _deliver(client, draft, address, capture):
    """Post the invitation, commit, and run the task the commit enqueued, as a worker would."""
    with mock.patch.object(tasks.collaborator_invitation_send, "delay") as delay:
        with capture(execute=True):
            client.post(reverse("initiatives:invite", args=[draft.slug]), {"identifier": address})
    (call,) = delay.call_args_list
    mail.outbox.clear()
    tasks.collaborator_invitation_send(*call.args, **call.kwargs)
    return list(mail.outbox)


def test_the_owner_of_the_address_is_told_and_joins_by_accepting(
    client, contributor, draft, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://concord.example"
    invitee = factories.contributor(email="partner@example.org")
    client.force_login(contributor)
    assert _deliver(client, draft, "nobody@example.org", django_capture_on_commit_callbacks) == []
    (message,) = _deliver(client, draft, "Partner@Example.org", django_capture_on_commit_callbacks)
    assert message.to == ["partner@example.org"]
    assert draft.title in message.body and contributor.username in message.body
    assert message.subject == f"Invitation to work on “{draft.title}”"
    link = next(word for word in message.body.split() if word.startswith("https://concord.example/"))
    path = link.removeprefix("https://concord.example")
    assert not draft.collaborators.exists()

    # Nobody else can use the link.
    client.force_login(factories.contributor())
    assert client.post(path).status_code == 403
    assert not draft.collaborators.exists()

    client.force_login(invitee)
    page = client.get(path)
    assert page.status_code == 200 and draft.title in page.content.decode()
    joined = client.post(path)
    assert joined.status_code == 302 and joined["Location"] == draft.get_absolute_url()
    assert list(draft.collaborators.all()) == [invitee]
    entry = draft.revisions.first()
    assert entry.actor == invitee and contributor.username in entry.change_message
    # Following it again changes nothing.
    assert client.post(path).status_code == 302
    assert draft.revisions.first() == entry


def test_an_invitation_lapses_when_its_sender_may_no_longer_edit(
    client, contributor, draft, django_capture_on_commit_callbacks
):
    helper = factories.contributor()
    draft.collaborators.add(helper)
    invitee = factories.contributor(email="late@example.org")
    client.force_login(helper)
    (message,) = _deliver(client, draft, invitee.email, django_capture_on_commit_callbacks)
    path = "/" + next(word for word in message.body.split() if "/workspace/" in word).split("/", 3)[3]
    draft.collaborators.remove(helper)
    client.force_login(invitee)
    assert client.post(path).status_code == 400
    assert not draft.collaborators.filter(pk=invitee.pk).exists()


def test_by_username_the_person_is_invited_and_named(client, contributor, draft):
    partner = factories.contributor()
    client.force_login(contributor)
    response = client.post(reverse("initiatives:invite", args=[draft.slug]), {"identifier": partner.username})
    assert response.status_code == 302
    assert not draft.collaborators.exists()
    assert draft.invitations.get().invitee == partner
    (message,) = get_messages(response.wsgi_request)
    assert partner.username in str(message)


def test_the_link_accepts_the_open_invitation_made_by_username(
    client, contributor, draft, django_capture_on_commit_callbacks
):
    partner = factories.contributor(email="named@example.org")
    client.force_login(contributor)
    with mock.patch.object(tasks.collaborator_invitation_notify, "delay") as notify:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("initiatives:invite", args=[draft.slug]), {"identifier": partner.username})
    mail.outbox.clear()
    tasks.collaborator_invitation_notify(*notify.call_args.args)
    (message,) = mail.outbox
    path = "/" + next(word for word in message.body.split() if "/workspace/" in word).split("/", 3)[3]
    client.force_login(partner)
    assert client.post(path).status_code == 302
    assert list(draft.collaborators.all()) == [partner]
    assert draft.invitations.get().state == "accepted"


def test_the_invitation_speaks_the_invitees_language(
    client, contributor, draft, django_capture_on_commit_callbacks
):
    factories.contributor(email="zhang@example.org", preferred_language="zh-hans")
    client.force_login(contributor)
    (message,) = _deliver(client, draft, "zhang@example.org", django_capture_on_commit_callbacks)
    assert message.subject == f"邀请您参与“{draft.title}”"
    assert "邀请您作为协作者" in message.body
