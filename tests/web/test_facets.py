"""The browse page's filters say how many records each value would give under the other
filters in force, and the long lists take several values."""

import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def _option(html: str, name: str, value: str) -> str:
    """The text of one option of the filter `name`."""
    select = re.search(rf'<select id="[^"]+" name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    found = re.search(rf'<option value="{re.escape(value)}"(?: selected)?>([^<]*)</option>', select)
    return found.group(1) if found else ""


@pytest.fixture
def catalogue():
    owner = factories.contributor()
    make = factories.make_initiative
    make(owner=owner, state="published", countries=["KE", "CN"], kind="dialogue", tags=["cert", "training"])
    make(owner=owner, state="published", countries=["KE"], kind="dialogue", tags=["cert"])
    make(owner=owner, state="published", countries=["BR"], kind="project", tags=["cert", "training"])
    make(owner=owner, state="published", countries=["CN"], kind="event", tags=["training"])
    # A draft counts for nobody on the browse page of published records.
    make(owner=owner, countries=["KE"], kind="dialogue", tags=["cert"])
    return owner


def test_each_value_says_what_it_would_give(client, catalogue):
    html = client.get("/initiatives/").content.decode()
    assert _option(html, "kind", "dialogue") == "Dialogue (2)"
    assert _option(html, "kind", "event") == "Event (1)"
    assert _option(html, "kind", "network") == "Network (0)"
    assert _option(html, "country", "KE") == "Kenya (2)"
    assert _option(html, "tag", "cert") == "cert (3)"


def test_a_single_choice_is_counted_over_the_other_filters(client, catalogue):
    html = client.get("/initiatives/", {"kind": "dialogue"}).content.decode()
    # The kinds say what choosing them instead would give...
    assert _option(html, "kind", "project") == "Project (1)"
    assert _option(html, "kind", "dialogue") == "Dialogue (2)"
    # ...and the other filters count within the dialogues.
    assert _option(html, "country", "CN") == "China (1)"
    assert _option(html, "country", "BR") == "Brazil (0)"
    assert _option(html, "tag", "training") == "training (1)"


def test_countries_are_counted_as_additions_and_tags_as_narrowing(client, catalogue):
    html = client.get("/initiatives/", {"country": "BR", "tag": "cert"}).content.decode()
    # Another country widens the choice (any of them): Kenya alone has two records with "cert".
    assert _option(html, "country", "KE") == "Kenya (2)"
    # Another tag narrows it (all of them): one record in Brazil has both tags.
    assert _option(html, "tag", "training") == "training (1)"
    assert re.search(r"\b1 initiative\b", html)


def test_several_stakeholders_give_records_with_any_of_them(client, catalogue):
    owner = catalogue
    factories.make_initiative(
        owner=owner,
        state="published",
        title="ITU-only record",
        participations=[{"stakeholder": "itu", "role": "lead"}],
    )
    html = client.get("/initiatives/", {"stakeholder": ["itu", "undp"]}).content.decode()
    assert re.search(r"\b5 initiatives\b", html)
    html = client.get("/initiatives/", {"stakeholder": ["itu"]}).content.decode()
    assert re.search(r"\b1 initiative\b", html)
    answer = client.get("/api/v1/initiatives/", {"stakeholder": ["itu", "undp"]})
    assert answer.json()["count"] == 5


def test_the_long_lists_are_multi_selects_for_the_combobox(client, catalogue):
    html = client.get("/initiatives/").content.decode()
    for name in ("country", "stakeholder", "tag"):
        assert re.search(rf'<select id="[^"]+" name="{name}" multiple[^>]* data-combobox', html), name
    assert "/static/js/combobox.js" in html


def test_past_the_exact_count_the_options_have_no_numbers(client, catalogue, settings):
    settings.API_EXACT_COUNT_UP_TO = 2
    html = client.get("/initiatives/").content.decode()
    assert _option(html, "kind", "dialogue") == "Dialogue"
    # Under a filter that leaves few enough records, the others are counted again.
    html = client.get("/initiatives/", {"kind": "dialogue"}).content.decode()
    assert _option(html, "country", "KE") == "Kenya (2)"


def test_a_change_to_the_catalogue_is_counted_at_once(client, catalogue):
    assert _option(client.get("/initiatives/").content.decode(), "kind", "event") == "Event (1)"
    factories.make_initiative(owner=catalogue, state="published", kind="event")
    assert _option(client.get("/initiatives/").content.decode(), "kind", "event") == "Event (2)"


def test_a_bad_filter_leaves_the_options_uncounted_and_says_why(client, catalogue):
    answer = client.get("/initiatives/", {"country": "XX"})
    html = answer.content.decode()
    assert "XX" in html
    assert _option(html, "kind", "dialogue") == "Dialogue"
