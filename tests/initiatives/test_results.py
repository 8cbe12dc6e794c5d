"""Results and indicators are part of a record's content: written through the same edit,
moderated, kept in the history and restored like any other field."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from initiatives import services
from initiatives.history import snapshot_of
from initiatives.models import Indicator, IndicatorPeriod, PendingRevision, Result, Revision
from tests import factories

RESULTS = [
    {
        "title": "National CERTs trained",
        "indicators": [
            {
                "name": "Staff trained",
                "unit": "people",
                "baseline": "0",
                "target": "200",
                "periods": [
                    {"start": "2025-07-01", "end": "2025-12-31", "actual": "124.00"},
                    {"start": "2025-01-01", "end": "2025-06-30", "actual": 40},
                ],
            }
        ],
    }
]


def test_results_are_written_with_the_record_and_kept_in_its_snapshot(contributor):
    initiative = factories.make_initiative(owner=contributor, results=RESULTS)

    (result,) = initiative.results.all()
    (indicator,) = result.indicators.all()
    assert (indicator.baseline, indicator.target) == (Decimal("0"), Decimal("200"))
    assert [p.actual for p in indicator.periods.all()] == [Decimal("40"), Decimal("124")]
    snapshot = Revision.objects.get(initiative=initiative).snapshot
    assert snapshot["results"] == [
        {
            "id": result.pk,
            "title": "National CERTs trained",
            "indicators": [
                {
                    "id": indicator.pk,
                    "name": "Staff trained",
                    "unit": "people",
                    "baseline": "0",
                    "target": "200",
                    "periods": [
                        {"start": "2025-01-01", "end": "2025-06-30", "actual": "40"},
                        {"start": "2025-07-01", "end": "2025-12-31", "actual": "124"},
                    ],
                }
            ],
        }
    ]
    assert snapshot == snapshot_of(initiative)


def test_an_edit_naming_ids_updates_in_place_and_drops_what_is_left_out(contributor):
    initiative = factories.make_initiative(owner=contributor, results=RESULTS)
    current = snapshot_of(initiative)["results"]
    indicator_id = current[0]["indicators"][0]["id"]
    note = services.update_create(
        actor=contributor, initiative=initiative, data={"title": "Half way", "indicator": indicator_id}
    )
    current[0]["indicators"][0]["target"] = "250"
    edited = [current[0], {"title": "Exercises held", "indicators": []}]

    services.initiative_edit(actor=contributor, initiative=initiative, data={"results": edited})

    assert [r.title for r in initiative.results.all()] == ["National CERTs trained", "Exercises held"]
    indicator = Indicator.objects.get()
    assert (indicator.pk, indicator.target) == (indicator_id, Decimal("250"))
    note.refresh_from_db()
    assert note.indicator_id == indicator_id

    services.initiative_edit(actor=contributor, initiative=initiative, data={"results": [edited[1]]})
    assert list(initiative.results.values_list("title", flat=True)) == ["Exercises held"]
    assert not Indicator.objects.exists()
    note.refresh_from_db()
    assert note.indicator_id is None


def test_the_same_results_again_make_no_new_version(contributor):
    initiative = factories.make_initiative(owner=contributor, results=RESULTS)
    same = snapshot_of(initiative)["results"]
    same[0]["indicators"][0]["target"] = "200.000"

    services.initiative_edit(actor=contributor, initiative=initiative, data={"results": same})

    assert Revision.objects.filter(initiative=initiative).count() == 1


def test_only_projects_and_programmes_have_results(contributor):
    with pytest.raises(ValidationError) as caught:
        factories.make_initiative(owner=contributor, kind="dialogue", results=RESULTS)
    assert "results" in caught.value.message_dict

    programme = factories.make_initiative(owner=contributor, kind="programme", results=RESULTS)
    with pytest.raises(ValidationError) as caught:
        services.initiative_edit(actor=contributor, initiative=programme, data={"kind": "dialogue"})
    assert "Only projects and programmes have results" in caught.value.message_dict["results"][0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"target": "lots"}, "“lots” is not a number"),
        ({"baseline": "1.23456"}, "at most 11 digits before the decimal point and 4 after"),
        ({"target": "1e999999999"}, "at most 11 digits before the decimal point and 4 after"),
        ({"periods": [{"start": "2025-05-01", "end": "2025-01-01", "actual": "1"}]}, "cannot end before"),
        ({"periods": [{"start": "May", "end": "2025-01-01", "actual": "1"}]}, "give a date"),
        ({"name": ""}, "Give each indicator a name"),
        ({"id": 999999}, "Unknown indicator id: 999999"),
    ],
)
def test_faulty_results_are_refused_on_the_field(contributor, change, message):
    initiative = factories.make_initiative(owner=contributor)
    indicator = {**RESULTS[0]["indicators"][0], **change}

    with pytest.raises(ValidationError) as caught:
        services.initiative_edit(
            actor=contributor,
            initiative=initiative,
            data={"results": [{"title": "A result", "indicators": [indicator]}]},
        )

    assert message in " ".join(caught.value.message_dict["results"])
    assert not Result.objects.exists()


def test_too_many_periods_are_refused(contributor):
    initiative = factories.make_initiative(owner=contributor)
    day = datetime.date(2020, 1, 1)
    periods = [
        {"start": day + datetime.timedelta(days=n), "end": day + datetime.timedelta(days=n)}
        for n in range(41)
    ]
    with pytest.raises(ValidationError) as caught:
        services.initiative_edit(
            actor=contributor,
            initiative=initiative,
            data={"results": [{"title": "R", "indicators": [{"name": "I", "periods": periods}]}]},
        )
    assert "at most 40 periods" in caught.value.message_dict["results"][0]


def test_the_database_refuses_a_period_that_ends_before_it_starts(contributor):
    initiative = factories.make_initiative(owner=contributor, results=RESULTS)
    indicator = Indicator.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorPeriod.objects.create(
            indicator=indicator, start=datetime.date(2025, 2, 1), end=datetime.date(2025, 1, 1)
        )
    assert initiative.results.count() == 1


def test_a_contributors_edit_of_a_published_record_proposes_the_results(contributor, moderator):
    initiative = factories.make_initiative(owner=contributor, state="published")

    proposal = services.initiative_edit(actor=contributor, initiative=initiative, data={"results": RESULTS})

    assert isinstance(proposal, PendingRevision)
    assert proposal.snapshot["results"][0]["indicators"][0]["target"] == "200"
    assert not initiative.results.exists()
    assert "results" in services.revision_diff(proposal)

    services.revision_approve(actor=moderator, revision=proposal)
    assert Indicator.objects.get().target == Decimal("200")
    assert Revision.objects.filter(initiative=initiative).latest("version").action == "revision"


def test_restore_brings_back_earlier_results_and_old_versions_leave_them_be(contributor, curator):
    initiative = factories.make_initiative(owner=contributor, results=RESULTS)
    services.initiative_edit(actor=contributor, initiative=initiative, data={"results": []})
    assert not initiative.results.exists()

    services.initiative_restore(actor=curator, initiative=initiative, version=1)
    initiative.refresh_from_db()
    restored = snapshot_of(initiative)["results"]
    assert restored[0]["indicators"][0]["periods"][1]["actual"] == "124"

    # A version written before records had results says nothing about them.
    first = Revision.objects.get(initiative=initiative, version=1)
    first.snapshot.pop("results")
    first.save()
    services.initiative_edit(actor=contributor, initiative=initiative, data={"summary": "Changed."})
    services.initiative_restore(actor=curator, initiative=initiative, version=1)
    assert initiative.results.get().title == "National CERTs trained"


def test_a_note_reports_against_an_indicator_of_its_own_record_only(contributor):
    initiative = factories.make_initiative(owner=contributor, results=RESULTS)
    other = factories.make_initiative(owner=contributor, results=RESULTS)
    foreign = Indicator.objects.get(result__initiative=other)

    with pytest.raises(ValidationError) as caught:
        services.update_create(
            actor=contributor, initiative=initiative, data={"title": "Progress", "indicator": foreign}
        )
    assert "indicator" in caught.value.message_dict
