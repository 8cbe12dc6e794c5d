"""What was never published stays with the record's members and staff, on every surface.

The scenario of issue 12: a draft whose body held a private phone number is rejected with
a reason, cleaned and published. The API's history, the web history page and the detail
page then show outsiders the versions from the first publication on, and no reasons.
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from initiatives import services
from initiatives.selectors import revisions_visible_to
from tests import factories

PHONE = "+86 138 0013 8000"
REASON = "Remove the private phone number of the organiser."


@pytest.fixture
def cleaned(db, contributor, moderator):
    """Drafted with a phone number, rejected for it, cleaned, then published."""
    record = factories.make_initiative(
        owner=contributor, title="Regional CERT exchange", body=f"Call the organiser on {PHONE}."
    )
    services.initiative_submit(actor=contributor, initiative=record)
    services.initiative_reject(actor=moderator, initiative=record, reason=REASON)
    services.initiative_edit(actor=contributor, initiative=record, data={"body": "Write to the secretariat."})
    services.initiative_submit(actor=contributor, initiative=record)
    services.initiative_approve(actor=moderator, initiative=record)
    # A change after publication is public history, with its message.
    services.initiative_edit(
        actor=factories.curator(),
        initiative=record,
        data={"summary": "Quarterly exchange of CERT staff."},
        change_message="Clearer summary",
    )
    record.refresh_from_db()
    return record


def _surfaces(user, record) -> dict[str, str]:
    """The three places that show history, as this user reads them (None: anonymous)."""
    api = APIClient()
    web = Client()
    if user is not None:
        api.force_login(user)
        web.force_login(user)
    history = api.get(f"/api/v1/initiatives/{record.slug}/history/")
    pages = {
        "api history": history,
        "web history": web.get(reverse("initiatives:history", args=[record.slug])),
        "detail page": web.get(record.get_absolute_url()),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
    return {name: response.content.decode() for name, response in pages.items()}


def test_outsiders_see_neither_the_unpublished_body_nor_the_reason(cleaned):
    stranger = factories.contributor()
    for user in (None, stranger):
        for name, text in _surfaces(user, cleaned).items():
            assert PHONE not in text, (user, name)
            assert REASON not in text, (user, name)
            # What was published, and changed since, is still there.
            assert "Clearer summary" in text, (user, name)


def test_outsiders_history_starts_at_the_first_publication(cleaned, client):
    published_at_version = 6  # create, submit, reject, edit, submit, approve (6), edit (7)
    api = APIClient().get(f"/api/v1/initiatives/{cleaned.slug}/history/").json()
    assert [row["version"] for row in api["results"]] == [7, published_at_version]
    assert api["count"] == 2
    page = client.get(reverse("initiatives:history", args=[cleaned.slug]))
    assert [revision.version for revision in page.context["page"]] == [7, published_at_version]
    detail = client.get(cleaned.get_absolute_url())
    assert [revision.version for revision in detail.context["revisions"]] == [7, published_at_version]


def test_members_and_staff_read_the_whole_history(cleaned, moderator):
    collaborator = factories.contributor()
    invitation = services.collaborator_invite(
        actor=cleaned.owner, initiative=cleaned, identifier=collaborator.username
    )
    services.invitation_accept(actor=collaborator, invitation_id=invitation.pk)
    for user in (cleaned.owner, collaborator, factories.curator(), moderator, factories.admin()):
        texts = _surfaces(user, cleaned)
        assert PHONE in texts["api history"], user
        for name, text in texts.items():
            assert REASON in text, (user, name)


def test_reasons_of_later_transitions_are_for_members_too(cleaned, curator):
    """The selector, which every surface reads, hides any transition's reason from outsiders."""
    services.initiative_archive(actor=curator, initiative=cleaned, reason="Superseded by a treaty body.")
    stranger = factories.contributor()
    outsider_view = revisions_visible_to(user=stranger, initiative=cleaned)
    assert all(revision.shown_message != "Superseded by a treaty body." for revision in outsider_view)
    member_view = revisions_visible_to(user=cleaned.owner, initiative=cleaned)
    assert member_view[0].shown_message == "Superseded by a treaty body."
