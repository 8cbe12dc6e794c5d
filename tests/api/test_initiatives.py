"""Contract of /api/v1/initiatives/: reads, writes, actions, history, updates, errors, ETags."""

import pytest

from initiatives import services
from initiatives.models import Initiative, PendingRevision, Revision, Update
from tests import factories

LIST_URL = "/api/v1/initiatives/"


def detail(initiative) -> str:
    return f"{LIST_URL}{initiative.slug}/"


def slugs(response) -> set[str]:
    return {row["slug"] for row in response.json()["results"]}


@pytest.fixture
def records(contributor):
    """One record in each state, all owned by `contributor`, plus someone else's draft."""
    return {
        state: factories.make_initiative(owner=contributor, state=state)
        for state in ("draft", "submitted", "published", "rejected", "archived")
    } | {"other_draft": factories.make_initiative(state="draft")}


# Reads and visibility ---------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_callers_see_published_records_only(api, records):
    response = api.get(LIST_URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    assert slugs(response) == {records["published"].slug}
    assert api.get(detail(records["draft"])).status_code == 404
    assert api.get(detail(records["published"])).status_code == 200


@pytest.mark.django_db
def test_contributors_also_see_their_own_and_collaborations(client_for, contributor, records):
    collaborator = factories.contributor()
    services.initiative_edit(
        actor=contributor, initiative=records["draft"], data={"collaborators": [collaborator.username]}
    )
    mine = slugs(client_for(contributor).get(LIST_URL, {"page_size": 100}))
    assert mine == {r.slug for key, r in records.items() if key != "other_draft"}
    theirs = slugs(client_for(collaborator).get(LIST_URL))
    assert theirs == {records["published"].slug, records["draft"].slug}
    assert client_for(collaborator).get(detail(records["other_draft"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["curator", "moderator", "admin"])
def test_staff_roles_see_everything(client_for, records, role):
    user = getattr(factories, role)()
    assert slugs(client_for(user).get(LIST_URL, {"page_size": 100})) == {r.slug for r in records.values()}


@pytest.mark.django_db
def test_representation_uses_slugs_codes_and_strings(api, contributor):
    initiative = factories.make_initiative(owner=contributor, state="published")
    body = api.get(detail(initiative)).json()
    assert body["key_task"] == "global-south"
    assert body["action_line"] == "south-south-projects"
    assert body["countries"] == ["CN", "KE"]
    assert body["stakeholders"] == [{"stakeholder": "undp", "role": "lead"}]
    assert body["tags"] == ["capacity building"]
    assert body["advocacies"] == ["security"]
    assert body["links"] == [
        {
            "url": "https://example.org/source",
            "title": "Source",
            "publisher": "",
            "language": "",
            "published_on": None,
            "accessed_on": None,
            "checked": False,
            "checked_by": None,
            "checked_at": None,
        }
    ]
    assert body["owner"] == contributor.username
    assert body["moderation_state"] == "published"
    assert body["version"] == initiative.version
    assert body["allowed_actions"] == []


@pytest.mark.django_db
def test_allowed_actions_follow_the_caller(client_for, contributor, moderator, curator):
    submitted = factories.make_initiative(owner=contributor, state="submitted")
    published = factories.make_initiative(owner=contributor, state="published")
    draft = factories.make_initiative(owner=contributor)
    owner = client_for(contributor)
    assert owner.get(detail(draft)).json()["allowed_actions"] == ["edit", "submit", "delete", "add_update"]
    assert owner.get(detail(submitted)).json()["allowed_actions"] == []
    assert "propose_revision" in owner.get(detail(published)).json()["allowed_actions"]
    assert client_for(moderator).get(detail(submitted)).json()["allowed_actions"] == ["approve", "reject"]
    assert "archive" in client_for(curator).get(detail(published)).json()["allowed_actions"]
    # The list says the same as the detail.
    rows = {row["slug"]: row for row in client_for(moderator).get(LIST_URL).json()["results"]}
    assert rows[submitted.slug]["allowed_actions"] == ["approve", "reject"]


@pytest.mark.django_db
def test_a_moderator_who_submitted_is_not_offered_approval(client_for):
    moderator = factories.moderator()
    initiative = factories.make_initiative(owner=factories.contributor())
    services.initiative_edit(actor=factories.admin(), initiative=initiative, data={"title": "Admin edit"})
    services.initiative_submit(actor=factories.admin(), initiative=initiative)
    submitter = factories.admin()
    assert "approve" in client_for(submitter).get(LIST_URL).json()["results"][0]["allowed_actions"]
    assert "approve" in client_for(moderator).get(detail(initiative)).json()["allowed_actions"]


# Create -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_makes_a_draft_owned_by_the_caller(client_for, contributor):
    data = factories.initiative_data(title="Cyber drill for the Pacific", change_message="First entry")
    data["stakeholders"] = data.pop("participations")
    response = client_for(contributor).post(LIST_URL, data, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"].startswith("cyber-drill-for-the-pacific-")
    assert body["moderation_state"] == "draft" and body["owner"] == contributor.username
    assert body["stakeholders"] == [{"stakeholder": "undp", "role": "lead"}]
    assert response["ETag"] and response["Location"].endswith(f"/api/v1/initiatives/{body['slug']}/")
    initiative = Initiative.objects.get(slug=body["slug"])
    assert initiative.owner == contributor
    assert Revision.objects.get(initiative=initiative).change_message == "First entry"


@pytest.mark.django_db
def test_create_ignores_fields_the_caller_may_not_set(client_for, contributor, curator):
    data = factories.initiative_data(
        moderation_state="published",
        owner=curator.username,
        version=99,
        slug="chosen",
        created_at="2001-01-01",
    )
    response = client_for(contributor).post(LIST_URL, data, format="json")
    assert response.status_code == 201
    initiative = Initiative.objects.get()
    assert (initiative.moderation_state, initiative.owner, initiative.version) == ("draft", contributor, 1)
    assert initiative.slug != "chosen" and initiative.created_at.year != 2001


@pytest.mark.django_db
def test_create_with_a_chinese_title_gets_a_working_slug(client_for, contributor):
    data = factories.initiative_data(title="数字丝路合作论坛", language="zh-hans")
    response = client_for(contributor).post(LIST_URL, data, format="json")
    assert response.status_code == 201
    assert client_for(contributor).get(detail(Initiative.objects.get())).json()["title"] == "数字丝路合作论坛"


@pytest.mark.django_db
def test_bad_input_is_a_400_per_field(client_for, contributor):
    client = client_for(contributor)
    response = client.post(
        LIST_URL,
        {
            "summary": "",
            "key_task": "no-such-task",
            "kind": "party",
            "countries": ["ZZ"],
            "stakeholders": [{"stakeholder": "undp", "role": "boss"}],
            "links": [{"url": "not a url"}],
            "start_date": "yesterday",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert {"detail", "title", "summary", "key_task", "kind", "countries", "stakeholders", "links"} <= set(
        body
    )
    assert "start_date" in body
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_service_rules_come_back_as_field_errors(client_for, contributor):
    data = factories.initiative_data(
        key_task="multilateral-mechanisms", start_date="2026-05-01", end_date="2026-01-01"
    )
    response = client_for(contributor).post(LIST_URL, data, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"action_line", "end_date"}


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["[]", "null", '"text"', "{", '{"title": {"a": 1}}'])
def test_malformed_bodies_are_400(client_for, contributor, body):
    response = client_for(contributor).post(LIST_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.django_db
def test_people_without_a_role_may_not_create(client_for):
    response = client_for(factories.UserFactory()).post(LIST_URL, factories.initiative_data(), format="json")
    assert response.status_code == 403
    assert "detail" in response.json()


# Edit -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_owner_edits_a_draft_directly_with_a_change_message(client_for, contributor):
    initiative = factories.make_initiative(owner=contributor)
    response = client_for(contributor).patch(
        detail(initiative),
        {"title": "Renamed", "countries": ["br"], "tags": ["Alpha", "beta"], "change_message": "Fix"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title"], body["countries"], body["tags"]) == ("Renamed", ["BR"], ["Alpha", "beta"])
    assert body["version"] == initiative.version + 1
    assert body["slug"] == initiative.slug
    latest = Revision.objects.filter(initiative=initiative).order_by("-version").first()
    assert latest.change_message == "Fix" and latest.changes["title"][1] == "Renamed"


@pytest.mark.django_db
def test_read_only_fields_in_a_patch_change_nothing(client_for, contributor, curator):
    initiative = factories.make_initiative(owner=contributor)
    response = client_for(contributor).patch(
        detail(initiative),
        {
            "moderation_state": "published",
            "owner": curator.username,
            "version": 42,
            "published_at": "2020-01-01",
        },
        format="json",
    )
    assert response.status_code == 200
    fresh = Initiative.objects.get(pk=initiative.pk)
    assert (fresh.moderation_state, fresh.owner_id, fresh.version) == (
        "draft",
        contributor.pk,
        initiative.version,
    )
    assert fresh.published_at is None
    assert response.json()["moderation_state"] == "draft"


@pytest.mark.django_db
def test_contributor_edit_of_a_published_record_is_held_for_review(client_for, contributor):
    initiative = factories.make_initiative(owner=contributor, state="published")
    response = client_for(contributor).patch(
        detail(initiative), {"title": "Proposed title", "change_message": "Better name"}, format="json"
    )
    assert response.status_code == 202
    body = response.json()
    assert body["state"] == "open" and body["initiative"] == initiative.slug
    assert body["changes"]["title"] == {"before": initiative.title, "after": "Proposed title"}
    assert body["authors"] == [contributor.username]
    assert body["change_message"] == "Better name"
    fresh = Initiative.objects.get(pk=initiative.pk)
    assert (fresh.title, fresh.version) == (initiative.title, initiative.version)
    assert PendingRevision.objects.filter(initiative=initiative, state="open").count() == 1


@pytest.mark.django_db
def test_curator_edits_a_published_record_directly(client_for, curator):
    initiative = factories.make_initiative(state="published")
    response = client_for(curator).patch(detail(initiative), {"summary": "Curated."}, format="json")
    assert response.status_code == 200
    assert Initiative.objects.get(pk=initiative.pk).summary == "Curated."


@pytest.mark.django_db
def test_editing_someone_elses_visible_record_is_403(client_for, contributor):
    initiative = factories.make_initiative(state="published")
    response = client_for(contributor).patch(detail(initiative), {"title": "Mine now"}, format="json")
    assert response.status_code == 403
    assert Initiative.objects.get(pk=initiative.pk).title == initiative.title


@pytest.mark.django_db
def test_moderators_may_not_edit(client_for, moderator):
    initiative = factories.make_initiative(state="submitted")
    assert client_for(moderator).patch(detail(initiative), {"title": "X"}, format="json").status_code == 403


@pytest.mark.django_db
def test_put_is_not_allowed(client_for, contributor):
    initiative = factories.make_initiative(owner=contributor)
    response = client_for(contributor).put(detail(initiative), factories.initiative_data(), format="json")
    assert response.status_code == 405
    assert "detail" in response.json()


# Delete -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_owner_deletes_an_unpublished_draft(client_for, contributor):
    initiative = factories.make_initiative(owner=contributor)
    assert client_for(contributor).delete(detail(initiative)).status_code == 204
    assert not Initiative.objects.filter(pk=initiative.pk).exists()


@pytest.mark.django_db
def test_published_records_are_not_deleted_by_their_owner(client_for, contributor):
    initiative = factories.make_initiative(owner=contributor, state="published")
    assert client_for(contributor).delete(detail(initiative)).status_code == 403
    assert client_for(factories.curator()).delete(detail(initiative)).status_code == 403
    assert Initiative.objects.filter(pk=initiative.pk).exists()
    assert client_for(factories.admin()).delete(detail(initiative)).status_code == 204


# Workflow actions -----------------------------------------------------------------------


@pytest.mark.django_db
def test_submit_then_approve_by_another_user(client_for, contributor, moderator):
    initiative = factories.make_initiative(owner=contributor)
    response = client_for(contributor).post(f"{detail(initiative)}submit/")
    assert response.status_code == 200
    assert response.json()["moderation_state"] == "submitted"
    assert client_for(contributor).post(f"{detail(initiative)}approve/").status_code == 403
    response = client_for(moderator).post(f"{detail(initiative)}approve/")
    assert response.status_code == 200
    assert response.json()["moderation_state"] == "published"
    assert Initiative.objects.get(pk=initiative.pk).published_at is not None


@pytest.mark.django_db
def test_reject_needs_a_reason(client_for, moderator):
    initiative = factories.make_initiative(state="submitted")
    client = client_for(moderator)
    response = client.post(f"{detail(initiative)}reject/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(f"{detail(initiative)}reject/", {"reason": "   "}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert Initiative.objects.get(pk=initiative.pk).moderation_state == "submitted"
    response = client.post(f"{detail(initiative)}reject/", {"reason": "Needs a source."}, format="json")
    assert response.status_code == 200
    assert response.json()["moderation_state"] == "rejected"
    assert initiative.events.filter(action="reject", reason="Needs a source.").exists()


@pytest.mark.django_db
def test_approving_your_own_submission_is_refused(client_for):
    moderator = factories.moderator()
    initiative = factories.make_initiative(owner=moderator, state="submitted")
    response = client_for(moderator).post(f"{detail(initiative)}approve/")
    assert response.status_code == 403
    assert Initiative.objects.get(pk=initiative.pk).moderation_state == "submitted"


@pytest.mark.django_db
def test_actions_in_the_wrong_state_are_403(client_for, contributor, moderator):
    draft = factories.make_initiative(owner=contributor)
    published = factories.make_initiative(owner=contributor, state="published")
    assert client_for(moderator).post(f"{detail(draft)}approve/").status_code == 403
    assert client_for(contributor).post(f"{detail(published)}submit/").status_code == 403


@pytest.mark.django_db
def test_curator_archives(client_for, curator, contributor):
    initiative = factories.make_initiative(state="published")
    assert client_for(contributor).post(f"{detail(initiative)}archive/").status_code == 403
    response = client_for(curator).post(f"{detail(initiative)}archive/", {"reason": "Ended"}, format="json")
    assert response.status_code == 200 and response.json()["moderation_state"] == "archived"


@pytest.mark.django_db
def test_actions_on_invisible_records_are_404_and_anonymous_401(api, client_for, contributor):
    initiative = factories.make_initiative()
    assert client_for(contributor).post(f"{detail(initiative)}submit/").status_code == 404
    assert api.post(f"{detail(initiative)}submit/").status_code == 401
    assert api.get(f"{LIST_URL}no-such-record/").status_code == 404
    assert api.get(f"{LIST_URL}no-such-record/").json()["detail"]


# History and updates ------------------------------------------------------------------


@pytest.mark.django_db
def test_history_lists_every_version_with_its_changes(client_for, contributor, moderator):
    initiative = factories.make_initiative(owner=contributor, state="published", moderator_user=moderator)
    response = client_for(contributor).get(f"{detail(initiative)}history/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["version"] for row in rows] == [3, 2, 1]
    assert rows[0]["actor"] == moderator.username
    assert rows[0]["changes"]["moderation_state"] == ["submitted", "published"]
    assert rows[2]["action"] == "create" and rows[2]["snapshot"]["title"] == initiative.title
    assert {"created_at", "change_message"} <= set(rows[0])


@pytest.mark.django_db
def test_history_of_invisible_records_is_404(api):
    initiative = factories.make_initiative()
    assert api.get(f"{detail(initiative)}history/").status_code == 404


@pytest.mark.django_db
def test_updates_are_listed_and_added_by_editors(api, client_for, contributor):
    initiative = factories.make_initiative(owner=contributor, state="published")
    response = client_for(contributor).post(
        f"{detail(initiative)}updates/",
        {"title": "Kick-off meeting", "kind": "meeting", "date": "2026-03-01", "text": "Went well."},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["author"] == contributor.username
    # The owner's note on a published record waits for a moderator, as an edit would.
    assert response.json()["state"] == "held"
    assert api.get(f"{detail(initiative)}updates/").json()["results"] == []
    services.update_approve(actor=factories.moderator(), update=Update.objects.get())
    listed = api.get(f"{detail(initiative)}updates/").json()
    assert [row["title"] for row in listed["results"]] == ["Kick-off meeting"]
    assert (
        client_for(factories.contributor())
        .post(f"{detail(initiative)}updates/", {"title": "Not mine"}, format="json")
        .status_code
        == 403
    )
    bad = client_for(contributor).post(f"{detail(initiative)}updates/", {"kind": "gossip"}, format="json")
    assert bad.status_code == 400 and {"title", "kind"} <= set(bad.json())
    assert Update.objects.count() == 1


# Conditional requests -------------------------------------------------------------------


@pytest.mark.django_db
def test_get_has_an_etag_and_if_none_match_gives_304(api, contributor):
    initiative = factories.make_initiative(owner=contributor, state="published")
    for url in (detail(initiative), LIST_URL, f"{detail(initiative)}history/"):
        first = api.get(url)
        assert first.status_code == 200 and first["ETag"]
        again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
        assert api.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


@pytest.mark.django_db
def test_etag_changes_when_the_record_changes(api, client_for, curator):
    initiative = factories.make_initiative(state="published")
    before = api.get(detail(initiative))["ETag"]
    list_before = api.get(LIST_URL)["ETag"]
    client_for(curator).patch(detail(initiative), {"title": "New"}, format="json")
    assert api.get(detail(initiative), HTTP_IF_NONE_MATCH=before).status_code == 200
    assert api.get(LIST_URL, HTTP_IF_NONE_MATCH=list_before).status_code == 200


@pytest.mark.django_db
def test_stale_if_match_is_412_and_changes_nothing(client_for, contributor, curator):
    initiative = factories.make_initiative(owner=contributor)
    client = client_for(contributor)
    etag = client.get(detail(initiative))["ETag"]
    client_for(curator).patch(detail(initiative), {"summary": "Someone else's edit."}, format="json")
    fresh = Initiative.objects.get(pk=initiative.pk)
    response = client.patch(detail(initiative), {"title": "Mine"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412 and response.json()["detail"]
    assert client.post(f"{detail(initiative)}submit/", HTTP_IF_MATCH=etag).status_code == 412
    assert client.delete(detail(initiative), HTTP_IF_MATCH=etag).status_code == 412
    after = Initiative.objects.get(pk=initiative.pk)
    assert (after.title, after.version, after.moderation_state) == (fresh.title, fresh.version, "draft")
    current = client.get(detail(initiative))["ETag"]
    response = client.patch(detail(initiative), {"title": "Mine"}, format="json", HTTP_IF_MATCH=current)
    assert response.status_code == 200 and response.json()["title"] == "Mine"


@pytest.mark.django_db
def test_a_concurrent_write_is_409(client_for, contributor, monkeypatch):
    initiative = factories.make_initiative(owner=contributor)
    real_edit = services.initiative_edit

    def edit_after_someone_else(**kwargs):
        # Another editor commits between our read and our write.
        real_edit(actor=factories.curator(), initiative=initiative, data={"summary": "Theirs."})
        return real_edit(**kwargs)

    monkeypatch.setattr(services, "initiative_edit", edit_after_someone_else)
    response = client_for(contributor).patch(detail(initiative), {"title": "Mine"}, format="json")
    assert response.status_code == 409
    assert "detail" in response.json()
    fresh = Initiative.objects.get(pk=initiative.pk)
    assert fresh.title == initiative.title and fresh.summary == "Theirs."


# Formats ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_csv_gives_the_filtered_set(api):
    kept = factories.make_initiative(state="published", title="Kept, with a comma", kind="event")
    factories.make_initiative(state="published", kind="project")
    factories.make_initiative(state="draft", kind="event")
    response = api.get(LIST_URL, {"format": "csv", "kind": "event"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    import csv
    import io

    content = b"".join(response.streaming_content)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row["slug"] for row in rows] == [kept.slug]
    assert rows[0]["title"] == "Kept, with a comma"
    assert rows[0]["countries"] == "CN; KE"
    assert rows[0]["stakeholders"] == "undp:lead"


@pytest.mark.django_db
def test_csv_errors_are_json(api):
    response = api.get(LIST_URL, {"format": "csv", "country": "ZZ"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "country" in response.json()


@pytest.mark.django_db
def test_csv_keeps_formulas_as_text(api):
    factories.make_initiative(state="published", title="=HYPERLINK(1)")
    response = api.get(LIST_URL, {"format": "csv"})
    assert "'=HYPERLINK(1)" in b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.django_db
def test_unknown_formats_and_addresses_are_json_404(api):
    assert api.get(LIST_URL, {"format": "xml"}).status_code == 404
    for url in ("/api/v1/nothing-here/", f"{LIST_URL}a/b/c/", "/api/v1/countries/toolong/"):
        response = api.get(url)
        assert response.status_code == 404 and response.json()["detail"], url


@pytest.mark.django_db
def test_other_api_routes_are_not_shadowed(client_for, contributor):
    assert client_for(contributor).get("/api/v1/me/subscription/").status_code == 200
