"""Moderators reading a record in the admin see its results, and a proposal that changes
results, translations, sources or participants reads as lists, not as stored JSON."""

import pytest
from django.urls import reverse

from initiatives import services
from tests import factories

pytestmark = pytest.mark.django_db

RESULTS = [
    {
        "title": "National CERTs trained",
        "indicators": [
            {
                "name": "Staff trained",
                "unit": "people",
                "baseline": "0",
                "target": "200",
                "periods": [{"start": "2025-01-01", "end": "2025-06-30", "actual": "50"}],
            }
        ],
    }
]


def test_a_moderator_reviewing_a_submission_reads_its_results(client, moderator):
    record = factories.make_initiative(state="submitted", results=RESULTS)
    client.force_login(moderator)

    page = client.get(reverse("admin:initiatives_initiative_change", args=[record.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Results and indicators" in text
    row = text[text.index("<table class='results-table'>") :]
    row = row[: row.index("</table>")]
    for cell in ("National CERTs trained", "Staff trained", "people", ">0<", ">200<", ">50<", "25%"):
        assert cell in row, cell


def test_a_record_without_results_says_so(client, curator):
    record = factories.make_initiative(state="published")
    client.force_login(curator)

    page = client.get(reverse("admin:initiatives_initiative_change", args=[record.pk])).content.decode()

    assert "No results" in page


def test_the_results_are_read_in_the_admin_not_edited_there(client, curator):
    record = factories.make_initiative(state="published", results=RESULTS)
    client.force_login(curator)

    page = client.get(reverse("admin:initiatives_initiative_change", args=[record.pk])).content.decode()

    assert "Staff trained" in page
    assert 'name="results' not in page and 'name="indicators' not in page


def test_a_proposal_changing_results_and_translations_reads_as_lists(client, moderator):
    record = factories.make_initiative(state="published", results=RESULTS)
    changed = [
        {
            **RESULTS[0],
            "indicators": [{**RESULTS[0]["indicators"][0], "target": "300"}],
        }
    ]
    proposal = services.initiative_edit(
        actor=record.owner,
        initiative=record,
        data={
            "results": changed,
            "translations": {"zh-hans": {"title": "国家应急团队培训", "summary": "培训", "status": "person"}},
            "links": [{"url": "https://example.org/report", "title": "Annual report", "publisher": "ITU"}],
        },
    )
    client.force_login(moderator)

    page = client.get(reverse("admin:initiatives_pendingrevision_change", args=[proposal.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    table = text[text.index("<table class='revision-difference'>") :]
    table = table[: table.index("</table>")]
    # Readable lists, not the snapshot's JSON.
    assert "{&#x27;" not in table and "[{" not in table and "&quot;indicators&quot;" not in table
    assert "<strong>National CERTs trained</strong>" in table
    assert "Staff trained (people): baseline 0 → target 200" in table
    assert "Staff trained (people): baseline 0 → target 300" in table
    assert "2025-01-01–2025-06-30: 50" in table
    assert "<strong>Simplified Chinese</strong> (translated by a person): 国家应急团队培训" in table
    assert "No translations" in table
    assert "https://example.org/report" in table and "Annual report · ITU" in table
    for label in ("Results", "Translations", "Sources"):
        assert f"<th scope='row'>{label}</th>" in table, label
