"""GET /api/v1/: the API root lists every collection with its URL, and the docs link to it."""

import pytest

COLLECTIONS = {
    "initiatives": "/api/v1/initiatives/",
    "key-tasks": "/api/v1/key-tasks/",
    "advocacies": "/api/v1/advocacies/",
    "countries": "/api/v1/countries/",
    "stakeholders": "/api/v1/stakeholders/",
    "tags": "/api/v1/tags/",
}


@pytest.mark.django_db
def test_the_api_root_lists_every_collection_with_its_url(api):
    response = api.get("/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    for name, path in COLLECTIONS.items():
        assert body[name] == f"http://testserver{path}"
        # Each address it gives answers an anonymous reader.
        assert api.get(body[name]).status_code == 200, name
    assert body["me"] == "http://testserver/api/v1/me/"
    assert body["auth-token"] == "http://testserver/api/v1/auth/token/"


@pytest.mark.django_db
def test_the_api_root_links_are_built_for_the_host_asked(api):
    body = api.get("/api/v1/", HTTP_HOST="localhost", secure=True).json()
    assert body["initiatives"] == "https://localhost/api/v1/initiatives/"


@pytest.mark.django_db
def test_the_docs_page_and_the_schema_link_to_the_api_root(api):
    page = api.get("/api/docs/")
    assert page.status_code == 200
    assert 'href="/api/v1/"' in page.content.decode()
    schema = api.get("/api/schema/", {"format": "json"}).json()
    assert "(/api/v1/)" in schema["info"]["description"]
    assert "/api/v1/" in schema["paths"]  # the root is documented like any operation
