"""A record's results on its page (progress towards each target, periods, the notes on each
indicator) and the page of small forms that edits them through the edit service."""

import pytest

from initiatives import services
from initiatives.models import Indicator, PendingRevision, Result
from tests import factories

pytestmark = pytest.mark.django_db

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
                    {"start": "2025-07-01", "end": "2025-12-31", "actual": 82},
                    {"start": "2025-01-01", "end": "2025-06-30", "actual": 50},
                ],
            },
            {
                "name": "Drills held",
                "baseline": 0,
                "periods": [{"start": "2025-01-01", "end": "2025-12-31", "actual": 3}],
            },
        ],
    }
]


def results_url(initiative) -> str:
    return f"/initiatives/{initiative.slug}/results/"


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_page_shows_progress_towards_each_target(client, contributor):
    initiative = factories.make_initiative(owner=contributor, state="published", results=RESULTS)
    staff = Indicator.objects.get(name="Staff trained")
    services.update_create(
        actor=factories.curator(),
        initiative=initiative,
        data={"title": "Second cohort done", "indicator": staff},
    )

    content = client.get(initiative.get_absolute_url()).content.decode()

    assert 'id="results"' in content
    # (82 − 20) / (120 − 20): the latest period's value, not the first one's.
    assert "62 % of target" in content
    assert '<progress max="100" value="62"' in content
    assert content.count("<progress") == 1  # none for the indicator without a target
    assert "Drills held" in content and "Second cohort done" in content
    assert 'Reports progress on “<span lang="en">Staff trained</span>”' in content
    assert "Edit results" not in content


def test_progress_stays_between_nothing_and_the_whole(client, contributor):
    beyond = [
        {
            "title": "R",
            "indicators": [
                {
                    "name": "I",
                    "baseline": 10,
                    "target": 20,
                    "periods": [{"start": "2025-01-01", "end": "2025-01-31", "actual": 35}],
                }
            ],
        }
    ]
    behind = [
        {
            "title": "R",
            "indicators": [
                {
                    "name": "I",
                    "baseline": 10,
                    "target": 20,
                    "periods": [{"start": "2025-01-01", "end": "2025-01-31", "actual": 4}],
                }
            ],
        }
    ]
    ahead = factories.make_initiative(owner=contributor, state="published", results=beyond)
    late = factories.make_initiative(owner=contributor, state="published", results=behind)

    assert "100 % of target" in client.get(ahead.get_absolute_url()).content.decode()
    assert "0 % of target" in client.get(late.get_absolute_url()).content.decode()


def test_an_owner_builds_results_step_by_step(client, contributor):
    initiative = factories.make_initiative(owner=contributor)
    web = signed_in(client, contributor)
    assert "Edit results" in web.get(initiative.get_absolute_url()).content.decode()
    url = results_url(initiative)

    def post(**data):
        initiative.refresh_from_db()
        response = web.post(url, {"version": initiative.version, **data})
        assert response.status_code == 302, response.content.decode()

    post(step="add_result", title="Exercises held")
    post(step="add_indicator", result=0, name="Exercises", unit="", baseline="0", target="10")
    post(step="add_period", result=0, indicator=0, start="2025-01-01", end="2025-06-30", actual="4")
    post(step="add_period", result=0, indicator=0, start="2025-07-01", end="2025-12-31", actual="7")
    post(step="rename_result", result=0, title="Regional exercises held")
    post(
        step="edit_indicator",
        result=0,
        indicator=0,
        name="Exercises",
        unit="drills",
        baseline="1",
        target="10",
    )
    post(step="delete_period", result=0, indicator=0, period=0)

    result = Result.objects.get(initiative=initiative)
    indicator = result.indicators.get()
    assert result.title == "Regional exercises held"
    assert (indicator.unit, indicator.baseline, indicator.target) == ("drills", 1, 10)
    assert [period.actual for period in indicator.periods.all()] == [7]
    assert "67 % of target" in web.get(initiative.get_absolute_url()).content.decode()

    post(step="delete_indicator", result=0, indicator=0)
    assert not Indicator.objects.exists()
    post(step="delete_result", result=0)
    assert not Result.objects.exists()


def test_a_step_on_a_stale_page_is_refused_with_a_form_error(client, contributor):
    initiative = factories.make_initiative(owner=contributor, results=RESULTS)
    loaded_at = initiative.version
    services.initiative_edit(actor=contributor, initiative=initiative, data={"summary": "Changed meanwhile."})

    response = signed_in(client, contributor).post(
        results_url(initiative), {"step": "add_result", "title": "Late", "version": loaded_at}
    )

    assert response.status_code == 400
    assert "changed by someone else since you opened it" in response.content.decode()
    assert not Result.objects.filter(title="Late").exists()


def test_faulty_steps_are_form_errors(client, contributor):
    initiative = factories.make_initiative(owner=contributor, results=RESULTS)
    web = signed_in(client, contributor)
    base = {"version": initiative.version, "result": 0, "indicator": 0}

    backwards = web.post(
        results_url(initiative), {**base, "step": "add_period", "start": "2025-05-01", "end": "2025-01-01"}
    )
    not_a_number = web.post(
        results_url(initiative), {**base, "step": "edit_indicator", "name": "x", "target": "lots"}
    )
    gone = web.post(results_url(initiative), {**base, "result": 7, "step": "delete_result"})

    assert (
        backwards.status_code == 400 and "A period cannot end before it starts." in backwards.content.decode()
    )
    assert not_a_number.status_code == 400 and "Enter a number." in not_a_number.content.decode()
    assert gone.status_code == 400 and "no longer on the page" in gone.content.decode()
    assert Indicator.objects.get(name="Staff trained").periods.count() == 2


def test_a_dialogue_offers_no_results(client, contributor):
    initiative = factories.make_initiative(owner=contributor, kind="dialogue")
    web = signed_in(client, contributor)
    assert "Edit results" not in web.get(initiative.get_absolute_url()).content.decode()
    response = web.post(
        results_url(initiative), {"step": "add_result", "title": "R", "version": initiative.version}
    )
    assert response.status_code == 400
    assert "Only projects and programmes have results" in response.content.decode()


def test_a_contributors_step_on_a_published_record_waits_for_a_moderator(client, contributor):
    initiative = factories.make_initiative(owner=contributor, state="published")
    web = signed_in(client, contributor)

    response = web.post(
        results_url(initiative),
        {"step": "add_result", "title": "Proposed", "version": initiative.version},
        follow=True,
    )

    assert "waiting for a moderator" in response.content.decode()
    assert not Result.objects.exists()
    assert PendingRevision.objects.get().snapshot["results"][0]["title"] == "Proposed"
    # The page goes on from the proposal, so further steps add to it.
    assert "Proposed" in web.get(results_url(initiative)).content.decode()


def test_the_note_form_offers_the_records_indicators(client, contributor):
    initiative = factories.make_initiative(owner=contributor, results=RESULTS)
    web = signed_in(client, contributor)
    staff = Indicator.objects.get(name="Staff trained")

    page = web.get(initiative.get_absolute_url()).content.decode()
    response = web.post(
        f"/initiatives/{initiative.slug}/updates/",
        {"kind": "progress", "date": "2025-12-31", "title": "Cohort two", "indicator": staff.pk},
    )

    assert 'name="indicator"' in page and "National CERTs trained – Staff trained" in page
    assert response.status_code == 302
    assert initiative.updates.get().indicator == staff


def test_the_statistics_page_counts_records_with_results_by_key_task(client, contributor):
    factories.make_initiative(owner=contributor, state="published", results=RESULTS)
    factories.make_initiative(owner=contributor, state="published")

    content = client.get("/statistics/").content.decode()

    assert "Records with results, by key task" in content
    table = content.split('id="results-by-key-task-table"')[1].split("</table>")[0]
    assert '<th scope="row">2. The Global South</th><td>1</td>' in table
