"""GET /api/v1/stats/initiatives/: counts by dimension that agree with the filtered list."""

import random
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import Country, Stakeholder
from initiatives import services
from tests import factories
from tests.api.reading import get_with_sql

STATS_URL = "/api/v1/stats/initiatives/"
LIST_URL = "/api/v1/initiatives/"

SINGLE = ["key_task", "action_line", "global_south", "kind", "status", "year"]
SEVERAL = ["advocacy", "region", "country", "stakeholder_kind"]
# Dimensions whose values the list can filter by, under the filter's own name.
LIST_FILTER = {
    "key_task": "key_task",
    "action_line": "action_line",
    "advocacy": "advocacy",
    "region": "region",
    "global_south": "global_south",
    "country": "country",
    "kind": "kind",
    "status": "status",
}
ACTION_LINES = {
    "multilateral-mechanisms": ["un-gge-oewg-law-and-norms", "new-multilateral-platforms"],
    "global-south": ["south-south-projects", "poverty-reduction-education"],
    "major-power-cooperation": ["bilateral-frameworks"],
    "multi-stakeholder": ["multi-stakeholder-networks"],
}
# Africa, Asia, Americas, Europe, Oceania, and Antarctica, which has no region.
COUNTRIES = ["KE", "EG", "CN", "IN", "JP", "BR", "US", "FR", "DE", "AU", "AQ"]
KINDS = ["project", "dialogue", "event", "network"]
STATUSES = ["planned", "active", "completed", "suspended"]
ADVOCACIES = ["prosperity", "security", "inclusiveness"]
TAGS = ["capacity building", "cert", "data"]


def counts(client, **query) -> list[dict]:
    response = client.get(STATS_URL, query)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def listed(client, **query) -> dict:
    response = client.get(LIST_URL, {**query, "page_size": 100})
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    # These tests ask the list and the counts hundreds of times from one address.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }


@pytest.fixture
def owner(db):
    return factories.contributor()


@pytest.fixture
def catalogue(db, owner):
    """Published records that differ at random in every dimension, some with no countries,
    stakeholders, advocacies, action line or start date; and drafts of one owner."""
    rng = random.Random(2026)
    moderator = factories.moderator()
    stakeholders = ["itu", "undp", "world-bank", "world-internet-conference"]
    for kind in ("academia", "private-sector", "government"):
        stakeholders.append(factories.StakeholderFactory(kind=kind).slug)

    def record(state):
        key_task = rng.choice(list(ACTION_LINES))
        return factories.make_initiative(
            owner=owner,
            state=state,
            moderator_user=moderator,
            key_task=key_task,
            action_line=rng.choice([None, *ACTION_LINES[key_task]]),
            kind=rng.choice(KINDS),
            status=rng.choice(STATUSES),
            start_date=rng.choice([None, "2019-05-01", "2021-01-10", "2021-11-30", "2024-06-01"]),
            countries=rng.sample(COUNTRIES, rng.choice([0, 1, 2, 3])),
            participations=[
                {"stakeholder": slug, "role": "partner"}
                for slug in rng.sample(stakeholders, rng.choice([0, 1, 2, 3]))
            ],
            advocacies=rng.sample(ADVOCACIES, rng.choice([0, 1, 2])),
            tags=rng.sample(TAGS, rng.choice([1, 2])),
        )

    published = [record("published") for _ in range(24)]
    drafts = [record(rng.choice(["draft", "submitted", "rejected"])) for _ in range(4)]
    return {"published": published, "drafts": drafts, "stakeholders": stakeholders}


def _values(row: dict, countries: dict, kinds: dict) -> dict:
    """Each dimension's values for a record as the list represents it."""
    codes = row["countries"]
    regions = {countries[code].region or None for code in codes}
    return {
        "key_task": [row["key_task"]],
        "action_line": [row["action_line"]],
        "advocacy": row["advocacies"] or [None],
        "region": sorted(regions, key=str) or [None],
        "global_south": [any(countries[code].global_south for code in codes)],
        "country": codes or [None],
        "stakeholder_kind": sorted({kinds[p["stakeholder"]] for p in row["stakeholders"]}) or [None],
        "kind": [row["kind"]],
        "status": [row["status"]],
        "year": [int(row["start_date"][:4]) if row["start_date"] else None],
    }


def expected_counts(rows: list[dict], dimensions: list[str]) -> Counter:
    countries = {country.code: country for country in Country.objects.all()}
    kinds = dict(Stakeholder.objects.values_list("slug", "kind"))
    groups = Counter()
    for row in rows:
        values = _values(row, countries, kinds)
        combinations = [()]
        for name in dimensions:
            combinations = [(*before, value) for before in combinations for value in values[name]]
        groups.update(set(combinations))
    return groups


def as_counter(results: list[dict], dimensions: list[str]) -> Counter:
    return Counter({tuple(result[name] for name in dimensions): result["count"] for result in results})


def random_filters(rng: random.Random, catalogue: dict) -> dict:
    choices = {
        "key_task": lambda: rng.choice(list(ACTION_LINES)),
        "kind": lambda: rng.choice(KINDS),
        "status": lambda: rng.choice(STATUSES),
        "region": lambda: rng.choice(["africa", "asia", "americas", "europe"]),
        "global_south": lambda: rng.choice(["true", "false"]),
        "country": lambda: rng.sample(COUNTRIES[:-1], rng.choice([1, 2])),
        "stakeholder": lambda: rng.choice(catalogue["stakeholders"]),
        "advocacy": lambda: rng.choice(ADVOCACIES),
        "tag": lambda: rng.choice(TAGS),
        "q": lambda: rng.choice(["capacity", "incident response", "nothing-matches-this"]),
    }
    names = rng.sample(sorted(choices), rng.choice([0, 1, 1, 2]))
    return {name: choices[name]() for name in names}


@pytest.mark.django_db
def test_counts_agree_with_the_filtered_list_for_random_filters(api, catalogue):
    rng = random.Random(7)
    for _ in range(20):
        filters = random_filters(rng, catalogue)
        page = listed(api, **filters)
        assert len(page["results"]) == page["count"]
        for name in SINGLE:
            results = counts(api, by=name, **filters)
            assert sum(result["count"] for result in results) == page["count"], (filters, name)
        for name in SINGLE + SEVERAL:
            results = counts(api, by=name, **filters)
            assert as_counter(results, [name]) == expected_counts(page["results"], [name]), (filters, name)
            for result in results:
                value = result[name]
                if name not in LIST_FILTER or value is None or name in filters:
                    continue
                narrowed = {**filters, LIST_FILTER[name]: str(value).lower()}
                assert result["count"] == listed(api, **narrowed)["count"], (filters, name, value)


@pytest.mark.django_db
def test_two_dimensions_count_every_pair_a_record_has(api, catalogue):
    rng = random.Random(11)
    for _ in range(6):
        filters = random_filters(rng, catalogue)
        pair = rng.sample(SINGLE + SEVERAL, 2)
        rows = listed(api, **filters)["results"]
        results = counts(api, by=",".join(pair), **filters)
        assert as_counter(results, pair) == expected_counts(rows, pair), (filters, pair)


@pytest.mark.django_db
def test_a_cross_tabulation_by_key_task_and_region(api):
    moderator = factories.moderator()

    def publish(**data):
        return factories.make_initiative(state="published", moderator_user=moderator, **data)

    publish(key_task="global-south", countries=["KE", "CN"])
    publish(key_task="global-south", countries=["KE"], action_line=None)
    publish(key_task="multi-stakeholder", action_line=None, countries=["FR", "DE"], start_date="2021-03-01")
    publish(key_task="multi-stakeholder", action_line=None, countries=[], participations=[])

    assert counts(api, by="key_task,region") == [
        {"key_task": "global-south", "region": "africa", "count": 2},
        {"key_task": "global-south", "region": "asia", "count": 1},
        {"key_task": "multi-stakeholder", "region": "europe", "count": 1},
        {"key_task": "multi-stakeholder", "region": None, "count": 1},
    ]
    assert counts(api, by="region,global_south") == [
        {"region": "africa", "global_south": True, "count": 2},
        {"region": "asia", "global_south": True, "count": 1},
        {"region": "europe", "global_south": False, "count": 1},
        {"region": None, "global_south": False, "count": 1},
    ]
    # Nulls gather the records with no value, last.
    assert counts(api, by="year") == [{"year": 2021, "count": 1}, {"year": None, "count": 3}]
    assert counts(api, by="stakeholder_kind", key_task="multi-stakeholder") == [
        {"stakeholder_kind": "un-body", "count": 1},
        {"stakeholder_kind": None, "count": 1},
    ]
    # Filters narrow the records before they are counted.
    assert counts(api, by="key_task", country="KE") == [{"key_task": "global-south", "count": 2}]


@pytest.mark.django_db
def test_counts_are_read_in_one_query_whatever_the_number_of_groups(api, catalogue):
    with CaptureQueriesContext(connection) as queries:
        results = counts(api, by="country,stakeholder_kind", kind="project")
    assert len(results) > 5
    grouped = [query for query in queries.captured_queries if "GROUP BY" in query["sql"]]
    assert len(grouped) == 1
    assert len(queries.captured_queries) <= 4, [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
def test_drafts_count_for_those_who_may_see_them_only(api, client_for, catalogue, owner):
    drafts = len(catalogue["drafts"])
    published = len(catalogue["published"])

    def total(client):
        return sum(result["count"] for result in counts(client, by="status"))

    assert total(api) == published
    assert total(client_for(factories.contributor())) == published
    assert total(client_for(owner)) == published + drafts
    assert total(client_for(factories.curator())) == published + drafts
    assert counts(api, by="kind", moderation_state="draft") == []
    assert total(client_for(owner)) == listed(client_for(owner))["count"]


@pytest.mark.django_db
def test_kept_anonymous_counts_change_when_a_record_is_published(api):
    moderator = factories.moderator()
    factories.make_initiative(state="published", moderator_user=moderator, kind="event")
    first = api.get(STATS_URL, {"by": "kind"})
    assert first.json()["results"] == [{"kind": "event", "count": 1}]
    again = api.get(STATS_URL, {"by": "kind"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    draft = factories.make_initiative(kind="event")
    services.initiative_submit(actor=draft.owner, initiative=draft)
    services.initiative_approve(actor=moderator, initiative=draft)
    assert api.get(STATS_URL, {"by": "kind"}).json()["results"] == [{"kind": "event", "count": 2}]


@pytest.mark.django_db
def test_a_repeated_anonymous_count_is_served_without_reading_the_records(api, client_for):
    factories.make_initiative(state="published", kind="event")
    url = f"{STATS_URL}?by=kind,year"
    first, first_sql = get_with_sql(api, url)
    again, again_sql = get_with_sql(api, url)
    assert any("GROUP BY" in statement for statement in first_sql)
    assert not any("initiatives_initiative" in statement for statement in again_sql)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    # Signed-in callers may see drafts: their answers are never the kept ones.
    owner = factories.contributor()
    factories.make_initiative(owner=owner, kind="event")
    mine = client_for(owner).get(STATS_URL, {"by": "kind"})
    assert mine.json()["results"] == [{"kind": "event", "count": 2}]
    assert api.get(STATS_URL, {"by": "kind"}).json()["results"] == [{"kind": "event", "count": 1}]


@pytest.mark.django_db
def test_counts_as_csv(api):
    factories.make_initiative(state="published", kind="event", start_date="2020-02-02")
    factories.make_initiative(state="published", kind="event")
    response = api.get(STATS_URL, {"by": "kind,year", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="initiatives-by-kind-year.csv"' in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == ["kind,year,count", "event,2020,1", "event,,1"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Name one or two dimensions"),
        ({"by": ""}, "Name one or two dimensions"),
        ({"by": " , "}, "Name one or two dimensions"),
        ({"by": "tag"}, "Unknown dimension: 'tag'"),
        ({"by": "key_task,Region"}, "Unknown dimension: 'Region'"),
        ({"by": "kind,kind"}, "Name each dimension once"),
        ({"by": "kind,status,year"}, "at most 2 dimensions"),
    ],
)
def test_a_bad_by_is_a_400_on_by(api, query, message):
    response = api.get(STATS_URL, query)
    assert response.status_code == 400
    assert message in response.json()["by"][0]


@pytest.mark.django_db
def test_bad_filters_are_refused_as_the_list_refuses_them(api):
    for query in ({"country": "ZZ"}, {"global_south": "perhaps"}, {"key_task": "nope"}, {"tag": "unknown"}):
        listed_answer = api.get(LIST_URL, query)
        counted = api.get(STATS_URL, {"by": "kind", **query})
        assert listed_answer.status_code == counted.status_code == 400
        assert counted.json().keys() == listed_answer.json().keys()
    # Both faults at once are both named; a CSV request still hears of them in JSON.
    both = api.get(STATS_URL, {"by": "nope", "kind": "nope", "format": "csv"})
    assert both.status_code == 400
    assert {"by", "kind"} <= both.json().keys()
    assert api.get(STATS_URL, {"by": "kind", "kind": ["event", "project"]}).status_code == 400


@pytest.mark.django_db
def test_the_schema_documents_the_dimensions_and_the_answer(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][STATS_URL]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert parameters["by"]["required"] is True
    offered = set(parameters["by"]["schema"]["enum"])
    assert {"key_task", "year", "key_task,region", "region,key_task"} <= offered
    assert "kind,kind" not in offered
    assert {"country", "tag", "q", "global_south"} <= parameters.keys()
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/Counts"}
