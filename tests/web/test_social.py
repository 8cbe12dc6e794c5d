"""Comments (hidden by moderators with a reason) and follows."""

import pytest
from django.urls import reverse

from initiatives import services
from initiatives.models import Comment, TopicFollow
from tests import factories

pytestmark = pytest.mark.django_db


def test_signed_in_people_comment_on_published_records(client, published, stranger):
    url = reverse("initiatives:comment_create", args=[published.slug])
    assert client.post(url, {"body": "Anonymous?"}).status_code == 302
    assert not Comment.objects.exists()
    client.force_login(stranger)
    response = client.post(url, {"body": "Which countries joined in 2024?"})
    assert response.status_code == 302
    assert Comment.objects.get().author == stranger
    assert "Which countries joined in 2024?" in client.get(published.get_absolute_url()).content.decode()
    empty = client.post(url, {"body": "   "})
    assert empty.status_code == 400
    assert empty.context["comment_form"].errors["body"]


def test_drafts_take_no_comments(client, draft, contributor):
    client.force_login(contributor)
    response = client.post(reverse("initiatives:comment_create", args=[draft.slug]), {"body": "Note"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_moderator_hides_a_comment_only_its_author_still_sees_it(client, published, stranger, moderator):
    comment = services.comment_create(actor=stranger, initiative=published, body="Buy cheap watches here")
    hide_url = reverse("initiatives:comment_hide", args=[comment.pk])

    client.force_login(factories.contributor())
    assert client.post(hide_url, {"reason": "spam"}).status_code == 403

    client.force_login(moderator)
    assert client.get(published.get_absolute_url()).content.decode().count(f'href="{hide_url}"') == 1
    assert client.get(hide_url).status_code == 200
    assert client.post(hide_url, {"reason": ""}).status_code == 400
    assert client.post(hide_url, {"reason": "Advertising"}).status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by == moderator

    client.force_login(stranger)
    own_view = client.get(published.get_absolute_url()).content.decode()
    assert "Buy cheap watches here" in own_view
    assert "Advertising" in own_view and "only you can see it" in own_view

    client.logout()
    assert "Buy cheap watches here" not in client.get(published.get_absolute_url()).content.decode()
    client.force_login(factories.contributor())
    assert "Buy cheap watches here" not in client.get(published.get_absolute_url()).content.decode()


def test_follow_unfollow_and_the_followed_list(client, published, stranger):
    url = reverse("initiatives:follow", args=[published.slug])
    assert client.post(url).status_code == 302
    assert not TopicFollow.objects.filter(kind="initiative").exists()
    client.force_login(stranger)
    client.post(url, {"action": "follow"})
    client.post(url, {"action": "follow"})
    assert TopicFollow.objects.filter(user=stranger, initiative=published).count() == 1
    detail = client.get(published.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in detail and "1 follower" in detail
    following = client.get(reverse("initiatives:following"))
    assert [f.initiative for f in following.context["initiatives"]] == [published]
    assert list(following.context["page"]) == [published]
    client.post(url, {"action": "unfollow"})
    assert not TopicFollow.objects.filter(kind="initiative").exists()
    assert published.title not in client.get(reverse("initiatives:following")).content.decode()


def test_nobody_follows_what_they_cannot_see(client, draft, stranger):
    client.force_login(stranger)
    assert client.post(reverse("initiatives:follow", args=[draft.slug])).status_code == 404
    assert not TopicFollow.objects.filter(kind="initiative").exists()
