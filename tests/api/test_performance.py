"""What keeps the initiatives list cheap on a large catalogue: narrow counts, early 304s,
an index-friendly cursor, stored search vectors and a bounded ranking."""

import pytest
from django.db import connection

from api import answers
from initiatives import services
from initiatives.selectors import search
from tests import factories
from tests.api.reading import LIST_URL, slugs
from tests.api.reading import get_with_sql as _get


@pytest.mark.django_db
def test_the_page_count_does_not_join_initiatives_to_themselves(api):
    target = factories.make_initiative(state="published", title="Kept record")
    merged = factories.make_initiative(state="published", title="Merged record")
    type(merged).objects.filter(pk=merged.pk).update(merged_into=target)
    response, sql = _get(api, LIST_URL)
    rows = {row["slug"]: row for row in response.json()["results"]}
    assert response.json()["count"] == 2
    assert rows[merged.slug]["merged_into"] == target.slug
    (count,) = [statement for statement in sql if "COUNT(" in statement.upper()]
    assert "JOIN" not in count.upper()


@pytest.mark.django_db
def test_a_304_is_answered_from_ids_and_versions_alone(api, client_for, contributor):
    initiative = factories.make_initiative(owner=contributor, state="published")
    factories.make_initiative(state="published")
    detail = f"{LIST_URL}{initiative.slug}/"
    for client in (api, client_for(contributor)):
        client.get("/api/v1/key-tasks/")
        for url, most in ((detail, 1), (LIST_URL, 2), (f"{LIST_URL}?mode=cursor", 1)):
            full, _ = _get(client, url)
            again, sql = _get(client, url, HTTP_IF_NONE_MATCH=full["ETag"])
            assert again.status_code == 304 and again.content == b"", url
            assert again["ETag"] == full["ETag"]
            reads = [statement for statement in sql if "initiatives_initiative" in statement]
            assert len(reads) <= most, (url, sql)
            assert not any("initiatives_revision" in statement for statement in sql), url
    # The ETag still follows the record and the caller.
    services.initiative_edit(actor=contributor, initiative=initiative, data={"summary": "Changed."})
    before = _get(api, detail)[0]["ETag"]
    assert api.get(detail, HTTP_IF_NONE_MATCH=before).status_code == 304
    assert client_for(contributor).get(detail, HTTP_IF_NONE_MATCH=before).status_code == 200


@pytest.mark.django_db
def test_a_deep_cursor_page_starts_at_the_cursor(api):
    for number in range(7):
        factories.make_initiative(state="published", title=f"Record {number}")
    seen = []
    response, sql = _get(api, f"{LIST_URL}?mode=cursor&page_size=3")
    while True:
        seen += [row["slug"] for row in response.json()["results"]]
        if not response.json()["next"]:
            break
        response, sql = _get(api, response.json()["next"])
        (page,) = [statement for statement in sql if "initiatives_initiative" in statement]
        assert '"updated_at" >= ' in page
    assert len(seen) == len(set(seen)) == 7


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="stored vectors are PostgreSQL's")
def test_search_reads_the_stored_vectors_and_they_follow_edits(api, contributor):
    initiative = factories.make_initiative(
        owner=contributor, title="Maritime routing", summary="Shipping lanes.", state="draft"
    )
    services.initiative_edit(
        actor=contributor, initiative=initiative, data={"title": "Satellite 卫星导航 agreements"}
    )
    services.initiative_submit(actor=contributor, initiative=initiative)
    services.initiative_approve(actor=factories.moderator(), initiative=initiative)
    assert slugs(api.get(LIST_URL, {"q": "agreement"})) == [initiative.slug]
    assert slugs(api.get(LIST_URL, {"q": "导航"})) == [initiative.slug]
    assert slugs(api.get(LIST_URL, {"q": "maritime"})) == []
    response, sql = _get(api, f"{LIST_URL}?q=agreements")
    assert response.status_code == 200
    assert any("search_vector_english" in statement for statement in sql)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL's")
def test_only_the_latest_matches_are_ranked_and_every_match_is_still_listed(api, monkeypatch):
    old_title_hit = factories.make_initiative(state="published", title="Harbour security", summary="Ports.")
    body_hits = [
        factories.make_initiative(state="published", title=f"Port {n}", summary="Harbour exchange.")
        for n in range(3)
    ]
    newest_title_hit = factories.make_initiative(state="published", title="Harbour pilots", summary="Ports.")
    # Everything is ranked when the matches are few: title hits first.
    assert slugs(api.get(LIST_URL, {"q": "harbour"}))[:2] == [newest_title_hit.slug, old_title_hit.slug]
    monkeypatch.setattr(search, "SEARCH_RANKED_CANDIDATES", 3)
    answers.forget_all()  # the answer kept above was ranked the other way
    response = api.get(LIST_URL, {"q": "harbour"})
    assert response.json()["count"] == 5
    # The three latest are ranked (the title hit first); the older ones follow by recency.
    assert slugs(response) == [
        newest_title_hit.slug,
        body_hits[2].slug,
        body_hits[1].slug,
        body_hits[0].slug,
        old_title_hit.slug,
    ]
