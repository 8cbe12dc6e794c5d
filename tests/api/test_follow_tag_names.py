"""Following a tag by any of its names: its labels and synonyms lead to the tag itself."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from taggit.models import Tag

from governance import services as governance_services
from initiatives import services
from initiatives.models import TopicFollow
from initiatives.selectors.follows import topic
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/follows/"


@pytest.fixture
def capacity():
    factories.make_initiative(state="published", tags=["capacity building"])
    tag = Tag.objects.get(name="capacity building")
    services.tag_labels_set(
        actor=factories.curator(),
        tag=tag,
        label_en="Capacity building",
        label_zh="能力建设",
        synonyms=["skills training"],
    )
    return tag


def capacity_url(tag) -> str:
    return reverse("initiatives:tag", args=[tag.slug])


def _client(user):
    client = APIClient()
    key = governance_services.api_token_create(user=user, name="t", write=True)[1]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_chinese_label_or_a_synonym_follows_the_canonical_tag(capacity):
    user = factories.contributor()
    client = _client(user)

    by_label = client.post(URL, {"kind": "tag", "value": "能力建设"}, format="json")
    by_synonym = client.post(URL, {"kind": "tag", "value": "Skills Training"}, format="json")

    assert by_label.status_code == 201, by_label.json()
    assert by_label.json()["value"] == capacity.slug
    assert by_label.json()["name"] == "capacity building"
    # The synonym names the same tag: already followed, nothing new.
    assert by_synonym.status_code == 200 and by_synonym.json()["id"] == by_label.json()["id"]
    followed = TopicFollow.objects.filter(user=user).values_list("kind", "value")
    assert list(followed) == [("tag", capacity.slug)]


def test_a_name_no_tag_has_is_still_a_400(capacity):
    refused = _client(factories.contributor()).post(URL, {"kind": "tag", "value": "能力"}, format="json")

    assert refused.status_code == 400
    assert "There is no such topic to follow." in str(refused.json())


def test_the_follow_button_takes_a_label_too(client, capacity):
    user = factories.contributor()
    client.force_login(user)

    found = topic(user, "tag", "CAPACITY BUILDING")
    response = client.post(reverse("initiatives:topic_follow"), {"kind": "tag", "value": "能力建设"})

    assert found is not None and found.value == capacity.slug
    assert response.status_code == 302 and response["Location"] == capacity_url(capacity)
    assert TopicFollow.objects.filter(user=user, kind="tag", value=capacity.slug).exists()
