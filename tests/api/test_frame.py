"""The frame in the API (key tasks, countries, stakeholders, tags), me/, throttling, schema and docs."""

import pytest
from rest_framework.settings import api_settings

from governance.models import Stakeholder
from tests import factories


@pytest.mark.django_db
def test_key_tasks_with_their_action_lines(api):
    response = api.get("/api/v1/key-tasks/")
    assert response.status_code == 200 and response["ETag"]
    tasks = response.json()
    assert [task["slug"] for task in tasks] == [
        "multilateral-mechanisms",
        "global-south",
        "major-power-cooperation",
        "multi-stakeholder",
    ]
    assert "south-south-projects" in [line["slug"] for line in tasks[1]["action_lines"]]
    one = api.get("/api/v1/key-tasks/global-south/")
    assert one.status_code == 200 and one.json()["heading_zh"].startswith("发挥")
    assert api.get("/api/v1/key-tasks/no-such/").status_code == 404
    assert api.get("/api/v1/key-tasks/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@pytest.mark.django_db
def test_key_tasks_are_read_only(client_for, curator):
    response = client_for(curator).post("/api/v1/key-tasks/", {"slug": "x"}, format="json")
    assert response.status_code == 405 and response.json()["detail"]


@pytest.mark.django_db
def test_advocacies(api):
    assert [a["slug"] for a in api.get("/api/v1/advocacies/").json()] == [
        "prosperity",
        "security",
        "inclusiveness",
    ]


@pytest.mark.django_db
def test_countries_by_code_with_filters(api):
    kenya = api.get("/api/v1/countries/KE/").json()
    assert kenya["global_south"] is True and kenya["region"] == "africa"
    assert api.get("/api/v1/countries/ke/").json()["code"] == "KE"
    europe = api.get("/api/v1/countries/", {"region": "europe"}).json()
    assert "FR" in [c["code"] for c in europe] and "KE" not in [c["code"] for c in europe]
    south = api.get("/api/v1/countries/", {"global_south": "true"}).json()
    assert "CN" in [c["code"] for c in south] and "FR" not in [c["code"] for c in south]
    assert api.get("/api/v1/countries/", {"region": "atlantis"}).status_code == 400
    assert api.get("/api/v1/countries/ZZ/").status_code == 404


@pytest.mark.django_db
def test_stakeholders_are_listed_and_filtered(api):
    response = api.get("/api/v1/stakeholders/", {"kind": "un-body", "page_size": 100})
    assert response.status_code == 200
    assert "undp" in [s["slug"] for s in response.json()["results"]]
    assert api.get("/api/v1/stakeholders/undp/").json()["slug"] == "undp"
    assert api.get("/api/v1/stakeholders/", {"kind": "cult"}).status_code == 400


@pytest.mark.django_db
def test_curators_create_and_change_stakeholders(client_for, curator):
    client = client_for(curator)
    response = client.post(
        "/api/v1/stakeholders/",
        {"name_en": "Cyber Peace Lab", "name_zh": "网络和平实验室", "kind": "academia", "country": "ke"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "cyber-peace-lab" and response.json()["country"] == "KE"
    response = client.patch(
        "/api/v1/stakeholders/cyber-peace-lab/", {"acronym": "CPL", "slug": "renamed"}, format="json"
    )
    assert response.status_code == 200
    stakeholder = Stakeholder.objects.get(slug="cyber-peace-lab")
    assert stakeholder.acronym == "CPL"


@pytest.mark.django_db
def test_stakeholder_bad_input_is_per_field(client_for, curator):
    client = client_for(curator)
    response = client.post(
        "/api/v1/stakeholders/", {"name_en": "", "kind": "cult", "website": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert {"name_en", "kind", "website"} <= set(response.json())
    response = client.post("/api/v1/stakeholders/", {"name_en": "UNDP", "slug": "undp", "kind": "un-body"})
    assert response.status_code == 400 and "slug" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["contributor", "moderator"])
def test_other_roles_may_not_write_stakeholders(client_for, role):
    client = client_for(getattr(factories, role)())
    response = client.post("/api/v1/stakeholders/", {"name_en": "Body", "kind": "academia"}, format="json")
    assert response.status_code == 403
    assert client.patch("/api/v1/stakeholders/undp/", {"acronym": "X"}, format="json").status_code == 403
    assert Stakeholder.objects.get(slug="undp").acronym != "X"


@pytest.mark.django_db
def test_anonymous_stakeholder_writes_are_401(api):
    assert api.post("/api/v1/stakeholders/", {"name_en": "Body", "kind": "academia"}).status_code == 401


@pytest.mark.django_db
def test_tags_with_counts_of_what_the_caller_sees(api, client_for, contributor):
    factories.make_initiative(state="published", tags=["cert", "training"])
    factories.make_initiative(state="published", tags=["cert"])
    factories.make_initiative(owner=contributor, tags=["cert", "secret plan"])
    public = {t["name"]: t["initiatives"] for t in api.get("/api/v1/tags/").json()["results"]}
    assert public == {"cert": 2, "training": 1}
    own = {
        t["name"]: t["initiatives"] for t in client_for(contributor).get("/api/v1/tags/").json()["results"]
    }
    assert own == {"cert": 3, "training": 1, "secret plan": 1}


@pytest.mark.django_db
def test_me_reads_and_changes_the_profile(client_for, contributor):
    client = client_for(contributor)
    response = client.patch(
        "/api/v1/me/",
        {"first_name": "Ada", "preferred_language": "zh-hans", "affiliation": "undp", "username": "hijack"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    contributor.refresh_from_db()
    assert (contributor.first_name, contributor.preferred_language) == ("Ada", "zh-hans")
    assert contributor.affiliation.slug == "undp" and contributor.username != "hijack"
    bad = client.patch("/api/v1/me/", {"preferred_language": "fr", "email": "nope"}, format="json")
    assert bad.status_code == 400 and {"preferred_language", "email"} <= set(bad.json())


@pytest.mark.django_db
def test_throttling_answers_429_with_detail(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    assert api_settings.DEFAULT_THROTTLE_RATES["anon"] == "3/minute"
    codes = [api.get("/api/v1/key-tasks/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = api.get("/api/v1/key-tasks/")
    assert response.json()["detail"] and response["Retry-After"]


@pytest.mark.django_db
def test_signed_in_callers_have_their_own_rate(client_for, contributor, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "3/minute"},
    }
    client = client_for(contributor)
    assert [client.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]


@pytest.mark.django_db
def test_schema_describes_endpoints_filters_errors_and_token_auth(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in [
        "/api/v1/initiatives/",
        "/api/v1/initiatives/{slug}/",
        "/api/v1/initiatives/{slug}/submit/",
        "/api/v1/initiatives/{slug}/approve/",
        "/api/v1/initiatives/{slug}/reject/",
        "/api/v1/initiatives/{slug}/history/",
        "/api/v1/initiatives/{slug}/updates/",
        "/api/v1/initiatives/{slug}/revisions/",
        "/api/v1/initiatives/{slug}/revisions/{revision_id}/approve/",
        "/api/v1/initiatives/{slug}/revisions/{revision_id}/reject/",
        "/api/v1/initiatives/{slug}/merge/",
        "/api/v1/initiatives/{slug}/history/{version}/restore/",
        "/api/v1/initiatives/{slug}/updates/{update_id}/approve/",
        "/api/v1/initiatives/{slug}/updates/{update_id}/reject/",
        "/api/v1/key-tasks/",
        "/api/v1/countries/",
        "/api/v1/stakeholders/",
        "/api/v1/tags/",
        "/api/v1/me/",
        "/api/v1/auth/token/",
    ]:
        assert path in paths, path
    parameters = {p["name"] for p in paths["/api/v1/initiatives/"]["get"]["parameters"]}
    assert {
        "key_task",
        "action_line",
        "kind",
        "status",
        "moderation_state",
        "country",
        "region",
        "global_south",
        "stakeholder",
        "tag",
        "advocacy",
        "q",
        "updated_since",
        "ordering",
        "page",
        "page_size",
        "cursor",
        "mode",
    } <= parameters
    patch = paths["/api/v1/initiatives/{slug}/"]["patch"]["responses"]
    assert {"200", "202", "400", "401", "403", "404", "409", "412", "429"} <= set(patch)
    assert schema["components"]["securitySchemes"]["tokenAuth"]["type"] == "apiKey"


@pytest.mark.django_db
def test_swagger_ui_is_served_from_local_assets(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn." not in page and "unpkg" not in page


@pytest.mark.django_db
def test_single_tags_advocacies_and_stakeholders(api):
    factories.make_initiative(state="published", tags=["cert"])
    assert api.get("/api/v1/tags/cert/").json() == {
        "name": "cert",
        "slug": "cert",
        "label_en": "cert",
        "label_zh": "",
        "synonyms": [],
        "initiatives": 1,
    }
    assert api.get("/api/v1/tags/unused/").status_code == 404
    assert api.get("/api/v1/advocacies/security/").json()["motto_zh"]
    assert api.get("/api/v1/stakeholders/no-such-body/").status_code == 404
    head = api.head("/api/v1/advocacies/")
    assert head.status_code == 200 and head["ETag"]


@pytest.mark.django_db
def test_throttling_counts_per_window_and_says_when_to_come_back(api, settings, monkeypatch):
    from api import throttling

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "100/minute"},
    }
    clock = [6000.0 + 50]  # 50 s into a window of the minute
    monkeypatch.setattr(throttling.AnonThrottle, "timer", lambda self: clock[0])
    assert [api.get("/api/v1/key-tasks/").status_code for _ in range(3)] == [200, 200, 429]
    refused = api.get("/api/v1/key-tasks/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) == 10
    clock[0] += 10  # the next window
    assert api.get("/api/v1/key-tasks/").status_code == 200
