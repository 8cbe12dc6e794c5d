"""The tags API with the vocabulary: labels and synonyms read by anyone, changed and merged by
curators, and any of a tag's names accepted where a tag is named."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from api import answers
from initiatives import services
from initiatives.models import Initiative, Revision
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_source(db):
    return factories.make_initiative(state="published", tags=["open source"], title="Shared code for CERTs")


def _slugs(response):
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_curators_set_labels_and_synonyms_and_everyone_reads_them(api, client_for, curator, open_source):
    response = client_for(curator).patch(
        "/api/v1/tags/open-source/", {"label_zh": "开源", "synonyms": ["OSS", "开放源代码"]}, format="json"
    )
    assert response.status_code == 200, response.content
    expected = {
        "name": "open source",
        "slug": "open-source",
        "label_en": "open source",
        "label_zh": "开源",
        "synonyms": ["OSS", "开放源代码"],
        "initiatives": 1,
    }
    assert response.json() == expected
    assert api.get("/api/v1/tags/").json()["results"] == [expected]


def test_either_label_or_a_synonym_filters_and_searches_the_same_records(
    api, client_for, curator, open_source
):
    factories.make_initiative(state="published", tags=["training"])
    client_for(curator).patch(
        "/api/v1/tags/open-source/", {"label_zh": "开源", "synonyms": ["OSS"]}, format="json"
    )
    for value in ("open source", "open-source", "开源", "oss"):
        assert _slugs(api.get("/api/v1/initiatives/", {"tag": value})) == [open_source.slug], value
    for words in ("open source", "开源", "OSS"):
        assert _slugs(api.get("/api/v1/initiatives/", {"q": words})) == [open_source.slug], words
    unknown = api.get("/api/v1/initiatives/", {"tag": "闭源"})
    assert unknown.status_code == 400 and "tag" in unknown.json()


def test_a_record_written_with_a_chinese_label_stores_the_tags_name(
    client_for, curator, contributor, open_source
):
    client_for(curator).patch("/api/v1/tags/open-source/", {"label_zh": "开源"}, format="json")
    created = client_for(contributor).post(
        "/api/v1/initiatives/",
        factories.initiative_data(tags=["开源", "Open Source", "能力建设"]),
        format="json",
    )
    assert created.status_code == 201, created.content
    assert sorted(created.json()["tags"]) == ["open source", "能力建设"]
    assert not Tag.objects.filter(name="开源").exists()


def test_merge_moves_every_record_to_the_target(api, client_for, curator, open_source):
    other = factories.make_initiative(state="published", tags=["FOSS"])
    draft = factories.make_initiative(tags=["foss", "training"])
    response = client_for(curator).post("/api/v1/tags/foss/merge/", {"into": "open source"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "open source"
    assert "FOSS" in response.json()["synonyms"]
    assert sorted(_slugs(api.get("/api/v1/initiatives/", {"tag": "open source"}))) == sorted(
        [open_source.slug, other.slug]
    )
    assert api.get("/api/v1/tags/foss/").status_code == 404
    assert sorted(Initiative.objects.get(pk=draft.pk).tags.names()) == ["open source", "training"]
    history = client_for(curator).get(f"/api/v1/initiatives/{other.slug}/history/").json()["results"]
    assert history[0]["changes"]["tags"] == [["FOSS"], ["open source"]]
    assert Revision.objects.filter(initiative=draft, actor=curator).exists()
    # The merged name still filters, now to the survivor's records.
    assert sorted(_slugs(api.get("/api/v1/initiatives/", {"tag": "FOSS"}))) == sorted(
        [open_source.slug, other.slug]
    )


def test_contributors_and_moderators_are_refused(client_for, contributor, moderator, open_source):
    factories.make_initiative(state="published", tags=["FOSS"])
    for user in (contributor, moderator):
        client = client_for(user)
        assert (
            client.patch("/api/v1/tags/open-source/", {"label_zh": "开源"}, format="json").status_code == 403
        )
        assert (
            client.post("/api/v1/tags/foss/merge/", {"into": "open source"}, format="json").status_code == 403
        )
    assert Tag.objects.filter(name="FOSS").exists()
    assert (
        client_for(factories.curator(), write=False)
        .patch("/api/v1/tags/open-source/", {"label_zh": "开源"}, format="json")
        .status_code
        == 403
    )


def test_bad_input_is_a_400_on_the_field(client_for, curator, open_source):
    factories.make_initiative(state="published", tags=["training"])
    client = client_for(curator)
    cases = [
        ("patch", "/api/v1/tags/training/", {"label_en": "open source"}, "label_en"),
        ("patch", "/api/v1/tags/training/", {"synonyms": ["Open Source"]}, "synonyms"),
        ("patch", "/api/v1/tags/training/", {"synonyms": "not a list"}, "synonyms"),
        ("patch", "/api/v1/tags/training/", {"label_zh": "x" * 101}, "label_zh"),
        ("patch", "/api/v1/tags/training/", {"label_en": 7}, "label_en"),
        ("post", "/api/v1/tags/training/merge/", {"into": "training"}, "into"),
        ("post", "/api/v1/tags/training/merge/", {"into": "no such tag"}, "into"),
        ("post", "/api/v1/tags/training/merge/", {}, "into"),
    ]
    for method, url, body, field in cases:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 400, (url, body, response.content)
        assert field in response.json(), (body, response.json())
    assert Tag.objects.filter(name="training").exists()


def test_the_schema_describes_the_vocabulary(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    tag = schema["components"]["schemas"]["Tag"]["properties"]
    assert {"name", "slug", "label_en", "label_zh", "synonyms", "initiatives"} <= set(tag)
    assert tag["synonyms"]["type"] == "array"
    detail = schema["paths"]["/api/v1/tags/{slug}/"]
    assert "patch" in detail and "put" not in detail and "delete" not in detail
    assert "post" in schema["paths"]["/api/v1/tags/{slug}/merge/"]


def test_the_list_reads_labels_and_synonyms_in_a_fixed_number_of_queries(
    api, curator, django_assert_max_num_queries
):
    def listed():
        response = api.get("/api/v1/tags/")
        assert response.status_code == 200
        return len(response.json()["results"])

    factories.make_initiative(state="published", tags=["tag 0"])
    with CaptureQueriesContext(connection) as one:
        assert listed() == 1
    for number in range(1, 6):
        factories.make_initiative(state="published", tags=[f"tag {number}"])
        services.tag_labels_set(
            actor=curator,
            tag=Tag.objects.get(name=f"tag {number}"),
            label_en="",
            label_zh=f"标签{number}",
            synonyms=[f"alias {number}", f"other {number}"],
        )
    answers.forget_all()
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert listed() == 6
