"""Bounded work per request: repeated query parameters and list fields have caps, and a
request beyond a cap is a 400 (a form error on the web) that names the cap, at every door."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.models import Country
from initiatives import services
from initiatives.history import RELATION_LIMITS
from tests import factories
from tests.web.test_workspace import form_data

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/initiatives/"


def test_the_caps_are_those_documented():
    assert RELATION_LIMITS == {
        "tags": 50,
        "countries": 50,
        "participations": 50,
        "links": 20,
        "collaborators": 20,
        "advocacies": 20,
        "results": 20,
    }


@pytest.mark.parametrize(("parameter", "value"), [("tag", "capacity building"), ("country", "KE")])
def test_a_query_parameter_repeated_more_than_20_times_is_a_400_naming_it(api, parameter, value):
    factories.make_initiative(state="published")
    assert api.get(LIST_URL, {parameter: [value] * 20}).json()["count"] == 1
    response = api.get(LIST_URL, {parameter: [value] * 21})
    assert response.status_code == 400
    assert response.json()[parameter] == ["Give at most 20 values (21 given)."]
    # The browse page and the feed read the same filters.
    page = api.get("/initiatives/", {parameter: [value] * 400})
    assert f"<strong>{parameter}</strong>: Give at most 20 values (400 given)." in page.content.decode()
    assert api.get("/initiatives/feed/", {parameter: [value] * 400}).status_code == 400


def _lists(count: int) -> dict:
    """Lists of `count` distinct items for each capped field of the API."""
    codes = list(Country.objects.order_by("code").values_list("code", flat=True)[:count])
    stakeholders = [factories.StakeholderFactory().slug for _ in range(count)]
    users = [factories.contributor().username for _ in range(count)]
    return {
        "tags": [f"tag {number}" for number in range(count)],
        "countries": codes,
        "stakeholders": [{"stakeholder": slug, "role": "partner"} for slug in stakeholders],
        "links": [{"url": f"https://example.org/{number}"} for number in range(count)],
        # Read-only in the API and absent from the form; the services still hold the cap.
        "collaborators": users,
        "advocacies": ["security"] * count,
        "results": [{"title": f"Result {number}", "indicators": []} for number in range(count)],
    }


API_LIMITS = {
    "tags": 50,
    "countries": 50,
    "stakeholders": 50,
    "links": 20,
    "advocacies": 20,
}


@pytest.mark.parametrize(("field", "limit"), API_LIMITS.items())
def test_an_api_write_beyond_a_list_cap_is_a_400_naming_the_cap(client_for, contributor, field, limit):
    initiative = factories.make_initiative(owner=contributor)
    client = client_for(contributor)
    over = _lists(limit + 1)[field]
    response = client.patch(f"{LIST_URL}{initiative.slug}/", {field: over}, format="json")
    assert response.status_code == 400
    assert response.json()[field] == [f"Ensure this field has no more than {limit} elements."]
    created = client.post(
        LIST_URL,
        {"title": "T", "summary": "S", "key_task": "global-south", "kind": "project", field: over},
        format="json",
    )
    assert created.status_code == 400 and field in created.json()
    at_the_cap = _lists(limit)[field]
    response = client.patch(f"{LIST_URL}{initiative.slug}/", {field: at_the_cap}, format="json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(("field", "limit"), RELATION_LIMITS.items())
def test_the_services_refuse_lists_beyond_their_caps(contributor, field, limit):
    initiative = factories.make_initiative(owner=contributor)
    api_name = "stakeholders" if field == "participations" else field
    over = _lists(limit + 1)[api_name]
    with pytest.raises(ValidationError) as error:
        services.initiative_edit(actor=contributor, initiative=initiative, data={field: over})
    assert error.value.message_dict[field] == [f"At most {limit} ({limit + 1} given)."]
    with pytest.raises(ValidationError):
        services.initiative_create(actor=contributor, data=factories.initiative_data(**{field: over}))


def test_the_web_form_refuses_lists_beyond_their_caps(client, contributor):
    client.force_login(contributor)
    lists = _lists(51)
    participants = {
        "participants-TOTAL_FORMS": "51",
        **{f"participants-{n}-stakeholder": p["stakeholder"] for n, p in enumerate(lists["stakeholders"])},
        **{f"participants-{n}-role": "partner" for n in range(51)},
    }
    links = {
        "links-TOTAL_FORMS": "21",
        **{f"links-{n}-url": item["url"] for n, item in enumerate(lists["links"][:21])},
        **{f"links-{n}-title": "" for n in range(21)},
    }
    response = client.post(
        reverse("initiatives:create"),
        form_data(
            tags=", ".join(lists["tags"]),
            countries=", ".join(lists["countries"]),
            **participants,
            **links,
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["tags"] == ["At most 50 (51 given)."]
    assert form.errors["countries"] == ["At most 50 (51 given)."]
    assert response.context["participations"].non_form_errors() == ["At most 50 stakeholders."]
    assert response.context["links"].non_form_errors() == ["At most 20 links."]
