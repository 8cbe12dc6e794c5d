"""schema.org JSON-LD on the pages of a record, a stakeholder and a country, and the Atom feed
announced in the head of the lists of records."""

import datetime
import html
import json
import re

import pytest

from governance.models import Stakeholder
from tests import factories

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def _json_ld(response) -> dict:
    assert response.status_code == 200
    scripts = SCRIPT.findall(response.content.decode())
    assert len(scripts) == 1
    return json.loads(scripts[0])


def _names(organizations) -> set:
    return {organization["name"] for organization in organizations}


def test_a_dialogue_is_an_event_with_its_dates_organisers_and_countries(client):
    record = factories.make_initiative(
        state="published",
        title="China–ASEAN cyber dialogue",
        kind="dialogue",
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2026, 4, 3),
        countries=["CN", "KE"],
        participations=[
            {"stakeholder": "undp", "role": "lead"},
            {"stakeholder": "itu", "role": "partner"},
        ],
    )
    data = _json_ld(client.get(record.get_absolute_url()))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "China–ASEAN cyber dialogue"
    assert data["description"] == record.summary
    assert data["url"] == f"http://testserver{record.get_absolute_url()}"
    assert (data["startDate"], data["endDate"]) == ("2026-04-01", "2026-04-03")
    undp = Stakeholder.objects.get(slug="undp")
    assert _names(data["organizer"]) == {undp.name}
    assert data["organizer"][0]["@type"] == "Organization"
    assert data["organizer"][0]["url"] == "http://testserver/stakeholders/undp/"
    assert _names(data["contributor"]) == {Stakeholder.objects.get(slug="itu").name}
    assert {(place["@type"], place["identifier"]) for place in data["location"]} == {
        ("Country", "CN"),
        ("Country", "KE"),
    }


def test_a_project_has_its_funders_members_area_and_keywords(client):
    record = factories.make_initiative(
        state="published",
        kind="project",
        start_date=datetime.date(2025, 1, 1),
        countries=["KE"],
        tags=["capacity building", "CERT"],
        participations=[
            {"stakeholder": "world-bank", "role": "funder"},
            {"stakeholder": "undp", "role": "lead"},
        ],
    )
    data = _json_ld(client.get(record.get_absolute_url()))
    assert data["@type"] == "Project"
    assert data["startDate"] == "2025-01-01" and "endDate" not in data
    assert _names(data["funder"]) == {Stakeholder.objects.get(slug="world-bank").name}
    assert _names(data["member"]) == {Stakeholder.objects.get(slug="undp").name}
    assert [place["identifier"] for place in data["areaServed"]] == ["KE"]
    assert data["keywords"] == "capacity building, CERT"


def test_a_title_cannot_close_the_script_element(client):
    title = 'Ends here </script><script>alert("x")</script> & more'
    record = factories.make_initiative(state="published", title=title, kind="event")
    response = client.get(record.get_absolute_url())
    page = response.content.decode()
    script = SCRIPT.findall(page)[0]
    assert "</script" not in script and "<" not in script and "&" not in script
    assert json.loads(script)["name"] == title
    assert '<script>alert("x")</script>' not in page


def test_a_draft_is_described_only_to_whom_its_page_shows(client, contributor):
    draft = factories.make_initiative(owner=contributor, title="Quiet draft event", kind="event")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(contributor)
    assert _json_ld(client.get(draft.get_absolute_url()))["name"] == "Quiet draft event"


def test_a_stakeholder_is_an_organization_with_its_website(client):
    stakeholder = factories.StakeholderFactory(
        name_en="Open Cyber Institute", acronym="OCI", website="https://oci.example.org/"
    )
    data = _json_ld(client.get(f"/stakeholders/{stakeholder.slug}/"))
    assert data["@type"] == "Organization"
    assert data["name"] == "Open Cyber Institute"
    assert data["alternateName"] == "OCI"
    assert data["url"] == f"http://testserver/stakeholders/{stakeholder.slug}/"
    assert data["sameAs"] == "https://oci.example.org/"
    without = factories.StakeholderFactory(website="")
    assert "sameAs" not in _json_ld(client.get(f"/stakeholders/{without.slug}/"))


def test_a_country_is_a_country_with_its_code_in_the_readers_language(client):
    data = _json_ld(client.get("/countries/KE/"))
    assert (data["@type"], data["name"], data["identifier"]) == ("Country", "Kenya", "KE")
    client.cookies["django_language"] = "zh-hans"
    chinese = _json_ld(client.get("/countries/KE/"))
    assert chinese["name"] == "肯尼亚"
    assert "Kenya" in chinese["alternateName"]


def _atom_link(page: str) -> str:
    found = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]*)"', page)
    assert found, "no Atom link in the head"
    head = page[: page.index("</head>")]
    assert found.start() < len(head)
    return html.unescape(found.group(1))


def test_the_browse_page_announces_the_atom_feed_of_its_filters(client):
    kenyan = factories.make_initiative(state="published", title="Kenyan CERT project", countries=["KE"])
    french = factories.make_initiative(state="published", title="French norms project", countries=["FR"])
    page = client.get("/initiatives/", {"country": "KE", "kind": "project", "page": "1"}).content.decode()
    href = _atom_link(page)
    assert href == "/initiatives/feed/?country=KE&kind=project"
    feed = client.get(href).content.decode()
    assert kenyan.title in feed and french.title not in feed
    assert _atom_link(client.get("/initiatives/").content.decode()) == "/initiatives/feed/"


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/key-tasks/global-south/", "/initiatives/feed/?key_task=global-south"),
        ("/countries/KE/", "/initiatives/feed/?country=KE"),
        ("/stakeholders/undp/", "/initiatives/feed/?stakeholder=undp"),
        ("/tags/capacity-building/", "/initiatives/feed/?tag=capacity+building"),
    ],
)
def test_the_frame_pages_announce_the_feed_of_their_records(client, url, feed):
    factories.make_initiative(state="published")
    href = _atom_link(client.get(url).content.decode())
    assert href == feed
    assert client.get(href).status_code == 200
