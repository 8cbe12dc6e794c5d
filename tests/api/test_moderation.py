"""Moderation through the API: four eyes, proposed changes, merge and restore."""

import pytest

from initiatives import services
from initiatives.models import Initiative
from tests import factories

LIST_URL = "/api/v1/initiatives/"


def detail(initiative) -> str:
    return f"{LIST_URL}{initiative.slug}/"


def fresh(initiative) -> Initiative:
    return Initiative.objects.get(pk=initiative.pk)


# Four eyes ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_moderator_who_edited_the_draft_is_neither_offered_nor_allowed_approval(client_for):
    moderator = factories.moderator()
    owner = factories.contributor()
    initiative = factories.make_initiative(owner=owner, collaborators=[moderator.username])
    services.initiative_edit(actor=moderator, initiative=fresh(initiative), data={"body": "Mine."})
    services.initiative_submit(actor=owner, initiative=fresh(initiative))
    client = client_for(moderator)

    assert client.get(detail(initiative)).json()["allowed_actions"] == []
    rows = {row["slug"]: row for row in client.get(LIST_URL).json()["results"]}
    assert rows[initiative.slug]["allowed_actions"] == []
    assert client.post(f"{detail(initiative)}approve/").status_code == 403
    assert client.post(f"{detail(initiative)}reject/", {"reason": "No."}, format="json").status_code == 403
    assert fresh(initiative).moderation_state == "submitted"

    other = client_for(factories.moderator())
    rows = {row["slug"]: row for row in other.get(LIST_URL).json()["results"]}
    assert rows[initiative.slug]["allowed_actions"] == ["approve", "reject"]


# Proposed changes -------------------------------------------------------------------------


@pytest.fixture
def proposals(db):
    """A published record with three proposals: one rejected, one approved, one open."""
    owner = factories.contributor(username="owner")
    collaborator = factories.contributor(username="collaborator")
    desk = factories.moderator(username="desk")
    initiative = factories.make_initiative(
        owner=owner, state="published", title="Cyber range", collaborators=[collaborator.username]
    )
    first = services.initiative_edit(
        actor=owner, initiative=fresh(initiative), data={"title": "Cyber range I"}
    )
    services.revision_reject(actor=desk, revision=first, reason="Keep the name.")
    second = services.initiative_edit(actor=owner, initiative=fresh(initiative), data={"summary": "Shared."})
    services.initiative_edit(actor=collaborator, initiative=fresh(initiative), data={"tags": ["ranges"]})
    services.revision_approve(actor=desk, revision=second)
    third = services.initiative_edit(
        actor=collaborator, initiative=fresh(initiative), data={"title": "Cyber range II"}
    )
    return {
        "initiative": fresh(initiative),
        "owner": owner,
        "collaborator": collaborator,
        "desk": desk,
        "rejected": first,
        "approved": second,
        "open": third,
    }


@pytest.mark.django_db
def test_proposals_are_listed_newest_first_with_authors_and_changes(client_for, proposals):
    initiative = proposals["initiative"]
    response = client_for(proposals["owner"]).get(f"{detail(initiative)}revisions/")

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (3, None, None)
    rows = body["results"]
    assert [row["id"] for row in rows] == [proposals[key].pk for key in ("open", "approved", "rejected")]
    assert [row["state"] for row in rows] == ["open", "approved", "rejected"]
    open_, approved, rejected = rows
    assert set(open_) >= {
        "id",
        "state",
        "authors",
        "changes",
        "created_at",
        "decided_by",
        "decided_at",
        "reason",
    }
    assert open_["authors"] == ["collaborator"]
    assert open_["changes"] == {"title": {"before": "Cyber range", "after": "Cyber range II"}}
    assert (open_["decided_by"], open_["decided_at"], open_["reason"]) == (None, None, "")
    assert sorted(approved["authors"]) == ["collaborator", "owner"]
    assert approved["changes"] == {
        "summary": {"before": "Training national CERT staff in incident response.", "after": "Shared."},
        "tags": {"before": ["capacity building"], "after": ["ranges"]},
    }
    assert approved["decided_by"] == "desk" and approved["decided_at"]
    assert rejected["changes"] == {"title": {"before": "Cyber range", "after": "Cyber range I"}}
    assert (rejected["decided_by"], rejected["reason"]) == ("desk", "Keep the name.")

    paged = client_for(proposals["owner"]).get(f"{detail(initiative)}revisions/", {"page_size": 1}).json()
    assert [row["id"] for row in paged["results"]] == [proposals["open"].pk] and paged["next"]


@pytest.mark.django_db
def test_a_page_of_proposals_costs_the_same_queries_whatever_its_size(client_for, proposals):
    from tests.api.reading import get_with_sql

    initiative, owner = proposals["initiative"], proposals["owner"]
    for number in range(8):
        revision = services.initiative_edit(
            actor=owner, initiative=fresh(initiative), data={"summary": f"Attempt {number}"}
        )
        services.revision_reject(actor=proposals["desk"], revision=revision, reason="Not yet.")
    client = client_for(owner)
    client.get("/api/v1/key-tasks/")  # the token's first use is recorded once
    counts = {}
    for size in (2, 10):
        response, statements = get_with_sql(client, f"{detail(initiative)}revisions/?page_size={size}")
        assert len(response.json()["results"]) == size
        counts[size] = len(statements)
    assert counts[2] == counts[10], counts


@pytest.mark.django_db
def test_proposals_are_for_members_and_staff(api, client_for, proposals):
    url = f"{detail(proposals['initiative'])}revisions/"
    for user in (
        proposals["owner"],
        proposals["collaborator"],
        factories.curator(),
        factories.moderator(),
        factories.admin(),
    ):
        assert client_for(user).get(url).status_code == 200, user
    assert client_for(factories.contributor()).get(url).status_code == 403
    assert api.get(url).status_code == 401
    draft = factories.make_initiative()
    assert client_for(factories.contributor()).get(f"{detail(draft)}revisions/").status_code == 404
    assert api.get(f"{detail(draft)}revisions/").status_code == 404


@pytest.mark.django_db
def test_a_moderator_approves_a_proposal_and_gets_the_record(client_for, proposals):
    initiative, revision = proposals["initiative"], proposals["open"]
    client = client_for(factories.moderator())

    response = client.post(f"{detail(initiative)}revisions/{revision.pk}/approve/")

    assert response.status_code == 200, response.json()
    assert response.json() == client.get(detail(initiative)).json()
    assert response.json()["title"] == "Cyber range II"
    assert response.json()["version"] == initiative.version + 1
    again = client.post(f"{detail(initiative)}revisions/{revision.pk}/approve/")
    assert again.status_code == 409 and again.json()["detail"]
    assert (
        client.post(f"{detail(initiative)}revisions/{revision.pk}/reject/", {"reason": "x"}).status_code
        == 409
    )
    assert fresh(initiative).version == initiative.version + 1


@pytest.mark.django_db
def test_a_moderator_rejects_a_proposal_with_a_reason(client_for, proposals):
    initiative, revision = proposals["initiative"], proposals["open"]
    moderator = factories.moderator(username="second_desk")
    client = client_for(moderator)
    url = f"{detail(initiative)}revisions/{revision.pk}/reject/"

    missing = client.post(url, {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    response = client.post(url, {"reason": "Keep the first name."}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["state"], body["decided_by"], body["reason"]) == (
        revision.pk,
        "rejected",
        "second_desk",
        "Keep the first name.",
    )
    assert body["changes"] == {"title": {"before": "Cyber range", "after": "Cyber range II"}}
    assert fresh(initiative).title == "Cyber range"
    assert client.post(url, {"reason": "Again."}, format="json").status_code == 409


@pytest.mark.django_db
def test_no_author_of_a_proposal_and_no_one_but_a_moderator_decides_it(api, client_for):
    moderator = factories.moderator(username="mod_collaborator")
    owner = factories.contributor(username="owner")
    initiative = factories.make_initiative(owner=owner, state="published", collaborators=[moderator.username])
    first = client_for(moderator).patch(detail(initiative), {"title": "The moderator's title"}, format="json")
    assert first.status_code == 202
    second = client_for(owner).patch(detail(initiative), {"tags": ["urban"]}, format="json")
    assert second.status_code == 202 and second.json()["id"] == first.json()["id"]
    assert sorted(second.json()["authors"]) == ["mod_collaborator", "owner"]
    revision_id = first.json()["id"]
    approve = f"{detail(initiative)}revisions/{revision_id}/approve/"
    reject = f"{detail(initiative)}revisions/{revision_id}/reject/"

    for user in (moderator, owner, factories.curator(), factories.contributor()):
        client = client_for(user)
        assert client.post(approve).status_code == 403, user
        assert client.post(reject, {"reason": "No."}, format="json").status_code == 403, user
    assert api.post(approve).status_code == 401
    other = factories.make_initiative(state="published")
    elsewhere = client_for(factories.moderator()).post(f"{detail(other)}revisions/{revision_id}/approve/")
    assert elsewhere.status_code == 404
    assert fresh(initiative).title == initiative.title

    assert client_for(factories.moderator()).post(approve).status_code == 200
    assert fresh(initiative).title == "The moderator's title"


# Merge and restore ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_curator_merges_a_duplicate_and_gets_the_survivor(client_for, curator):
    survivor = factories.make_initiative(state="published", title="Digital Silk Road forum")
    duplicate = factories.make_initiative(
        state="published", title="Digital Silk Road forum (copy)", tags=["silk"]
    )
    client = client_for(curator)
    url = f"{detail(duplicate)}merge/"

    assert client_for(duplicate.owner).post(url, {"into": survivor.slug}, format="json").status_code == 403
    for body in ({}, {"into": "no-such-record"}, {"into": duplicate.slug}):
        bad = client.post(url, body, format="json")
        assert bad.status_code == 400 and "into" in bad.json(), body
    stale = client.post(url, {"into": survivor.slug}, format="json", HTTP_IF_MATCH='"stale"')
    assert stale.status_code == 412
    response = client.post(url, {"into": survivor.slug}, format="json")

    assert response.status_code == 200
    assert response.json()["slug"] == survivor.slug
    assert "silk" in response.json()["tags"]
    assert fresh(duplicate).merged_into_id == survivor.pk
    assert client.get(detail(duplicate)).json()["merged_into"] == survivor.slug
    assert client.post(url, {"into": survivor.slug}, format="json").status_code == 403


@pytest.mark.django_db
def test_a_curator_restores_an_earlier_version_as_a_new_version(client_for, curator):
    initiative = factories.make_initiative(state="published", title="Original title")
    services.initiative_edit(actor=curator, initiative=fresh(initiative), data={"title": "Vandalised"})
    client = client_for(curator)
    before = fresh(initiative).version

    assert client_for(initiative.owner).post(f"{detail(initiative)}history/1/restore/").status_code == 403
    assert client.post(f"{detail(initiative)}history/99/restore/").status_code == 404
    response = client.post(f"{detail(initiative)}history/1/restore/")

    assert response.status_code == 200
    assert (response.json()["title"], response.json()["version"]) == ("Original title", before + 1)
    history = client.get(f"{detail(initiative)}history/").json()["results"]
    assert (history[0]["version"], history[0]["action"]) == (before + 1, "restore")


# Every action allowed_actions names has an endpoint ------------------------------------------

ROLES = ("owner", "collaborator", "stranger", "curator", "moderator", "admin")
STATES = ("draft", "submitted", "published", "rejected", "archived")
ANSWERS = {"propose_revision": 202, "delete": 204, "add_update": 201}


def _perform(client, action, initiative, elsewhere):
    url = detail(initiative)
    if action in ("edit", "propose_revision"):
        return client.patch(url, {"summary": "Changed on a walk."}, format="json")
    if action == "delete":
        return client.delete(url)
    if action == "add_update":
        return client.post(f"{url}updates/", {"title": "Walked"}, format="json")
    if action == "restore":
        return client.post(f"{url}history/1/restore/")
    if action == "merge":
        return client.post(f"{url}merge/", {"into": elsewhere.slug}, format="json")
    if action in ("reject", "archive"):
        return client.post(f"{url}{action}/", {"reason": "Walked."}, format="json")
    return client.post(f"{url}{action}/")


@pytest.mark.django_db
def test_every_action_allowed_actions_names_has_an_endpoint_that_does_it(client_for):
    from django.db import transaction

    from initiatives import rules

    owner, collaborator = factories.contributor(), factories.contributor()
    users = {
        "owner": owner,
        "collaborator": collaborator,
        "stranger": factories.contributor(),
        "curator": factories.curator(),
        "moderator": factories.moderator(),
        "admin": factories.admin(),
    }
    clients = {role: client_for(user) for role, user in users.items()}
    desk = factories.moderator()
    records = {
        state: factories.make_initiative(
            owner=owner, state=state, moderator_user=desk, collaborators=[collaborator.username]
        )
        for state in STATES
    }
    elsewhere = factories.make_initiative(state="published", title="Where duplicates go")
    walked = set()
    calls = 0
    for role, client in clients.items():
        for state, initiative in records.items():
            shown = client.get(detail(initiative))
            if shown.status_code == 404:
                continue
            for action in shown.json()["allowed_actions"]:
                with transaction.atomic():
                    response = _perform(client, action, fresh(initiative), elsewhere)
                    transaction.set_rollback(True)
                assert response.status_code == ANSWERS.get(action, 200), (
                    role,
                    state,
                    action,
                    response.content,
                )
                walked.add(action)
                calls += 1
    assert walked == {"edit", "propose_revision", *rules.ACTIONS}
    print(f"allowed_actions walk: {calls} named actions called through their endpoints, all done")


# Progress notes ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_members_note_is_held_and_shown_only_to_members_and_staff_until_approved(api, client_for):
    collaborator = factories.contributor(username="collaborator")
    initiative = factories.make_initiative(state="published", collaborators=[collaborator.username])
    url = f"{detail(initiative)}updates/"

    posted = client_for(collaborator).post(url, {"title": "Kick-off", "kind": "meeting"}, format="json")

    assert posted.status_code == 201
    note = posted.json()
    assert (note["state"], note["published_at"], note["author"]) == ("held", None, "collaborator")
    assert api.get(url).json()["results"] == []
    assert client_for(factories.contributor()).get(url).json()["results"] == []
    for user in (collaborator, initiative.owner, factories.moderator(), factories.curator()):
        assert [row["state"] for row in client_for(user).get(url).json()["results"]] == ["held"]

    approved = client_for(factories.moderator()).post(f"{url}{note['id']}/approve/")

    assert approved.status_code == 200
    assert (approved.json()["state"], approved.json()["decided_by"] is not None) == ("published", True)
    assert [row["title"] for row in api.get(url).json()["results"]] == ["Kick-off"]
    assert client_for(factories.moderator()).post(f"{url}{note['id']}/approve/").status_code == 409


@pytest.mark.django_db
def test_curators_notes_are_live_at_once(api, client_for, curator):
    initiative = factories.make_initiative(state="published")
    url = f"{detail(initiative)}updates/"
    posted = client_for(curator).post(url, {"title": "Second phase funded"}, format="json")
    assert posted.status_code == 201 and posted.json()["state"] == "published"
    assert [row["title"] for row in api.get(url).json()["results"]] == ["Second phase funded"]


@pytest.mark.django_db
def test_held_notes_are_decided_by_a_moderator_who_did_not_write_them(api, client_for):
    author = factories.moderator(username="mod_collaborator")
    initiative = factories.make_initiative(state="published", collaborators=[author.username])
    url = f"{detail(initiative)}updates/"
    note_id = client_for(author).post(url, {"title": "My news"}, format="json").json()["id"]
    approve, reject = f"{url}{note_id}/approve/", f"{url}{note_id}/reject/"

    for user in (author, initiative.owner, factories.curator()):
        assert client_for(user).post(approve).status_code == 403, user
        assert client_for(user).post(reject, {"reason": "No."}, format="json").status_code == 403, user
    # Those who may not see a held note do not learn that it exists.
    assert client_for(factories.contributor()).post(approve).status_code == 404
    assert api.post(approve).status_code == 401
    moderator = client_for(factories.moderator(username="desk"))
    missing = moderator.post(reject, {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()

    rejected = moderator.post(reject, {"reason": "Not news yet."}, format="json")

    assert rejected.status_code == 200
    assert (rejected.json()["state"], rejected.json()["reason"], rejected.json()["decided_by"]) == (
        "rejected",
        "Not news yet.",
        "desk",
    )
    assert moderator.post(approve).status_code == 409
    assert api.get(url).json()["results"] == []
    assert client_for(author).get(url).json()["results"][0]["reason"] == "Not news yet."
