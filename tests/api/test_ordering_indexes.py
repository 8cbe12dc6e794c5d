"""Every ordering of the published list is read from an index in that order, never sorted.

The catalogue here is a few thousand rows written straight to the table and analysed, so
that PostgreSQL plans as it would for a real one: reading the first page of a sorted list
through an index beats sorting the table only when the index exists.
"""

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone

from governance.models import KeyTask
from initiatives.choices import ModerationState
from initiatives.models import Initiative, Revision
from tests import factories
from tests.api.reading import LIST_URL
from tests.api.reading import get_with_sql as _get

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's"),
]

ORDERINGS = [
    "title",
    "-title",
    "published_at",
    "-published_at",
    "start_date",
    "-start_date",
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
]
ROWS = 3000


@pytest.fixture
def catalogue(db):
    owner = factories.contributor()
    key_task = KeyTask.objects.get(slug="global-south")
    now = timezone.now()
    states = [ModerationState.PUBLISHED] * 8 + [ModerationState.DRAFT, ModerationState.ARCHIVED]
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
                owner=owner,
                moderation_state=state,
                created_at=moment,
                updated_at=moment,
                # Some records have no start date: the index must order the NULLs as the query does.
                start_date=None
                if number % 13 == 0
                else (moment - datetime.timedelta(days=number % 400)).date(),
                published_at=moment if state != ModerationState.DRAFT else None,
            )
        )
    Initiative.objects.bulk_create(rows, batch_size=1000)
    # The API reads relations from the current version's snapshot.
    Revision.objects.bulk_create(
        [Revision(initiative=row, version=1, action="create", snapshot={"title": row.title}) for row in rows],
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE initiatives_initiative")


def _page_query(sql: list[str], ordering: str) -> str:
    """The statement that orders the list and cuts a page from it."""
    order = f'ORDER BY "initiatives_initiative"."{ordering.lstrip("-")}"'
    return next(s for s in sql if s.startswith('SELECT "initiatives_initiative"') and order in s)


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _plan(statement: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {statement}")
        (row,) = cursor.fetchall()
    document = row[0] if isinstance(row[0], list) else json.loads(row[0])
    return list(_nodes(document[0]["Plan"]))


def _assert_read_in_order(statement: str, ordering: str):
    nodes = _plan(statement)
    kinds = [node["Node Type"] for node in nodes]
    assert "Sort" not in kinds and "Incremental Sort" not in kinds, (ordering, kinds, statement)
    scans = [node for node in nodes if node["Node Type"] in ("Index Scan", "Index Only Scan")]
    assert scans, (ordering, kinds)


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_the_api_list_reads_each_ordering_from_an_index(api, catalogue, ordering):
    response, sql = _get(api, f"{LIST_URL}?ordering={ordering}")
    assert response.status_code == 200
    assert response.json()["count"] == ROWS * 8 // 10
    _assert_read_in_order(_page_query(sql, ordering), ordering)


@pytest.mark.parametrize("ordering", ["title", "-published_at", "start_date", "-start_date", "-updated_at"])
def test_the_browse_page_reads_each_ordering_from_an_index(client, catalogue, ordering):
    response, sql = _get(client, f"/initiatives/?ordering={ordering}")
    assert response.status_code == 200
    _assert_read_in_order(_page_query(sql, ordering), ordering)


def test_ties_are_broken_by_id_so_pages_neither_repeat_nor_skip(api, catalogue):
    Initiative.objects.filter(moderation_state=ModerationState.PUBLISHED).update(title="Same")
    seen = []
    for page in (1, 2, 3):
        response = api.get(f"{LIST_URL}?ordering=-title&page_size=50&page={page}")
        seen += [row["slug"] for row in response.json()["results"]]
    ids = list(Initiative.objects.filter(slug__in=seen).order_by("-id").values_list("slug", flat=True))
    assert seen == ids and len(set(seen)) == 150
