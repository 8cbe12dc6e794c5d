"""The initiatives list and detail run a fixed, small number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.selectors import counting
from tests import factories

LIST_URL = "/api/v1/initiatives/"
MAX_QUERIES = 6


def _count(client, url, params=None) -> int:
    # Counts are kept per catalogue generation: each page here pays for its own, as the
    # first reader after a change does.
    counting.forget_counts()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def many(db):
    owner = factories.contributor()
    collaborator = factories.contributor()
    made = []
    for number in range(110):
        initiative = factories.make_initiative(
            owner=owner, tags=[f"tag {number % 7}", "shared"], countries=["KE", "CN", "BR"][: 1 + number % 3]
        )
        made.append(initiative)
    from initiatives import services

    moderator = factories.moderator()
    for initiative in made[:106]:
        services.initiative_submit(actor=owner, initiative=initiative)
    for initiative in made[:103]:
        services.initiative_approve(actor=moderator, initiative=initiative)
    services.initiative_edit(
        actor=owner, initiative=made[108], data={"collaborators": [collaborator.username]}
    )
    return {"owner": owner, "collaborator": collaborator, "moderator": moderator, "made": made}


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_the_page(api, client_for, many, curator):
    callers = {
        "anonymous": api,
        "owner": client_for(many["owner"]),
        "collaborator": client_for(many["collaborator"]),
        "moderator": client_for(many["moderator"]),
        "curator": client_for(curator),
    }
    for name, client in callers.items():
        # The first call with a token also records its use (at most once a minute).
        client.get("/api/v1/key-tasks/")
        counts = {size: _count(client, LIST_URL, {"page_size": size}) for size in (10, 50, 100)}
        assert len(set(counts.values())) == 1, (name, counts)
        assert counts[10] <= MAX_QUERIES, (name, counts)
        cursor = {size: _count(client, LIST_URL, {"page_size": size, "mode": "cursor"}) for size in (10, 100)}
        assert len(set(cursor.values())) == 1 and cursor[10] <= MAX_QUERIES, (name, cursor)
        print(f"list queries ({name}): pages {counts}, cursor {cursor}")


@pytest.mark.django_db
def test_detail_query_count(api, client_for, many):
    published = many["made"][0]
    submitted = many["made"][104]
    assert _count(api, f"{LIST_URL}{published.slug}/") <= MAX_QUERIES
    shared_draft = many["made"][108]
    for user, initiative in [
        (many["moderator"], submitted),
        (many["owner"], submitted),
        (many["owner"], shared_draft),
        (many["collaborator"], shared_draft),
    ]:
        client = client_for(user)
        client.get("/api/v1/key-tasks/")
        assert _count(client, f"{LIST_URL}{initiative.slug}/") <= MAX_QUERIES
