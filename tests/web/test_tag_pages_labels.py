"""A tag's page shows both labels and the synonyms; curators change them there and merge the
tag into another, and the browse page's tag filter and search take any of its names."""

import pytest
from django.contrib.messages import get_messages
from taggit.models import Tag

from initiatives import services
from initiatives.models import Initiative, Revision
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_source(db, curator):
    record = factories.make_initiative(state="published", tags=["open source"], title="Shared code for CERTs")
    services.tag_labels_set(
        actor=curator,
        tag=Tag.objects.get(name="open source"),
        label_en="Open source",
        label_zh="开源",
        synonyms=["OSS"],
    )
    return record


def test_the_page_shows_both_labels_and_the_synonyms_and_no_form_to_readers(client, contributor, open_source):
    for user in (None, contributor):
        if user:
            client.force_login(user)
        page = client.get("/tags/open-source/").content.decode()
        assert "Open source" in page and "开源" in page and "OSS" in page
        assert 'id="tag-labels"' not in page and 'id="tag-merge"' not in page


def test_a_curator_sets_labels_and_synonyms_from_the_page(client, curator, open_source):
    client.force_login(curator)
    page = client.get("/tags/open-source/").content.decode()
    assert 'id="tag-labels"' in page and 'id="tag-merge"' in page
    response = client.post(
        "/tags/open-source/labels/",
        {"label_en": "Open source", "label_zh": "开放源码", "synonyms": "OSS，开源软件, FOSS"},
    )
    assert response.status_code == 302 and response["Location"] == "/tags/open-source/"
    tag = Tag.objects.get(name="open source")
    assert tag.label.label_zh == "开放源码"
    assert sorted(tag.synonyms.values_list("name", flat=True)) == ["FOSS", "OSS", "开源软件"]
    browse = client.get("/initiatives/", {"tag": "开源软件"})
    assert [i.title for i in browse.context["page"]] == [open_source.title]
    assert [i.title for i in client.get("/initiatives/", {"q": "开放源码"}).context["page"]] == [
        open_source.title
    ]


def test_a_refused_change_shows_the_error_on_the_form(client, curator, open_source):
    factories.make_initiative(state="published", tags=["training"])
    client.force_login(curator)
    response = client.post(
        "/tags/training/labels/", {"label_en": "Training", "label_zh": "", "synonyms": "oss"}
    )
    assert response.status_code == 400
    assert "already names the tag" in response.content.decode()
    assert not Tag.objects.get(name="training").synonyms.exists()
    merge = client.post("/tags/training/merge/", {"into": "no such tag"})
    assert merge.status_code == 400 and "No tag has this name or slug." in merge.content.decode()


def test_a_curator_merges_a_tag_into_another_from_its_page(client, curator, open_source):
    other = factories.make_initiative(
        state="published", tags=["FOSS"], title="Free tools for incident handlers"
    )
    client.force_login(curator)
    response = client.post("/tags/foss/merge/", {"into": "开源"})
    assert response.status_code == 302 and response["Location"] == "/tags/open-source/"
    assert not Tag.objects.filter(name="FOSS").exists()
    listed = [i.title for i in client.get("/tags/open-source/").context["page"]]
    assert sorted(listed) == sorted([open_source.title, other.title])
    assert Revision.objects.filter(initiative=other, actor=curator).order_by("-version").first().snapshot[
        "tags"
    ] == ["open source"]
    assert client.get("/tags/foss/").status_code == 404


def test_contributors_may_not_change_or_merge_tags(client, contributor, open_source):
    factories.make_initiative(state="published", tags=["FOSS"])
    client.force_login(contributor)
    assert client.post("/tags/open-source/labels/", {"label_zh": "开放"}).status_code == 403
    assert client.post("/tags/foss/merge/", {"into": "open source"}).status_code == 403
    assert Tag.objects.get(name="open source").label.label_zh == "开源"
    assert Initiative.objects.filter(tags__name="FOSS").exists()


def test_the_admin_saves_labels_and_merges_through_the_services(client, curator, open_source):
    factories.make_initiative(state="published", tags=["FOSS"])
    foss = Tag.objects.get(name="FOSS")
    client.force_login(curator)
    response = client.post(
        f"/admin/taggit/tag/{foss.pk}/change/",
        {"label_en": "Free software", "label_zh": "自由软件", "synonym_list": "libre"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Tag.objects.get(pk=foss.pk).label.label_zh == "自由软件"
    target = Tag.objects.get(name="open source")
    chosen = client.post(
        "/admin/taggit/tag/",
        {"action": "merge_selected", "_selected_action": [foss.pk], "target": target.pk},
    )
    assert chosen.status_code == 302
    assert not Tag.objects.filter(pk=foss.pk).exists()
    assert {"FOSS", "Free software", "自由软件", "libre"} <= set(
        target.synonyms.values_list("name", flat=True)
    )


def test_the_tags_page_and_the_autocomplete_know_the_labels(client, open_source):
    english = client.get("/tags/").content.decode()
    assert "open source" in english and "(开源)" not in english
    chinese = client.get("/tags/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "(开源)" in chinese
    for q in ("开源", "oss", "open"):
        suggested = client.get("/autocomplete/tags/", {"q": q}).json()
        assert [row["value"] for row in suggested["results"]] == ["open source"], q


def test_a_tag_added_in_the_admin_has_its_labels_and_a_clash_is_refused(client, curator, open_source):
    client.force_login(curator)
    added = client.post(
        "/admin/taggit/tag/add/",
        {
            "name": "数据治理",
            "slug": "数据治理",
            "label_en": "data governance",
            "label_zh": "",
            "synonym_list": "",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    tag = Tag.objects.get(name="数据治理")
    assert (tag.label.label_en, tag.label.label_zh) == ("data governance", "数据治理")
    clash = client.post(
        "/admin/taggit/tag/add/",
        {"name": "cyber", "slug": "cyber", "label_en": "", "label_zh": "", "synonym_list": "OSS"},
    )
    assert clash.status_code == 302
    assert not Tag.objects.filter(name="cyber").exists()
    assert "already names the tag" in " ".join(m.message for m in get_messages(clash.wsgi_request))


def test_not_even_an_administrator_deletes_a_tag_from_under_its_records(client, open_source):
    # Deleting the row would take the tag off its records with no version, no history and a
    # stale search document; a tag on records leaves the vocabulary by being merged into
    # another, and the delete page offers that merge instead.
    tag = Tag.objects.get(name="open source")
    client.force_login(factories.admin())

    page = client.get(f"/admin/taggit/tag/{tag.pk}/delete/")
    posted = client.post(f"/admin/taggit/tag/{tag.pk}/delete/", {"post": "yes"})
    client.post(
        "/admin/taggit/tag/", {"action": "delete_selected", "_selected_action": [tag.pk], "post": "yes"}
    )

    assert (page.status_code, posted.status_code) == (200, 200)
    assert "cannot be deleted: merge it into another tag" in page.content.decode()
    assert "cannot be deleted: merge it into another tag" in posted.content.decode()
    assert Tag.objects.filter(pk=tag.pk).exists()
    assert list(Initiative.objects.get(pk=open_source.pk).tags.names()) == ["open source"]
