"""Signed-in reads of the initiatives list: who sees what, how the page is counted, what a
page costs in queries, and that its query reads indexes rather than the whole table."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import KeyTask
from initiatives import services
from initiatives.choices import ModerationState
from initiatives.models import Initiative, Revision
from initiatives.selectors import counting
from tests import factories
from tests.api.reading import LIST_URL, slugs
from tests.api.reading import get_with_sql as _get


@pytest.fixture
def catalogue(db):
    """Published records, and unpublished ones owned by two contributors, one shared."""
    member, other = factories.contributor(), factories.contributor()
    published = [factories.make_initiative(state="published", title=f"Public {n}") for n in range(3)]
    own_draft = factories.make_initiative(owner=member, title="My draft")
    own_submitted = factories.make_initiative(owner=member, state="submitted", title="My submission")
    shared = factories.make_initiative(owner=other, title="Shared with me")
    services.initiative_edit(actor=other, initiative=shared, data={"collaborators": [member.username]})
    private = factories.make_initiative(owner=other, title="Not mine")
    others_rejected = factories.make_initiative(owner=other, state="rejected", title="Rejected, not mine")
    return {
        "member": member,
        "other": other,
        "published": published,
        "mine": [own_draft, own_submitted, shared],
        "hidden": [private, others_rejected],
    }


def _slugs(records) -> set[str]:
    return {record.slug for record in records}


@pytest.mark.django_db
def test_a_contributor_sees_published_own_and_shared_records_and_staff_see_all(
    api, client_for, catalogue, curator, moderator, admin_user
):
    everything = _slugs(catalogue["published"] + catalogue["mine"] + catalogue["hidden"])
    member = client_for(catalogue["member"]).get(LIST_URL).json()
    assert {row["slug"] for row in member["results"]} == _slugs(catalogue["published"] + catalogue["mine"])
    assert (member["count"], member["count_is_estimate"]) == (6, False)
    for user in (curator, moderator, admin_user):
        body = client_for(user).get(LIST_URL).json()
        assert {row["slug"] for row in body["results"]} == everything
        assert (body["count"], body["count_is_estimate"]) == (len(everything), False)
    anonymous = api.get(LIST_URL).json()
    assert {row["slug"] for row in anonymous["results"]} == _slugs(catalogue["published"])
    # Filters narrow the member's own view, never widen it.
    drafts = client_for(catalogue["member"]).get(LIST_URL, {"moderation_state": "draft"})
    assert set(slugs(drafts)) == _slugs([catalogue["mine"][0], catalogue["mine"][2]])


@pytest.mark.django_db
def test_a_count_past_the_bound_is_an_estimate_and_pages_past_it_still_behave(
    client_for, catalogue, settings
):
    settings.API_EXACT_COUNT_UP_TO = 5
    client = client_for(catalogue["member"])
    # Six records visible to the member: one past the bound.
    first = client.get(LIST_URL, {"page_size": 4}).json()
    assert first["count_is_estimate"] is True and first["count"] >= 6
    assert first["next"] is not None and len(first["results"]) == 4
    # Whatever the estimate says, the next page is there and the one after the end is not.
    second = client.get(LIST_URL, {"page_size": 4, "page": 2}).json()
    assert len(second["results"]) == 2 and second["next"] is None
    assert client.get(LIST_URL, {"page_size": 4, "page": 3}).status_code == 404
    assert client.get(LIST_URL, {"page_size": 4, "page": 10**30}).status_code == 404
    # The last page is found by counting exactly.
    last = client.get(LIST_URL, {"page_size": 4, "page": "last"}).json()
    assert (last["count"], last["count_is_estimate"]) == (6, False)
    assert [row["slug"] for row in last["results"]] == [row["slug"] for row in second["results"]]
    # At the bound or under it, the count is exact.
    few = client.get(LIST_URL, {"moderation_state": "published"}).json()
    assert (few["count"], few["count_is_estimate"]) == (3, False)


@pytest.mark.django_db
def test_count_false_leaves_the_count_out_and_counts_nothing(api, client_for, catalogue):
    for client in (api, client_for(catalogue["member"])):
        counted = client.get(LIST_URL, {"page_size": 2}).json()
        counting.forget_counts()
        response, sql = _get(client, f"{LIST_URL}?page_size=2&count=false")
        body = response.json()
        assert (body["count"], body["count_is_estimate"]) == (None, None)
        assert body["results"] == counted["results"]
        assert "&page=2" in body["next"] and "count=false" in body["next"]
        assert not [statement for statement in sql if "COUNT(" in statement.upper()], sql
        # The next pages follow without a count, and past the end is a 404 as ever.
        second = client.get(body["next"]).json()
        assert second["previous"] is not None and second["count"] is None
        assert client.get(LIST_URL, {"count": "false", "page": 99}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LIST_URL, "/api/v1/tags/", "/api/v1/stakeholders/"])
@pytest.mark.parametrize("value", ["yes", "1", "False", "TRUE", "none"])
def test_count_takes_true_or_false_only(api, url, value):
    response = api.get(url, {"count": value})
    assert response.status_code == 400
    assert list(response.json()["count"]) == ["Use true or false."]


@pytest.mark.django_db
def test_every_page_number_list_answers_the_same_shape(api, catalogue):
    for url in (LIST_URL, "/api/v1/tags/", "/api/v1/stakeholders/"):
        body = api.get(url).json()
        assert list(body) == ["count", "count_is_estimate", "next", "previous", "results"], url
        assert body["count_is_estimate"] is False
        assert api.get(url, {"count": "true"}).json()["count"] == body["count"]
        assert api.get(url, {"count": "false"}).json()["count"] is None


@pytest.mark.django_db
def test_a_signed_in_304_and_never_an_anonymous_answer(api, client_for, catalogue):
    member = client_for(catalogue["member"])
    anonymous = api.get(LIST_URL)
    assert set(slugs(anonymous)) == _slugs(catalogue["published"])
    # Asked right after an anonymous reader, the member still gets their own view.
    mine = member.get(LIST_URL)
    assert set(slugs(mine)) == _slugs(catalogue["published"] + catalogue["mine"])
    assert mine["ETag"] != anonymous["ETag"]
    assert member.get(LIST_URL, HTTP_IF_NONE_MATCH=anonymous["ETag"]).status_code == 200
    assert member.get(LIST_URL, HTTP_IF_NONE_MATCH=mine["ETag"]).status_code == 304
    uncounted = member.get(LIST_URL, {"count": "false"})
    assert member.get(LIST_URL, {"count": "false"}, HTTP_IF_NONE_MATCH=uncounted["ETag"]).status_code == 304
    # A change the member can see makes the old ETag stale.
    services.initiative_edit(
        actor=catalogue["member"], initiative=catalogue["mine"][0], data={"summary": "New."}
    )
    again = member.get(LIST_URL, HTTP_IF_NONE_MATCH=mine["ETag"])
    assert again.status_code == 200 and again["ETag"] != mine["ETag"]


@pytest.mark.django_db
def test_addresses_are_those_reverse_writes(client_for, contributor):
    factories.make_initiative(owner=contributor, title="数字合作与发展")
    factories.make_initiative(owner=contributor, title="Plain English")
    rows = client_for(contributor).get(LIST_URL).json()["results"]
    assert len(rows) == 2
    for row in rows:
        assert row["url"] == reverse("initiatives:detail", kwargs={"slug": row["slug"]})


# A page of 10 and a page of 50 cost the same queries -----------------------------------------


@pytest.fixture
def crowded(db):
    """Enough records for a page of 50 for each role: published, submitted and drafts."""
    member = factories.contributor()
    helper = factories.contributor()
    moderator = factories.moderator()
    for number in range(44):
        factories.make_initiative(
            owner=member if number % 2 else helper, state="published", moderator_user=moderator
        )
    for number in range(6):
        factories.make_initiative(owner=member, state="submitted", title=f"Submitted {number}")
    shared = factories.make_initiative(owner=helper, title="Shared draft")
    services.initiative_edit(actor=helper, initiative=shared, data={"collaborators": [member.username]})
    for number in range(5):
        factories.make_initiative(owner=member, title=f"Draft {number}")
    return {"member": member, "moderator": moderator}


def _queries(client, params) -> int:
    counting.forget_counts()  # each page pays for its count, as the first after a change does
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, params)
    assert response.status_code == 200
    assert len(response.json()["results"]) == params["page_size"]
    return len(queries)


@pytest.mark.django_db
def test_a_page_of_50_costs_the_queries_of_a_page_of_10(client_for, crowded, curator):
    callers = {"contributor": crowded["member"], "curator": curator, "moderator": crowded["moderator"]}
    for name, user in callers.items():
        client = client_for(user)
        client.get("/api/v1/key-tasks/")  # a token's first use is recorded, once a minute
        for extra in ({}, {"count": "false"}, {"ordering": "title"}):
            costs = {size: _queries(client, {"page_size": size, **extra}) for size in (10, 50)}
            assert costs[10] == costs[50], (name, extra, costs)
    # allowed_actions was worked out for every row of those pages, each for its caller.
    rows = client_for(crowded["moderator"]).get(LIST_URL, {"page_size": 60}).json()["results"]
    submitted = [row for row in rows if row["moderation_state"] == "submitted"]
    assert submitted and all("approve" in row["allowed_actions"] for row in submitted)
    rows = client_for(crowded["member"]).get(LIST_URL, {"page_size": 60}).json()["results"]
    drafts = [row for row in rows if row["moderation_state"] == "draft"]
    assert len(drafts) == 6 and all("edit" in row["allowed_actions"] for row in drafts)
    assert not any("approve" in row["allowed_actions"] for row in rows)


# The member's page is read through indexes ----------------------------------------------------

ROWS = 3000


@pytest.fixture
def large_catalogue(db):
    """A few thousand rows written straight to the table and analysed, so that PostgreSQL
    plans as it would for a real catalogue; a member owns some and collaborates on some."""
    member, other = factories.contributor(), factories.contributor()
    key_task = KeyTask.objects.get(slug="global-south")
    now = timezone.now()
    states = [ModerationState.PUBLISHED] * 8 + [ModerationState.DRAFT, ModerationState.SUBMITTED]
    rows = []
    for number in range(ROWS):
        state = states[number % len(states)]
        moment = now - datetime.timedelta(hours=(number * 7919) % ROWS)
        rows.append(
            Initiative(
                slug=f"record-{number}",
                title=f"Record {(number * 104729) % ROWS:05d}",
                summary="A record.",
                key_task=key_task,
                kind="project",
                owner=member if number % 97 == 0 else other,
                moderation_state=state,
                created_at=moment,
                updated_at=moment,
                start_date=None
                if number % 13 == 0
                else (moment - datetime.timedelta(days=number % 400)).date(),
                published_at=moment if state == ModerationState.PUBLISHED else None,
            )
        )
    Initiative.objects.bulk_create(rows, batch_size=1000)
    Revision.objects.bulk_create(
        [Revision(initiative=row, version=1, action="create", snapshot={"title": row.title}) for row in rows],
        batch_size=1000,
    )
    through = Initiative.collaborators.through
    through.objects.bulk_create(
        [through(initiative=row, user=member) for row in rows[5::89] if row.owner_id != member.pk]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE initiatives_initiative")
        cursor.execute(f"ANALYZE {through._meta.db_table}")
    return member


def _plan_nodes(statement: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {statement}")
        (row,) = cursor.fetchall()
    document = row[0] if isinstance(row[0], list) else json.loads(row[0])
    nodes, pending = [], [document[0]["Plan"]]
    while pending:
        node = pending.pop()
        nodes.append(node)
        pending.extend(node.get("Plans", []))
    return nodes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")
@pytest.mark.django_db
@pytest.mark.parametrize(
    "ordering", ["", "-updated_at", "title", "-published_at", "start_date", "-created_at"]
)
def test_the_members_page_is_read_in_order_from_indexes(client_for, large_catalogue, ordering):
    client = client_for(large_catalogue)
    response, sql = _get(client, f"{LIST_URL}?ordering={ordering}&page_size=50")
    assert response.status_code == 200
    shown = {row["slug"] for row in response.json()["results"]}
    visible = Initiative.objects.visible_to(large_catalogue)
    assert shown <= set(visible.values_list("slug", flat=True))
    (page,) = [
        statement
        for statement in sql
        if statement.startswith('SELECT "initiatives_initiative"."id"') and "LIMIT 51" in statement
    ]
    nodes = _plan_nodes(page)
    kinds = [node["Node Type"] for node in nodes]
    assert "Sort" not in kinds and "Incremental Sort" not in kinds, (ordering, kinds)
    scans = [(node["Node Type"], node.get("Relation Name")) for node in nodes if "Scan" in node["Node Type"]]
    # (The few collaborations here may well be read whole: that table is tiny.)
    assert ("Seq Scan", "initiatives_initiative") not in scans, (ordering, scans)
    assert any(relation == "initiatives_initiative" and "Index" in kind for kind, relation in scans)
