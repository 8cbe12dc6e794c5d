"""Following key tasks, action lines, countries, stakeholders and tags, and the Following page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from initiatives import services
from initiatives.models import TopicFollow
from tests import factories

pytestmark = pytest.mark.django_db

FOLLOW = reverse("initiatives:topic_follow")

# (kind, value as posted, its page's address)
TOPICS = [
    ("key_task", "global-south", "/key-tasks/global-south/"),
    ("action_line", "south-south-projects", "/key-tasks/global-south/"),
    ("country", "KE", "/countries/KE/"),
    ("stakeholder", "undp", "/stakeholders/undp/"),
    ("tag", "capacity-building", "/tags/capacity-building/"),
]


def _form_of(page: str, kind: str, value: str) -> str:
    """The follow form of one topic on a page, as its HTML."""
    marker = f'name="kind" value="{kind}"><input type="hidden" name="value" value="{value}">'
    at = page.index(marker)
    return page[at : page.index("</form>", at)]


@pytest.mark.parametrize(("kind", "value", "address"), TOPICS)
def test_each_kind_is_followed_and_unfollowed_from_its_page(
    client, published, stranger, kind, value, address
):
    other = factories.contributor()
    client.force_login(other)
    client.get(address)  # the page's shared part is built first for someone else
    client.force_login(stranger)
    assert 'aria-pressed="false"' in _form_of(client.get(address).content.decode(), kind, value)

    response = client.post(FOLLOW, {"kind": kind, "value": value, "action": "follow"})
    assert response.status_code == 302 and response["Location"] == address
    client.post(FOLLOW, {"kind": kind, "value": value, "action": "follow"})
    assert list(TopicFollow.objects.filter(user=stranger).values_list("kind", "value")) == [(kind, value)]
    assert 'aria-pressed="true"' in _form_of(client.get(address).content.decode(), kind, value)

    # Someone else, and an anonymous reader, get the same shared listing without the follow.
    client.force_login(other)
    page = client.get(address).content.decode()
    assert published.title in page
    assert 'aria-pressed="false"' in _form_of(page, kind, value)
    assert 'aria-pressed="true"' not in page
    client.logout()
    page = client.get(address).content.decode()
    assert published.title in page and 'aria-pressed="true"' not in page
    assert 'name="kind"' not in page and "Sign in to follow" in page

    client.force_login(stranger)
    client.post(FOLLOW, {"kind": kind, "value": value, "action": "unfollow"})
    assert not TopicFollow.objects.filter(user=stranger).exists()
    assert 'aria-pressed="false"' in _form_of(client.get(address).content.decode(), kind, value)


def test_following_needs_a_signed_in_user_a_post_and_a_real_topic(client, published, stranger):
    response = client.post(FOLLOW, {"kind": "tag", "value": "capacity-building"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(stranger)
    assert client.get(FOLLOW).status_code == 405
    assert client.post(FOLLOW, {"kind": "tag", "value": "no-such-tag"}).status_code == 400
    assert client.post(FOLLOW, {"kind": "planet", "value": "mars"}).status_code == 400
    assert not TopicFollow.objects.exists()


def test_the_services_refuse_anonymous_inactive_and_unknown(stranger):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.topic_follow_create(actor=AnonymousUser(), kind="country", value="KE")
    stranger.is_active = False
    with pytest.raises(PermissionDenied):
        services.topic_follow_create(actor=stranger, kind="country", value="KE")
    stranger.is_active = True
    with pytest.raises(ValidationError) as caught:
        services.topic_follow_create(actor=stranger, kind="country", value="XX")
    assert "value" in caught.value.message_dict
    follow = services.topic_follow_create(actor=stranger, kind="country", value="ke")
    assert (follow.kind, follow.value) == ("country", "KE")
    assert services.topic_follow_create(actor=stranger, kind="country", value="KE").pk == follow.pk


def test_a_tag_only_drafts_carry_cannot_be_followed(contributor, stranger):
    factories.make_initiative(owner=contributor, tags=["secret plans"])
    with pytest.raises(ValidationError):
        services.topic_follow_create(actor=stranger, kind="tag", value="secret-plans")


def test_the_following_page_lists_what_is_new_under_followed_topics_never_drafts(
    client, contributor, stranger
):
    kenyan = factories.make_initiative(
        owner=contributor, state="published", title="Kenyan incident response", countries=["KE"], tags=[]
    )
    tagged = factories.make_initiative(
        owner=contributor,
        state="published",
        title="Cable repair drills",
        countries=["BR"],
        tags=["undersea cables"],
    )
    followed_record = factories.make_initiative(
        owner=contributor, state="published", title="Followed by itself", countries=["CN"], tags=[]
    )
    factories.make_initiative(
        owner=contributor, state="published", title="Nothing to do with it", countries=["FR"], tags=[]
    )
    factories.make_initiative(owner=contributor, title="Kenyan draft", countries=["KE"])
    factories.make_initiative(
        owner=contributor, state="submitted", title="Cable draft", tags=["undersea cables"]
    )
    services.topic_follow_create(actor=stranger, kind="country", value="KE")
    services.topic_follow_create(actor=stranger, kind="tag", value="undersea-cables")
    services.follow_create(actor=stranger, initiative=followed_record)

    client.force_login(stranger)
    response = client.get(reverse("initiatives:following"))
    assert response.status_code == 200
    # Newest publication first, the record followed by itself among them.
    assert list(response.context["page"]) == [followed_record, tagged, kenyan]
    page = response.content.decode()
    assert "Kenya" in page and "undersea cables" in page
    assert "Nothing to do with it" not in page
    assert "Kenyan draft" not in page and "Cable draft" not in page

    client.post(FOLLOW, {"kind": "tag", "value": "undersea-cables", "action": "unfollow"})
    assert list(client.get(reverse("initiatives:following")).context["page"]) == [followed_record, kenyan]


def test_the_following_page_is_paginated(client, contributor, stranger, settings):
    for number in range(22):
        factories.make_initiative(owner=contributor, state="published", title=f"Kenyan record {number}")
    services.topic_follow_create(actor=stranger, kind="country", value="KE")
    client.force_login(stranger)
    first = client.get(reverse("initiatives:following"))
    assert len(first.context["page"]) == 20 and first.context["page"].paginator.count == 22
    second = client.get(reverse("initiatives:following"), {"page": 2})
    assert [i.title for i in second.context["page"]] == ["Kenyan record 1", "Kenyan record 0"]


def test_the_following_page_sends_anonymous_readers_to_sign_in(client):
    response = client.get(reverse("initiatives:following"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_following_page_reads_as_many_statements_however_many_topics(client, contributor, stranger):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    factories.make_initiative(owner=contributor, state="published", title="Kenyan record")
    services.topic_follow_create(actor=stranger, kind="country", value="KE")
    services.topic_follow_create(actor=stranger, kind="stakeholder", value="undp")
    client.force_login(stranger)
    client.get(reverse("initiatives:following"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("initiatives:following"))
    for code in ("BR", "CN", "FR"):
        services.topic_follow_create(actor=stranger, kind="country", value=code)
    # The news's count is kept under its query, which names what is followed: count it first.
    client.get(reverse("initiatives:following"))
    with CaptureQueriesContext(connection) as more:
        page = client.get(reverse("initiatives:following"))
    assert len(page.context["topics"]) == 5
    assert len(more) == len(few)
