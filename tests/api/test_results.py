"""Results in the API: nested on the record, read from its snapshot, written through the same
edit (and moderation) as the rest of it, refused field by field when wrong."""

import pytest

from initiatives.models import Indicator, PendingRevision, Result
from tests import factories

LIST_URL = "/api/v1/initiatives/"
STATS_URL = "/api/v1/stats/initiatives/"

RESULTS = [
    {
        "title": "National CERTs trained",
        "indicators": [
            {
                "name": "Staff trained",
                "unit": "people",
                "baseline": 20,
                "target": 120,
                "periods": [
                    {"start": "2025-01-01", "end": "2025-06-30", "actual": 50},
                    {"start": "2025-07-01", "end": "2025-12-31", "actual": 82.5},
                ],
            },
            {"name": "Drills held", "target": None},
        ],
    }
]


def detail(slug: str) -> str:
    return f"{LIST_URL}{slug}/"


def new_record(**overrides) -> dict:
    data = factories.initiative_data(**overrides)
    data["stakeholders"] = data.pop("participations")
    return data


@pytest.mark.django_db
def test_results_posted_come_back_on_get_with_their_ids(client_for, contributor):
    client = client_for(contributor)

    created = client.post(LIST_URL, new_record(results=RESULTS), format="json")

    assert created.status_code == 201, created.json()
    read = client.get(detail(created.json()["slug"])).json()
    assert read["results"] == created.json()["results"]
    (result,) = read["results"]
    staff, drills = result["indicators"]
    assert result["id"] == Result.objects.get().pk
    assert staff["id"] == Indicator.objects.get(name="Staff trained").pk
    assert (staff["baseline"], staff["target"]) == (20, 120)
    assert staff["periods"] == [
        {"start": "2025-01-01", "end": "2025-06-30", "actual": 50},
        {"start": "2025-07-01", "end": "2025-12-31", "actual": 82.5},
    ]
    assert (drills["unit"], drills["baseline"], drills["target"], drills["periods"]) == ("", None, None, [])
    # Progress towards each target, as the record page shows it: (82.5 - 20) / (120 - 20).
    assert (staff["latest_actual"], staff["progress"]) == (82.5, 62)
    assert (drills["latest_actual"], drills["progress"]) == (None, None)


@pytest.mark.django_db
def test_a_patch_naming_ids_updates_those_items(client_for, contributor):
    client = client_for(contributor)
    slug = client.post(LIST_URL, new_record(results=RESULTS), format="json").json()["slug"]
    results = client.get(detail(slug)).json()["results"]
    staff = results[0]["indicators"][0]
    staff["target"] = 150
    staff["periods"].append({"start": "2026-01-01", "end": "2026-06-30", "actual": 101})
    results[0]["indicators"] = [staff]

    response = client.patch(detail(slug), {"results": results}, format="json")

    assert response.status_code == 200, response.json()
    (indicator,) = Indicator.objects.all()
    assert indicator.pk == staff["id"]
    assert indicator.target == 150
    assert response.json()["results"][0]["indicators"][0]["periods"][-1]["actual"] == 101


@pytest.mark.django_db
def test_a_contributors_patch_of_a_published_record_is_proposed(client_for, contributor):
    initiative = factories.make_initiative(owner=contributor, state="published")

    response = client_for(contributor).patch(detail(initiative.slug), {"results": RESULTS}, format="json")

    assert response.status_code == 202, response.json()
    assert "results" in response.json()["changes"]
    assert PendingRevision.objects.get().snapshot["results"][0]["title"] == "National CERTs trained"
    assert not Result.objects.exists()


def _indicator(**change) -> list[dict]:
    return [{"title": "A result", "indicators": [{**RESULTS[0]["indicators"][0], **change}]}]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("results", "path"),
    [
        (_indicator(target="many"), ["results", 0, "indicators", 0, "target"]),
        (_indicator(baseline=1.234567), ["results", 0, "indicators", 0, "baseline"]),
        (
            _indicator(periods=[{"start": "2025-05-01", "end": "2025-01-01", "actual": 1}]),
            ["results", 0, "indicators", 0, "periods", 0, "end"],
        ),
        (
            _indicator(periods=[{"start": "soon", "end": "2025-01-01"}]),
            ["results", 0, "indicators", 0, "periods", 0, "start"],
        ),
        (_indicator(name=""), ["results", 0, "indicators", 0, "name"]),
        ([{"indicators": []}], ["results", 0, "title"]),
        ("not a list", ["results"]),
        ([{"id": 987654, "title": "R"}], ["results"]),
        (_indicator(id=987654), ["results"]),
    ],
)
def test_faulty_results_are_a_400_on_the_field(client_for, contributor, results, path):
    initiative = factories.make_initiative(owner=contributor)

    response = client_for(contributor).patch(detail(initiative.slug), {"results": results}, format="json")

    assert response.status_code == 400, response.content
    node = response.json()
    for step in path:
        if isinstance(node, list):
            # A value of the wrong JSON type is told on the list field, with where it is.
            assert any(f".{step}" in message or f"[{step}]" in message for message in node), node
            break
        node = node[str(step)]
    assert node and all(isinstance(message, str) for message in node), response.json()
    assert not Result.objects.exists()


@pytest.mark.django_db
def test_results_on_a_dialogue_are_refused(client_for, contributor):
    client = client_for(contributor)
    response = client.post(LIST_URL, new_record(kind="dialogue", results=RESULTS), format="json")
    assert response.status_code == 400
    assert "Only projects and programmes have results" in response.json()["results"][0]


@pytest.mark.django_db
def test_a_note_reports_against_an_indicator_of_its_record(client_for, contributor):
    initiative = factories.make_initiative(owner=contributor, results=RESULTS)
    other = factories.make_initiative(owner=contributor, results=RESULTS)
    indicator = Indicator.objects.filter(result__initiative=initiative).first()
    foreign = Indicator.objects.filter(result__initiative=other).first()
    client = client_for(contributor)
    url = f"{detail(initiative.slug)}updates/"

    created = client.post(url, {"title": "Half way", "indicator": indicator.pk}, format="json")
    refused = client.post(url, {"title": "Elsewhere", "indicator": foreign.pk}, format="json")

    assert created.status_code == 201, created.json()
    assert created.json()["indicator"] == indicator.pk
    assert client.get(url).json()["results"][0]["indicator"] == indicator.pk
    assert refused.status_code == 400 and "indicator" in refused.json()


@pytest.mark.django_db
def test_counts_of_records_with_results_equal_the_list(api, contributor, moderator):
    with_results = [
        factories.make_initiative(
            owner=contributor, state="published", moderator_user=moderator, results=RESULTS
        )
        for _ in range(2)
    ]
    factories.make_initiative(
        owner=contributor,
        state="published",
        moderator_user=moderator,
        key_task="multi-stakeholder",
        action_line=None,
        kind="programme",
        results=RESULTS,
    )
    factories.make_initiative(owner=contributor, state="published", moderator_user=moderator)

    counts = api.get(STATS_URL, {"by": "key_task", "has_results": "true"}).json()["results"]
    listed = api.get(LIST_URL, {"has_results": "true"}).json()
    without = api.get(LIST_URL, {"has_results": "false"}).json()

    assert sum(row["count"] for row in counts) == listed["count"] == 3
    assert {row["key_task"]: row["count"] for row in counts}["global-south"] == len(with_results)
    assert without["count"] == 1
    assert api.get(LIST_URL, {"has_results": "perhaps"}).status_code == 400


@pytest.mark.django_db
def test_a_new_record_takes_no_ids_of_others(client_for, contributor):
    other = factories.make_initiative(owner=contributor, results=RESULTS)
    taken = other.results.get().pk

    response = client_for(contributor).post(
        LIST_URL, new_record(results=[{"id": taken, "title": "Mine"}]), format="json"
    )

    assert response.status_code == 400
    assert response.json()["results"] == [f"Unknown result id: {taken}."]
    assert other.results.get().title == "National CERTs trained"


@pytest.mark.django_db
def test_the_largest_and_finest_values_come_back_exactly(client_for, contributor):
    client = client_for(contributor)
    results = [
        {
            "title": "Funds",
            "indicators": [{"name": "Disbursed", "baseline": 0.0001, "target": 99999999999.9999}],
        }
    ]
    created = client.post(LIST_URL, new_record(results=results), format="json")
    assert created.status_code == 201, created.json()
    read = client.get(detail(created.json()["slug"])).json()
    (indicator,) = read["results"][0]["indicators"]
    assert (indicator["baseline"], indicator["target"]) == (0.0001, 99999999999.9999)
    # What was read is written back unchanged: no new version.
    again = client.patch(detail(read["slug"]), {"results": read["results"]}, format="json")
    assert again.status_code == 200, again.json()
    assert again.json()["version"] == read["version"]
    too_large = [{"title": "Funds", "indicators": [{"name": "Disbursed", "target": 100000000000}]}]
    refused = client.patch(detail(read["slug"]), {"results": too_large}, format="json")
    assert refused.status_code == 400 and "results" in refused.json()
