"""Malformed input is a 400 naming the field at fault, never a server error."""

import base64
import json

import pytest

from tests import factories

LIST_URL = "/api/v1/initiatives/"


def _cursor(until: str, updated_at: str | None = None, pk: int | None = None) -> str:
    raw = json.dumps([until, updated_at, pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "missing"),
    [
        ("stakeholders", [{"stakeholder": "undp"}], "role"),
        ("stakeholders", [{"role": "lead"}], "stakeholder"),
        ("links", [{"title": "t"}], "url"),
    ],
)
def test_a_list_item_without_a_required_key_is_a_400_on_its_field(
    client_for, contributor, field, value, missing
):
    initiative = factories.make_initiative(owner=contributor, state="draft")
    before = initiative.version
    response = client_for(contributor).patch(f"{LIST_URL}{initiative.slug}/", {field: value}, format="json")
    assert response.status_code == 400, response.content
    # As a POST reports it: errors by the item's position.
    assert response.json()[field] == {"0": {missing: ["This field is required."]}}
    initiative.refresh_from_db()
    assert initiative.version == before


@pytest.mark.django_db
def test_the_services_refuse_list_items_without_their_keys(contributor):
    from django.core.exceptions import ValidationError

    from initiatives import services

    initiative = factories.make_initiative(owner=contributor, state="draft")
    for data in ({"participations": [{"stakeholder": "undp"}]}, {"links": [{"title": "t"}]}):
        with pytest.raises(ValidationError) as error:
            services.initiative_edit(actor=contributor, initiative=initiative, data=data)
        assert set(error.value.message_dict) == set(data)


@pytest.mark.django_db
@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_json_nested_too_deep_is_a_400(api, opening):
    closing = "]" if opening == "[" else "}"
    body = opening * 100_000 + "1" + closing * 100_000
    response = api.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


@pytest.mark.django_db
def test_json_nested_within_reason_is_read_as_before(api):
    # 33 levels are refused; a body of ordinary depth still reaches the serializer.
    assert (
        api.post("/api/v1/auth/token/", "[" * 33 + "]" * 33, content_type="application/json").status_code
        == 400
    )
    response = api.post("/api/v1/auth/token/", {"username": "nobody", "password": "x"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["detail"]


# Years 1 and 9999 with an offset fall outside what Python's datetime holds once in UTC;
# offsets beyond ±15:59 are outside what PostgreSQL reads.
EDGES_OF_TIME = [
    "0001-01-01T00:00:00+05:00",
    "0001-01-01T00:00:00+23:59",
    "9999-12-31T23:59:59-05:00",
    "9999-12-31T23:59:59.999999-23:59",
]


@pytest.mark.django_db
@pytest.mark.parametrize("value", EDGES_OF_TIME)
def test_updated_since_at_the_edge_of_time_is_a_400_on_the_parameter(api, value):
    factories.make_initiative(state="published")
    response = api.get(LIST_URL, {"updated_since": value})
    assert response.status_code == 400, response.content
    assert "updated_since" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("value", EDGES_OF_TIME)
def test_the_browse_page_and_the_feed_answer_edge_of_time_filters_as_any_bad_value(client, value):
    factories.make_initiative(state="published")
    for url in ("/initiatives/", "/initiatives/feed/"):
        expected = client.get(url, {"updated_since": "not a date"}).status_code
        assert client.get(url, {"updated_since": value}).status_code == expected, url


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0001-01-01", "0001-01-01T00:00:00-05:00", "9999-12-31T23:59:59Z"])
def test_updated_since_anywhere_within_the_years_filters(api, value):
    factories.make_initiative(state="published")
    response = api.get(LIST_URL, {"updated_since": value})
    assert response.status_code == 200
    assert response.json()["count"] == (0 if value.startswith("9999") else 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cursor",
    [
        *[_cursor(value, None, None) for value in EDGES_OF_TIME],
        *[_cursor("2026-01-01T00:00:00+00:00", value, 1) for value in EDGES_OF_TIME],
        base64.urlsafe_b64encode(b"[" * 100_000).decode(),
    ],
)
def test_a_cursor_at_the_edge_of_time_or_nested_deep_is_a_400(api, cursor):
    factories.make_initiative(state="published")
    response = api.get(LIST_URL, {"cursor": cursor})
    assert response.status_code == 400, response.content
    assert "cursor" in response.json()


@pytest.mark.django_db
def test_text_longer_than_its_cap_as_sent_is_a_400_even_if_trimming_would_fit_it(client_for, contributor):
    """The schema's maxLength counts every character sent; DRF measures after trimming
    whitespace, so a 301-character title with a leading space used to be taken."""
    record = factories.make_initiative(owner=contributor, state="published")
    client = client_for(contributor)
    long_title = " " + "x" * 300
    note = client.post(f"/api/v1/initiatives/{record.slug}/updates/", {"title": long_title}, format="json")
    assert note.status_code == 400, note.json()
    assert note.json()["title"] == ["Ensure this field has no more than 300 characters."]
    tags = client.patch(f"/api/v1/initiatives/{record.slug}/", {"tags": [" " + "t" * 100]}, format="json")
    assert tags.status_code == 400 and "tags" in tags.json()
    # At the cap, with the whitespace trimmed as before.
    fits = client.post(
        f"/api/v1/initiatives/{record.slug}/updates/", {"title": " " + "x" * 299}, format="json"
    )
    assert fits.status_code == 201 and fits.json()["title"] == "x" * 299
