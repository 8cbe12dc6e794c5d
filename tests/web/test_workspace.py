"""The contributor's workspace: own records, the form, submitting, updates, collaborators."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.models import ActionLine, KeyTask
from initiatives import services
from initiatives.models import CollaborationInvitation, Initiative, PendingRevision
from tests import factories

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {
        "version": "",
        "title": "Digital Silk Road training centre",
        "summary": "Cybersecurity courses for engineers from partner countries.",
        "body": "## Plan\n\nThree cohorts a year.",
        "language": "en",
        "key_task": "global-south",
        "action_line": "south-south-projects",
        "kind": "programme",
        "status": "active",
        "start_date": "2024-03-01",
        "end_date": "2026-12-31",
        "countries": "KE, Egypt, 巴西",
        "advocacies": ["prosperity", "security"],
        "tags": "training, capacity building",
        "collaborators": "",
        "change_message": "",
        "participants-TOTAL_FORMS": "3",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
        "participants-0-stakeholder": "undp",
        "participants-0-role": "lead",
        "participants-1-stakeholder": "ITU",
        "participants-1-role": "partner",
        "participants-2-stakeholder": "",
        "participants-2-role": "",
        "links-TOTAL_FORMS": "2",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "links-0-url": "https://example.org/centre",
        "links-0-title": "Announcement",
        "links-1-url": "",
        "links-1-title": "",
    }
    data.update(overrides)
    return data


def test_workspace_needs_sign_in(client):
    response = client.get(reverse("initiatives:workspace"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(reverse("initiatives:create")).status_code == 302


def test_workspace_groups_records_with_rejection_reasons_and_pending_revisions(
    client, contributor, moderator
):
    draft = factories.make_initiative(owner=contributor, title="My draft")
    rejected = factories.make_initiative(owner=contributor, state="rejected", title="My rejected one")
    live = factories.make_initiative(owner=contributor, state="published", title="My published one")
    services.initiative_edit(actor=contributor, initiative=live, data={"summary": "A better summary."})
    someone_elses = factories.make_initiative(title="Someone else's draft")
    client.force_login(contributor)
    response = client.get(reverse("initiatives:workspace"))
    assert response.status_code == 200
    groups = {state: [i.title for i in items] for state, _label, items in response.context["groups"]}
    assert groups["draft"] == [draft.title]
    assert groups["rejected"] == [rejected.title]
    assert groups["published"] == [live.title]
    page = response.content.decode()
    assert "Needs sources." in page  # the moderator's reason
    assert "change awaiting review" in page
    assert someone_elses.title not in page
    assert [r.initiative_id for r in response.context["revisions"]] == [live.pk]


def test_a_record_rejected_twice_shows_the_latest_reason_only(client, contributor, moderator):
    rejected = factories.make_initiative(owner=contributor, state="rejected", moderator_user=moderator)
    services.initiative_submit(actor=contributor, initiative=rejected)
    services.initiative_reject(actor=moderator, initiative=rejected, reason="Still no sources.")
    client.force_login(contributor)
    workspace = client.get(reverse("initiatives:workspace"))
    assert "Still no sources." in workspace.content.decode()
    assert "Needs sources." not in workspace.content.decode()
    # The record's page shows the latest reason in its notice (its history keeps both).
    detail = client.get(rejected.get_absolute_url())
    assert detail.context["last_rejection"].reason == "Still no sources."


def test_create_form_saves_every_field_as_a_draft(client, contributor):
    client.force_login(contributor)
    response = client.post(reverse("initiatives:create"), form_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    initiative = Initiative.objects.get(title="Digital Silk Road training centre")
    assert response["Location"] == initiative.get_absolute_url()
    assert initiative.owner == contributor
    assert initiative.moderation_state == "draft"
    assert initiative.action_line.slug == "south-south-projects"
    assert sorted(c.code for c in initiative.countries.all()) == ["BR", "EG", "KE"]
    assert sorted(a.slug for a in initiative.advocacies.all()) == ["prosperity", "security"]
    assert sorted(initiative.tags.names()) == ["capacity building", "training"]
    assert {(p.stakeholder.slug, p.role) for p in initiative.participations.all()} == {
        ("undp", "lead"),
        ("itu", "partner"),
    }
    assert [(link.url, link.title) for link in initiative.links.all()] == [
        ("https://example.org/centre", "Announcement")
    ]
    assert str(initiative.end_date) == "2026-12-31"


def test_create_form_reports_bad_input_per_field_and_keeps_it(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("initiatives:create"),
        form_data(
            title="",
            countries="KE, Atlantis",
            action_line="un-gge-oewg-law-and-norms",
            end_date="2020-01-01",
            **{"participants-0-stakeholder": "nobody-at-all"},
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "title" in form.errors
    assert "Atlantis" in str(form.errors["countries"])
    assert "action_line" in form.errors
    assert "end_date" in form.errors
    assert response.context["participations"].forms[0].errors["stakeholder"]
    page = response.content.decode()
    assert "Cybersecurity courses for engineers" in page  # the rest of the input is kept
    assert not Initiative.objects.filter(summary__startswith="Cybersecurity courses").exists()


def test_the_form_shows_the_services_own_messages_for_rules_between_fields(client, contributor):
    """The rules live in the service; the form puts its words on the fields."""
    client.force_login(contributor)
    response = client.post(
        reverse("initiatives:create"),
        form_data(title="", action_line="un-gge-oewg-law-and-norms", end_date="2020-01-01"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    line = ActionLine.objects.select_related("key_task").get(slug="un-gge-oewg-law-and-norms")
    with pytest.raises(ValidationError) as refusal:
        services.initiative_fields_check(
            {
                "key_task": KeyTask.objects.get(slug="global-south"),
                "action_line": line,
                "start_date": datetime.date(2024, 3, 1),
                "end_date": datetime.date(2020, 1, 1),
            }
        )
    said = refusal.value.message_dict
    assert form.errors["action_line"] == said["action_line"]
    assert line.key_task.slug in said["action_line"][0]
    assert form.errors["end_date"] == said["end_date"] == ["The end date cannot be before the start date."]


def test_a_collaborator_can_edit(client, contributor, draft):
    collaborator = factories.contributor()
    invitation = services.collaborator_invite(
        actor=contributor, initiative=draft, identifier=collaborator.username
    )
    services.invitation_accept(actor=collaborator, invitation_id=invitation.pk)
    draft.refresh_from_db()
    client.force_login(collaborator)
    edit_url = reverse("initiatives:edit", args=[draft.slug])
    page = client.get(edit_url)
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == draft.title
    response = client.post(edit_url, form_data(version=str(draft.version), title="Renamed by a collaborator"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Renamed by a collaborator"
    assert draft.revisions.first().actor == collaborator


def test_a_contributor_cannot_edit_another_contributors_record(client, draft, stranger, published):
    client.force_login(stranger)
    assert client.get(reverse("initiatives:edit", args=[draft.slug])).status_code == 404
    assert client.get(reverse("initiatives:edit", args=[published.slug])).status_code == 403
    response = client.post(
        reverse("initiatives:edit", args=[published.slug]), form_data(version=str(published.version))
    )
    assert response.status_code == 403
    assert client.post(reverse("initiatives:submit", args=[draft.slug]), {"version": 2}).status_code == 404
    published.refresh_from_db()
    assert published.title == "Published cyber dialogue"


def test_a_stale_edit_gets_the_conflict_message_and_keeps_the_input(client, contributor, draft):
    client.force_login(contributor)
    stale_version = draft.version
    services.initiative_edit(actor=contributor, initiative=draft, data={"summary": "Changed elsewhere."})
    response = client.post(
        reverse("initiatives:edit", args=[draft.slug]),
        form_data(version=str(stale_version), title="My careful rewrite"),
    )
    assert response.status_code == 400
    errors = " ".join(response.context["form"].non_field_errors())
    assert "changed by someone else" in errors
    assert "My careful rewrite" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title != "My careful rewrite"
    assert draft.summary == "Changed elsewhere."


def test_editing_a_published_record_proposes_a_revision(client, contributor, published):
    client.force_login(contributor)
    response = client.post(
        reverse("initiatives:edit", args=[published.slug]),
        form_data(version=str(published.version), title="Proposed new title"),
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.title == "Published cyber dialogue"
    revision = PendingRevision.objects.get(initiative=published)
    assert revision.snapshot["title"] == "Proposed new title"
    # Proposing again starts from the pending text.
    page = client.get(reverse("initiatives:edit", args=[published.slug]))
    assert page.context["form"].initial["title"] == "Proposed new title"


def test_submit_shows_likely_duplicates_then_submits(client, contributor):
    factories.make_initiative(
        state="published",
        title="Digital Silk Road cybersecurity training centre",
        summary="Cybersecurity courses for engineers from partner countries.",
    )
    factories.make_initiative(
        state="published", title="Arctic data cable consortium", summary="Subsea cables."
    )
    mine = factories.make_initiative(
        owner=contributor,
        title="Digital Silk Road training centre",
        summary="Cybersecurity courses for engineers of partner countries.",
    )
    client.force_login(contributor)
    url = reverse("initiatives:submit", args=[mine.slug])
    page = client.get(url)
    assert page.status_code == 200
    titles = [i.title for i in page.context["similar"]]
    assert titles == ["Digital Silk Road cybersecurity training centre"]
    response = client.post(url, {"version": mine.version})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.moderation_state == "submitted"
    # Submitted: no longer submittable, nor editable by the owner.
    assert client.get(url).status_code == 403
    assert client.get(reverse("initiatives:edit", args=[mine.slug])).status_code == 403


def test_add_update(client, contributor, published, stranger):
    url = reverse("initiatives:update_create", args=[published.slug])
    data = {
        "kind": "milestone",
        "date": "2025-05-01",
        "title": "Second cohort graduated",
        "text": "Forty engineers.",
    }
    client.force_login(stranger)
    assert client.post(url, data).status_code == 403
    client.force_login(contributor)
    response = client.post(url, data)
    assert response.status_code == 302
    assert published.updates.get().title == "Second cohort graduated"
    bad = client.post(url, {**data, "title": ""})
    assert bad.status_code == 400
    assert bad.context["update_form"].errors["title"]


def test_invite_collaborator_by_username_or_email(client, contributor, draft):
    first, second = factories.contributor(), factories.contributor()
    url = reverse("initiatives:invite", args=[draft.slug])
    client.force_login(contributor)
    assert client.post(url, {"identifier": first.username}).status_code == 302
    # By address the person is sent an invitation to accept (tests/security/test_invitation_privacy.py).
    assert client.post(url, {"identifier": second.email.upper()}).status_code == 302
    # By username the person is invited; they join by accepting (tests/web/test_invitations.py).
    assert not draft.collaborators.exists()
    invitation = CollaborationInvitation.objects.get(initiative=draft, invitee=first, state="open")
    # Inviting again keeps the one open invitation.
    assert client.post(url, {"identifier": first.username}).status_code == 302
    assert CollaborationInvitation.objects.filter(initiative=draft).count() == 1
    services.invitation_accept(actor=first, invitation_id=invitation.pk)
    again = client.post(url, {"identifier": first.username})
    assert again.status_code == 400
    assert "already works on" in str(again.context["invite_form"].errors)
    unknown = client.post(url, {"identifier": "nobody-by-that-name"})
    assert unknown.status_code == 400
    malformed = client.post(url, {"identifier": "nobody@"})
    assert malformed.status_code == 400
    client.force_login(first)
    assert client.get(reverse("initiatives:edit", args=[draft.slug])).status_code == 200


def test_a_stranger_cannot_invite(client, published, stranger):
    client.force_login(stranger)
    response = client.post(
        reverse("initiatives:invite", args=[published.slug]), {"identifier": stranger.username}
    )
    assert response.status_code == 403
    assert not published.collaborators.exists()


def test_autocomplete_suggests_countries_stakeholders_and_tags(client, published):
    countries = client.get("/autocomplete/countries/", {"q": "keny"}).json()["results"]
    assert {"value": "KE", "label": "Kenya (KE)"} in countries
    stakeholders = client.get("/autocomplete/stakeholders/", {"q": "UNDP"}).json()["results"]
    assert stakeholders[0]["value"] == "undp"
    tags = client.get("/autocomplete/tags/", {"q": "capa"}).json()["results"]
    assert [t["value"] for t in tags] == ["capacity building"]
    assert client.get("/autocomplete/users/").status_code == 404
    zh = client.get("/autocomplete/countries/", {"q": "肯尼亚"})
    assert json.loads(zh.content)["results"][0]["value"] == "KE"


def test_markdown_preview_renders_sanitised_html(client, contributor):
    url = reverse("initiatives:preview")
    assert client.post(url, {"body": "x"}).status_code == 302
    client.force_login(contributor)
    response = client.post(url, {"body": "**bold** <script>alert(1)</script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
