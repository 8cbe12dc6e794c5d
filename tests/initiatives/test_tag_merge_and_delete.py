"""A merged tag's digest subscriptions and saved searches follow the survivor, in the merge's
transaction; a tag is deleted only through the service, and only while no record carries it."""

from urllib.parse import parse_qsl

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from taggit.models import Tag

from digests import selectors as digest_selectors
from digests import services as digest_services
from digests.models import Subscription
from initiatives import services
from initiatives.models import TagChange, TopicFollow
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tags(curator):
    factories.make_initiative(state="published", tags=["open source"])
    factories.make_initiative(state="published", tags=["FOSS", "security"])
    foss = Tag.objects.get(name="FOSS")
    services.tag_labels_set(
        actor=curator, tag=foss, label_en="Free software", label_zh="自由软件", synonyms=[]
    )
    return foss, Tag.objects.get(name="open source")


def test_subscriptions_and_saved_searches_naming_the_merged_tag_name_the_survivor(curator, tags):
    foss, open_source = tags
    reader = factories.contributor()
    digest = digest_services.subscription_update(
        user=reader, frequency="weekly", tags=["foss", "open source", "security"]
    )
    search = digest_services.saved_search_create(
        user=reader, query="country=KE&tag=FOSS&tag=security&ordering=title", name="Free software in Kenya"
    )
    by_label = digest_services.saved_search_create(user=factories.contributor(), query="tag=自由软件")
    other = digest_services.saved_search_create(user=reader, query="tag=open+source&kind=project")
    untouched_query = other.query

    services.tag_merge(actor=curator, source=foss, target=open_source)

    digest.refresh_from_db()
    search.refresh_from_db()
    by_label.refresh_from_db()
    other.refresh_from_db()
    # Once each, the survivor where the merged tag was.
    assert digest.tags == ["open source", "security"]
    assert parse_qsl(search.query) == [
        ("country", "KE"),
        ("tag", "open source"),
        ("tag", "security"),
        ("ordering", "title"),
    ]
    assert parse_qsl(by_label.query) == [("tag", "open source")]
    assert other.query == untouched_query
    # The rewritten searches are still ones the browse page accepts.
    assert digest_selectors.query_errors(search.query) == {}


def test_a_refused_merge_leaves_every_subscription_as_it_was(curator, tags):
    foss, _open_source = tags
    reader = factories.contributor()
    search = digest_services.saved_search_create(user=reader, query="tag=FOSS")

    with pytest.raises(ValidationError):
        services.tag_merge(actor=curator, source=foss, target="no such tag")
    with pytest.raises(PermissionDenied):
        services.tag_merge(actor=reader, source=foss, target="open source")

    search.refresh_from_db()
    assert search.query == "tag=FOSS"


def test_a_curator_deletes_a_tag_no_record_carries(curator):
    orphan = Tag.objects.create(name="orphan", slug="orphan")
    follower = factories.contributor()
    TopicFollow.objects.create(user=follower, kind="tag", value="orphan")

    services.tag_delete(actor=curator, tag=orphan)

    assert not Tag.objects.filter(name="orphan").exists()
    assert not TopicFollow.objects.filter(kind="tag", value="orphan").exists()
    change = TagChange.objects.get(tag_name="orphan")
    assert change.actor == curator and change.changes["deleted"] == ["orphan", None]


def test_a_tag_on_records_is_merged_not_deleted(curator, tags):
    foss, _open_source = tags
    factories.make_initiative(tags=["FOSS"])  # a draft counts too

    with pytest.raises(ValidationError) as refused:
        services.tag_delete(actor=curator, tag=foss)

    assert refused.value.messages == [
        "“FOSS” is on 2 records and cannot be deleted: merge it into another tag."
    ]
    assert Tag.objects.filter(pk=foss.pk).exists()


def test_only_curators_delete_tags(contributor, moderator):
    orphan = Tag.objects.create(name="orphan", slug="orphan")
    for user in (contributor, moderator):
        with pytest.raises(PermissionDenied):
            services.tag_delete(actor=user, tag=orphan)
    assert Tag.objects.filter(pk=orphan.pk).exists()


def test_the_admin_deletes_through_the_service_and_explains_a_refusal(client, curator, tags):
    foss, open_source = tags
    orphan = Tag.objects.create(name="orphan", slug="orphan")
    client.force_login(curator)

    refused = client.get(f"/admin/taggit/tag/{foss.pk}/delete/")
    posted = client.post(f"/admin/taggit/tag/{foss.pk}/delete/", {"post": "yes"})
    asked = client.get(f"/admin/taggit/tag/{orphan.pk}/delete/")
    deleted = client.post(f"/admin/taggit/tag/{orphan.pk}/delete/", {"post": "yes"})

    message = "“FOSS” is on 1 record and cannot be deleted: merge it into another tag."
    for answer in (refused, posted):
        text = answer.content.decode()
        assert answer.status_code == 200 and message in text
        # The page offers the merge instead of the deletion.
        assert 'name="target"' in text and 'value="merge_selected"' in text
    assert Tag.objects.filter(pk=foss.pk).exists()
    assert asked.status_code == 200 and "orphan" in asked.content.decode()
    assert deleted.status_code == 302 and not Tag.objects.filter(pk=orphan.pk).exists()
    assert TagChange.objects.filter(tag_name="orphan", actor=curator).exists()
    changelist = client.get("/admin/taggit/tag/").content.decode()
    assert 'value="delete_selected"' not in changelist

    merged = client.post(
        "/admin/taggit/tag/",
        {"action": "merge_selected", "_selected_action": [foss.pk], "target": open_source.pk},
    )
    assert merged.status_code == 302 and not Tag.objects.filter(pk=foss.pk).exists()


def test_moderators_may_not_delete_tags_in_the_admin(client, moderator):
    orphan = Tag.objects.create(name="orphan", slug="orphan")
    client.force_login(moderator)

    assert client.post(f"/admin/taggit/tag/{orphan.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Tag.objects.filter(pk=orphan.pk).exists()


def test_subscriptions_of_other_kinds_are_not_read_as_saved_searches(curator, tags):
    foss, open_source = tags
    reader = factories.contributor()
    digest_services.subscription_update(user=reader, frequency="weekly", tags=["FOSS"])

    services.tag_merge(actor=curator, source=foss, target=open_source)

    assert Subscription.objects.get(user=reader).tags == ["open source"]
