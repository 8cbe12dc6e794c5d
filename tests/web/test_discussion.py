"""The discussion on a record's page, without JavaScript: threads with replies indented, the
reply, edit, delete and report forms (each with its CSRF token), and the @mention
suggestions, which tell signed-in readers usernames and nothing more."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from initiatives import services
from initiatives.models import Comment, CommentEdit, CommentReport
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return factories.contributor(username="amina")


@pytest.fixture
def thread(published, author, stranger):
    top = services.comment_create(actor=author, initiative=published, body="How do we **start**?")
    reply = services.comment_create(actor=stranger, initiative=published, body="With a workshop", parent=top)
    return top, reply


def page(client, initiative) -> str:
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_replies_are_indented_under_their_comment_with_a_reply_form(client, published, thread, stranger):
    top, reply = thread
    client.force_login(stranger)
    html = page(client, published)
    replies = html.index('class="comment__replies"')
    assert html.index(f'id="comment-{top.pk}"') < replies < html.index(f'id="comment-{reply.pk}"')
    assert "<strong>start</strong>" in html
    assert f'name="parent" value="{top.pk}"' in html
    assert html.count("csrfmiddlewaretoken") >= 4
    response = client.post(
        reverse("initiatives:comment_create", args=[published.slug]), {"body": "Me too", "parent": top.pk}
    )
    posted = Comment.objects.get(body="Me too")
    assert posted.parent == top
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{posted.pk}")
    refused = client.post(
        reverse("initiatives:comment_create", args=[published.slug]), {"body": "Deeper", "parent": reply.pk}
    )
    assert refused.status_code == 400 and "Reply to a top-level comment" in refused.content.decode()
    assert not Comment.objects.filter(body="Deeper").exists()


def test_anonymous_readers_see_the_threads_but_no_forms(client, published, thread):
    html = page(client, published)
    assert "With a workshop" in html
    assert "comment__actions" not in html and 'name="parent"' not in html
    assert "js/mentions.js" not in html


def test_the_author_edits_within_the_window_and_the_comment_shows_edited(client, published, thread, author):
    top, _reply = thread
    url = reverse("initiatives:comment_edit", args=[top.pk])
    client.force_login(author)
    assert f'action="{url}"' in page(client, published)
    assert client.get(url).status_code == 200
    assert client.post(url, {"body": ""}).status_code == 400
    assert client.post(url, {"body": "How do we begin?"}).status_code == 302
    html = page(client, published)
    assert "How do we begin?" in html and "comment__edited" in html
    assert CommentEdit.objects.get().body == "How do we **start**?"

    Comment.objects.filter(pk=top.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=20))
    assert f'action="{url}"' not in page(client, published)
    late = client.post(url, {"body": "Too late"})
    assert late.status_code == 403 and "15 minutes" in late.content.decode()
    assert Comment.objects.get(pk=top.pk).body == "How do we begin?"


def test_only_the_author_edits_or_deletes(client, published, thread, stranger, author):
    top, _reply = thread
    client.force_login(stranger)
    html = page(client, published)
    assert reverse("initiatives:comment_edit", args=[top.pk]) not in html
    assert reverse("initiatives:comment_delete", args=[top.pk]) not in html
    assert (
        client.post(reverse("initiatives:comment_edit", args=[top.pk]), {"body": "Mine"}).status_code == 403
    )
    assert client.post(reverse("initiatives:comment_delete", args=[top.pk])).status_code == 403
    assert Comment.objects.get(pk=top.pk).deleted_at is None


def test_deleting_leaves_a_placeholder_while_replies_remain(client, published, thread, author):
    top, reply = thread
    client.force_login(author)
    assert client.get(reverse("initiatives:comment_delete", args=[top.pk])).status_code == 405
    assert client.post(reverse("initiatives:comment_delete", args=[top.pk])).status_code == 302
    html = page(client, published)
    assert "Comment deleted." in html and "How do we" not in html and "With a workshop" in html
    lonely = services.comment_create(actor=author, initiative=published, body="Second thoughts")
    client.post(reverse("initiatives:comment_delete", args=[lonely.pk]))
    html = page(client, published)
    assert "Second thoughts" not in html and html.count("Comment deleted.") == 1


def test_readers_report_with_a_reason_but_not_their_own(client, published, thread, author, stranger):
    top, reply = thread
    url = reverse("initiatives:comment_report", args=[top.pk])
    client.force_login(stranger)
    assert f'action="{url}"' in page(client, published)
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Off topic"}).status_code == 302
    assert client.post(url, {"reason": "Off topic again"}).status_code == 302
    assert list(CommentReport.objects.values_list("reason", flat=True)) == ["Off topic"]
    own = reverse("initiatives:comment_report", args=[reply.pk])
    assert f'action="{own}"' not in page(client, published)
    assert client.post(own, {"reason": "Regret"}).status_code == 403


def test_comments_of_a_record_one_may_not_see_are_404(client, contributor, stranger):
    draft = factories.make_initiative(owner=contributor, state="published", title="Soon private")
    comment = services.comment_create(actor=stranger, initiative=draft, body="Hello")
    services.initiative_archive(actor=factories.curator(), initiative=draft)
    client.force_login(factories.contributor())
    for name in ("comment_edit", "comment_report"):
        assert client.get(reverse(f"initiatives:{name}", args=[comment.pk])).status_code == 404
    assert client.post(reverse("initiatives:comment_delete", args=[comment.pk])).status_code == 404
    assert client.get(reverse("initiatives:comment_edit", args=[10**20])).status_code == 404


def test_a_comment_hidden_by_reports_shows_to_its_author_and_moderators(client, published, thread, moderator):
    top, _reply = thread
    for _ in range(3):
        services.comment_report(actor=factories.contributor(), comment=top, reason="Rude")
    client.force_login(factories.contributor())
    html = page(client, published)
    assert "How do we" not in html and "Comment hidden." in html and "With a workshop" in html
    client.force_login(moderator)
    html = page(client, published)
    assert "How do we" in html and "only its author and the moderators see it" in html


def test_mention_suggestions_are_usernames_for_signed_in_readers_only(client, stranger):
    for name in ("amir", "amina", "amos", "amy", "amara", "amadou", "amelia", "amani", "amit"):
        factories.contributor(username=name)
    factories.contributor(username="amber", is_active=False)
    url = reverse("initiatives:autocomplete", args=["people"])
    anonymous = Client().get(url, {"q": "am"})
    assert anonymous.status_code == 403 and anonymous.json()["results"] == []
    client.force_login(stranger)
    results = client.get(url, {"q": "Am"}).json()["results"]
    names = [item["value"] for item in results]
    assert len(names) == 8 and names == sorted(names) and "amber" not in names
    assert all(set(item) == {"value", "label"} and "@" not in item["label"] for item in results)
    assert client.get(url, {"q": "example.org"}).json()["results"] == []
    assert client.get(url, {"q": ""}).json()["results"] == []
    assert [i["value"] for i in client.get(url, {"q": "@amin"}).json()["results"]] == ["amina"]


def test_comment_textareas_offer_mention_completion_from_a_script_file(client, published, stranger):
    client.force_login(stranger)
    html = page(client, published)
    assert 'data-mentions="/autocomplete/people/"' in html
    assert 'src="/static/js/mentions.js"' in html


def test_the_discussion_speaks_chinese(client, published, thread, stranger, author):
    top, _reply = thread
    services.comment_delete(actor=author, comment=top)
    services.comment_create(actor=author, initiative=published, body="另一条")
    client.force_login(stranger)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    html = page(client, published)
    for text in ("评论已删除。", "举报", "向审核员举报"):
        assert text in html, text
    late = reverse("initiatives:comment_edit", args=[_reply.pk])
    Comment.objects.filter(pk=_reply.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=20))
    assert "评论只能在发表后 15 分钟内修改。" in client.post(late, {"body": "晚了"}).content.decode()


def test_the_page_costs_the_same_queries_for_one_thread_or_many(client, published, author, stranger):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            page(client, published)
        return len(captured)

    client.force_login(stranger)
    top = services.comment_create(actor=author, initiative=published, body="One @amina")
    services.comment_create(actor=stranger, initiative=published, body="Reply", parent=top)
    few = queries()
    for number in range(5):
        top = services.comment_create(actor=author, initiative=published, body=f"Thread {number}")
        services.comment_create(actor=stranger, initiative=published, body="Reply", parent=top)
    assert queries() == few
