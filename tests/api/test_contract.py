"""The schema tells the truth, and the API holds callers to it (ops/api_contract.sh runs
schemathesis with all its checks against both; these pin what it found)."""

import importlib
import inspect

import pytest
from rest_framework import serializers

from api.serializers import StrictInput
from tests import factories

LIST_URL = "/api/v1/initiatives/"


@pytest.fixture
def schema(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


@pytest.mark.django_db
def test_operations_open_to_anonymous_callers_say_a_token_is_optional(schema):
    optional, required = set(), set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            security = operation.get("security")
            if security is None:
                continue
            (optional if {} in security else required).add(f"{method.upper()} {path}")
    assert {
        "GET /api/v1/",
        "GET /api/v1/initiatives/",
        "GET /api/v1/initiatives/{slug}/",
        "GET /api/v1/initiatives/{slug}/history/",
        "GET /api/v1/initiatives/{slug}/updates/",
        "GET /api/v1/key-tasks/",
        "GET /api/v1/countries/{code}/",
        "GET /api/v1/stakeholders/",
        "GET /api/v1/tags/",
    } <= optional
    assert {
        "POST /api/v1/initiatives/",
        "PATCH /api/v1/initiatives/{slug}/",
        "DELETE /api/v1/initiatives/{slug}/",
        "POST /api/v1/initiatives/{slug}/submit/",
        "GET /api/v1/me/",
        "PUT /api/v1/me/subscription/",
        "POST /api/v1/stakeholders/",
        "DELETE /api/v1/auth/token/",
    } <= required
    # Getting a token needs no token, and no security is declared for it or globally.
    assert schema["paths"]["/api/v1/auth/token/"]["post"].get("security", []) == []
    assert "security" not in schema


@pytest.mark.django_db
def test_the_schema_states_what_the_serializers_enforce(schema):
    body = _resolve(schema, schema["paths"][LIST_URL]["post"]["requestBody"]["content"]["application/json"])
    body = _resolve(schema, body["schema"])["properties"]
    assert body["stakeholders"]["maxItems"] == 50 and body["links"]["maxItems"] == 20
    assert body["tags"]["maxItems"] == 50 and "collaborators" not in body
    # Text: no NUL characters, and more than whitespace where blank is refused.
    assert body["title"]["pattern"] == r"^[^\x00]*[^\x00\s][^\x00]*$"
    # The frame's vocabularies, as the database holds them.
    key_tasks = _resolve(schema, body["key_task"])["enum"]
    assert "global-south" in key_tasks and len(key_tasks) == 4
    assert "KE" in _resolve(schema, body["countries"]["items"]["allOf"][0])["enum"]
    link = _resolve(schema, body["links"]["items"])["properties"]["url"]
    assert "format" not in link and link["pattern"].startswith("^[hH][tT][tT][pP]")
    parameters = {p["name"]: p["schema"] for p in schema["paths"][LIST_URL]["get"]["parameters"]}
    assert parameters["tag"]["maxItems"] == 20 and parameters["country"]["maxItems"] == 20
    assert "" in parameters["kind"]["enum"]  # an empty filter is no filter
    assert {"type": "integer", "minimum": 1} in parameters["page_size"]["anyOf"]


@pytest.mark.django_db
def test_every_operation_documents_what_the_server_may_answer(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404", "405", "406", "414", "429"} <= codes, (method, path)
            if method != "get":
                assert {"409", "412", "415"} <= codes, (method, path)


@pytest.mark.django_db
def test_a_stakeholders_slug_is_not_offered_for_change(schema):
    patch = schema["paths"]["/api/v1/stakeholders/{slug}/"]["patch"]["requestBody"]["content"]
    assert "slug" not in _resolve(schema, patch["application/json"]["schema"])["properties"]


@pytest.mark.django_db
def test_json_values_of_another_type_than_the_schema_gives_are_refused(client_for, contributor):
    client = client_for(contributor)
    draft = {"title": "T", "summary": "S", "key_task": "global-south", "kind": "project"}
    refused = [
        (
            LIST_URL,
            "post",
            {**draft, "change_message": 0},
            "change_message",
            "Expected text (a JSON string).",
        ),
        (
            LIST_URL,
            "post",
            {**draft, "stakeholders": [{"stakeholder": "undp", "role": 1}]},
            "stakeholders",
            "Expected text (a JSON string). (stakeholders[0].role)",
        ),
        ("/api/v1/me/", "patch", {"last_name": 0}, "last_name", "Expected text (a JSON string)."),
        ("/api/v1/me/subscription/", "put", {"frequency": "off", "tags": [0]}, "tags", None),
        ("/api/v1/auth/token/", "post", {"username": "u", "password": "p", "write": "true"}, "write", None),
    ]
    for url, method, data, field, message in refused:
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code == 400, (url, data)
        if message:
            assert response.json()[field] == [message]
        else:
            assert field in response.json()
    # The same values as form data are text by nature, and read as before.
    assert client.post(LIST_URL, {**draft, "change_message": "0"}).status_code == 201


@pytest.mark.django_db
def test_every_serializer_of_the_api_reads_json_strictly():
    checked = []
    for module_name in ("governance.api.serializers", "initiatives.api.serializers", "digests.api"):
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, serializers.Serializer) and cls.__module__ == module_name:
                assert issubclass(cls, StrictInput), cls
                checked.append(cls)
    assert len(checked) >= 15


@pytest.mark.django_db
def test_a_parameter_that_takes_one_value_given_twice_is_a_400(api):
    factories.make_initiative(state="published")
    for url, query in [
        ("/api/v1/tags/", "page_size=5&page_size=6"),
        (LIST_URL, "kind=project&kind=event"),
        (LIST_URL, "format=json&format=csv"),
        ("/api/v1/countries/", "region=asia&region=africa"),
    ]:
        response = api.get(f"{url}?{query}")
        assert response.status_code == 400, query
        name = query.split("=")[0]
        assert response.json()[name] == ["Give this parameter once."]
    # Filters of several values are repeatable, as documented; an empty one is no filter.
    assert api.get(f"{LIST_URL}?country=KE&country=CN").status_code == 200
    assert api.get(f"{LIST_URL}?country=").json()["count"] == 1


@pytest.mark.django_db
def test_paging_parameters_are_read_strictly_also_for_csv(api):
    factories.make_initiative(state="published")
    for value in ("abc", "0", "-1", "1.5"):
        response = api.get(LIST_URL, {"page_size": value})
        assert response.status_code == 400 and "page_size" in response.json(), value
    assert api.get("/api/v1/tags/", {"page_size": "0"}).status_code == 400
    assert api.get(LIST_URL, {"page_size": ""}).status_code == 200  # empty: not given
    assert len(api.get(LIST_URL, {"page_size": "500"}).json()["results"]) == 1  # counts as 100
    for query in ({"mode": "sideways"}, {"page_size": "x"}, {"cursor": "not-a-cursor"}):
        response = api.get(LIST_URL, {"format": "csv", **query})
        assert response.status_code == 400, query


@pytest.mark.django_db
def test_boolean_filters_take_true_or_false_only(api):
    assert api.get("/api/v1/countries/", {"global_south": "-58800"}).status_code == 400
    assert api.get(LIST_URL, {"global_south": "perhaps"}).status_code == 400
    south = api.get("/api/v1/countries/", {"global_south": "true"}).json()
    assert south and all(country["global_south"] for country in south)
    assert api.get("/api/v1/countries/", {"global_south": ""}).status_code == 200
