"""Page numbers, the cursor mode, and mirroring with updated_since."""

import pytest

from initiatives import services
from tests import factories

LIST_URL = "/api/v1/initiatives/"


def _walk(client, **params):
    """Every record of one cursor pass, page by page; returns (slugs, sync_until)."""
    response = client.get(LIST_URL, {"mode": "cursor", **params})
    seen, until = [], None
    while True:
        assert response.status_code == 200, response.json()
        body = response.json()
        until = until or body["sync_until"]
        assert body["sync_until"] == until
        seen.extend(row["slug"] for row in body["results"])
        if not body["next"]:
            return seen, until
        response = client.get(body["next"])


@pytest.mark.django_db
def test_page_numbers_and_sizes(api):
    made = [factories.make_initiative(state="published") for _ in range(5)]
    first = api.get(LIST_URL, {"page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["previous"] is None
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()
    assert third["next"] is None and len(third["results"]) == 1
    walked = [row["slug"] for page in (first, second, third) for row in page["results"]]
    assert sorted(walked) == sorted(i.slug for i in made)
    assert api.get(LIST_URL, {"page": 99}).status_code == 404


@pytest.mark.django_db
def test_page_size_is_capped_at_100(api, contributor):
    for _ in range(3):
        factories.make_initiative(state="published", owner=contributor)
    assert api.get(LIST_URL, {"page_size": 1000}).json()["count"] == 3
    from initiatives.api.pagination import InitiativePagination

    assert InitiativePagination.max_page_size == 100


@pytest.mark.django_db
def test_cursor_walk_returns_each_record_once_in_update_order(api):
    made = [factories.make_initiative(state="published") for _ in range(7)]
    seen, until = _walk(api, page_size=3)
    assert seen == [i.slug for i in sorted(made, key=lambda i: (i.updated_at, i.pk))]
    assert until


@pytest.mark.django_db
def test_incremental_sync_misses_nothing_and_repeats_nothing_within_a_pass(api, client_for, curator):
    made = [factories.make_initiative(state="published") for _ in range(6)]
    editor = client_for(curator)
    first = api.get(LIST_URL, {"mode": "cursor", "page_size": 2}).json()
    seen = [row["slug"] for row in first["results"]]
    until = first["sync_until"]
    # While the walk goes on, a record already seen and one not yet seen both change,
    # and a new one is published.
    editor.patch(f"{LIST_URL}{seen[0]}/", {"summary": "Changed during the walk."}, format="json")
    editor.patch(f"{LIST_URL}{made[-1].slug}/", {"summary": "Also changed."}, format="json")
    newcomer = factories.make_initiative(state="published")
    response = api.get(first["next"])
    while True:
        body = response.json()
        seen.extend(row["slug"] for row in body["results"])
        if not body["next"]:
            break
        response = api.get(body["next"])
    assert len(seen) == len(set(seen)), "a record came twice in one pass"
    assert set(seen) == {i.slug for i in made} - {made[-1].slug} | (
        {made[-1].slug} if made[-1].slug in seen else set()
    )
    # The next pass, from the first one's sync_until, brings every change made since.
    second, _ = _walk(api, updated_since=until, page_size=2)
    assert len(second) == len(set(second))
    assert {seen[0], made[-1].slug, newcomer.slug} <= set(second)
    mirrored = set(seen) | set(second)
    assert mirrored == {i.slug for i in made} | {newcomer.slug}


@pytest.mark.django_db
def test_a_pass_with_nothing_new_is_empty(api):
    factories.make_initiative(state="published")
    _, until = _walk(api)
    assert _walk(api, updated_since=until)[0] == []


@pytest.mark.django_db
def test_cursor_walk_applies_filters_and_visibility(api, client_for, contributor):
    mine = factories.make_initiative(owner=contributor, kind="event")
    published = factories.make_initiative(state="published", kind="event")
    factories.make_initiative(state="published", kind="project")
    assert _walk(api, kind="event")[0] == [published.slug]
    assert set(_walk(client_for(contributor), kind="event")[0]) == {mine.slug, published.slug}


@pytest.mark.django_db
def test_updates_to_notes_count_as_changes_for_mirrors(api, contributor):
    initiative = factories.make_initiative(owner=contributor, state="published")
    _, until = _walk(api)
    note = services.update_create(actor=contributor, initiative=initiative, data={"title": "Milestone"})
    # The owner's note waits for a moderator: nothing a mirror can see has changed yet.
    assert _walk(api, updated_since=until)[0] == []
    services.update_approve(actor=factories.moderator(), update=note)
    assert _walk(api, updated_since=until)[0] == [initiative.slug]
