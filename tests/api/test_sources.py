"""Sources through the API: their details go in and come back as written, only a curator's
`checked` counts, and bad details are 400s on the link that holds them."""

import pytest

from initiatives import services
from initiatives.models import Revision
from tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/initiatives/"
SOURCE = "https://example.org/source"
REPORT = {
    "url": "https://www.itu.int/report",
    "title": "全球网络安全指数",
    "publisher": "ITU",
    "language": "zh-hans",
    "published_on": "2024-05-01",
    "accessed_on": "2024-06-02",
}


def detail(initiative) -> str:
    return f"{LIST_URL}{initiative.slug}/"


def test_the_details_of_a_source_go_in_and_come_back(client_for, contributor, api):
    data = factories.initiative_data(links=[REPORT, {"url": SOURCE}])

    created = client_for(contributor).post(LIST_URL, data, format="json")

    assert created.status_code == 201, created.json()
    report, plain = created.json()["links"]
    assert report == {**REPORT, "checked": False, "checked_by": None, "checked_at": None}
    assert plain == {
        "url": SOURCE,
        "title": "",
        "publisher": "",
        "language": "",
        "published_on": None,
        "accessed_on": None,
        "checked": False,
        "checked_by": None,
        "checked_at": None,
    }
    slug = created.json()["slug"]
    assert client_for(contributor).get(f"{LIST_URL}{slug}/").json()["links"] == [report, plain]
    history = client_for(contributor).get(f"{LIST_URL}{slug}/history/").json()
    entries = history["results"] if isinstance(history, dict) else history
    assert entries[0]["snapshot"]["links"][0]["publisher"] == "ITU"


def test_a_contributors_checked_is_ignored_and_the_state_kept(client_for, contributor):
    initiative = factories.make_initiative(owner=contributor)
    services.source_check(
        actor=factories.curator(username="cora"), initiative=initiative, url=SOURCE, checked=True
    )
    initiative.refresh_from_db()

    response = client_for(contributor).patch(
        detail(initiative),
        {"links": [{"url": SOURCE, "checked": False}, {"url": "https://example.org/new", "checked": True}]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    kept, new = response.json()["links"]
    assert (kept["checked"], kept["checked_by"]) == (True, "cora")
    assert kept["checked_at"].endswith("Z")
    assert (new["checked"], new["checked_by"], new["checked_at"]) == (False, None, None)


def test_a_curator_checks_a_source_through_the_api(client_for, curator):
    initiative = factories.make_initiative(state="published")

    response = client_for(curator).patch(
        detail(initiative), {"links": [{"url": SOURCE, "checked": True}]}, format="json"
    )

    assert response.status_code == 200, response.json()
    (link,) = response.json()["links"]
    assert (link["checked"], link["checked_by"]) == (True, curator.username)
    latest = Revision.objects.filter(initiative=initiative).order_by("-version").first()
    assert latest.actor == curator


def test_anyone_reads_who_checked_a_source_as_the_history_names_who_wrote_a_version(api):
    # Usernames are public in the API (owner, collaborators, the history's actors); the
    # curator who checked a source is named the same way, in the record and its history.
    curator = factories.curator(username="cora")
    initiative = factories.make_initiative(state="published")
    services.source_check(actor=curator, initiative=initiative, url=SOURCE, checked=True)

    (link,) = api.get(detail(initiative)).json()["links"]
    history = api.get(f"{detail(initiative)}history/").json()["results"]

    assert link["checked_by"] == "cora"
    assert history[0]["actor"] == "cora"


def test_a_bad_date_or_language_of_a_source_is_a_400_on_its_field(client_for, contributor):
    initiative = factories.make_initiative(owner=contributor)

    response = client_for(contributor).patch(
        detail(initiative),
        {"links": [{"url": SOURCE}, {"url": SOURCE, "published_on": "May 2024", "language": "fr"}]},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["links"]) == {"1"}
    assert set(response.json()["links"]["1"]) == {"published_on", "language"}


def test_a_source_accessed_before_it_was_published_is_a_400(client_for, contributor):
    initiative = factories.make_initiative(owner=contributor)
    version = initiative.version

    response = client_for(contributor).patch(
        detail(initiative),
        {"links": [{"url": SOURCE, "published_on": "2024-06-02", "accessed_on": "2024-05-01"}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["links"] == {
        "0": {"accessed_on": ["A source cannot be accessed before it was published."]}
    }
    initiative.refresh_from_db()
    assert initiative.version == version


def test_checked_must_be_true_or_false(client_for, contributor):
    initiative = factories.make_initiative(owner=contributor)

    response = client_for(contributor).patch(
        detail(initiative), {"links": [{"url": SOURCE, "checked": "maybe"}]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["links"] == ["Expected true or false. (links[0].checked)"]


def test_the_catalogue_filters_records_by_whether_a_source_was_checked(api, curator):
    checked = factories.make_initiative(state="published")
    services.source_check(actor=curator, initiative=checked, url=SOURCE, checked=True)
    unchecked = factories.make_initiative(state="published")
    sourceless = factories.make_initiative(state="published", links=[])

    def slugs(value):
        response = api.get(LIST_URL, {"source_checked": value})
        assert response.status_code == 200
        return {row["slug"] for row in response.json()["results"]}

    assert slugs("true") == {checked.slug}
    assert slugs("false") == {unchecked.slug, sourceless.slug}
    assert api.get(LIST_URL, {"source_checked": "perhaps"}).status_code == 400
