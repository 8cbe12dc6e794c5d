"""The comments API: threads with replies nested, posting and replying, the author's edit and
deletion, reports (202, idempotent), hidden comments for their author and moderators, and
404 for records the caller may not see."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives import services
from initiatives.models import Comment, CommentEdit, CommentReport
from tests import factories

pytestmark = pytest.mark.django_db

FIELDS = {"id", "author", "body", "body_html", "parent", "created_at", "edited_at", "replies"}


@pytest.fixture
def published(contributor):
    return factories.make_initiative(owner=contributor, state="published", title="Open dialogue")


@pytest.fixture
def author():
    return factories.contributor(username="amina")


@pytest.fixture
def url(published):
    return f"/api/v1/initiatives/{published.slug}/comments/"


def test_threads_list_oldest_first_with_replies_nested(api, published, author, url):
    reader = factories.contributor(username="li")
    first = services.comment_create(actor=author, initiative=published, body="Hello @li")
    services.comment_create(actor=reader, initiative=published, body="Hi back", parent=first)
    services.comment_create(actor=reader, initiative=published, body="Second thread")
    response = api.get(url)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    top = data["results"][0]
    assert FIELDS <= set(top)
    assert (top["author"], top["body"], top["parent"], top["edited_at"]) == ("amina", "Hello @li", None, None)
    assert '<span class="mention">@li</span>' in top["body_html"]
    assert [(r["author"], r["body"], r["parent"]) for r in top["replies"]] == [("li", "Hi back", first.pk)]
    assert data["results"][1]["body"] == "Second thread" and data["results"][1]["replies"] == []
    assert len(api.get(url, {"page_size": 1}).json()["results"]) == 1


def test_the_list_costs_the_same_queries_for_one_thread_or_many(api, published, author, url):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url).status_code == 200
        return len(captured)

    top = services.comment_create(actor=author, initiative=published, body="One")
    services.comment_create(actor=author, initiative=published, body="Reply", parent=top)
    few = queries()
    for number in range(5):
        top = services.comment_create(actor=author, initiative=published, body=f"Thread {number}")
        services.comment_create(actor=author, initiative=published, body="Reply", parent=top)
    assert queries() == few


def test_posting_and_replying(client_for, api, published, author, url):
    client = client_for(author)
    response = client.post(url, {"body": "A first comment"}, format="json")
    assert response.status_code == 201
    created = response.json()
    assert FIELDS <= set(created) and created["author"] == "amina" and created["replies"] == []
    reply = client.post(url, {"body": "A reply", "parent": created["id"]}, format="json")
    assert reply.status_code == 201 and reply.json()["parent"] == created["id"]
    deeper = client.post(url, {"body": "Deeper", "parent": reply.json()["id"]}, format="json")
    assert deeper.status_code == 400 and "parent" in deeper.json()
    assert client.post(url, {"body": "x", "parent": 999999}, format="json").json()["parent"]
    blank = client.post(url, {"body": "  "}, format="json")
    assert blank.status_code == 400 and "body" in blank.json()
    assert client.post(url, {"body": 5}, format="json").status_code == 400
    assert client.post(url, {"body": "x" * 5001}, format="json").status_code == 400
    assert api.post(url, {"body": "Anonymous"}, format="json").status_code == 401
    assert Comment.objects.count() == 2


def test_a_record_the_caller_may_not_see_is_a_404(client_for, api, contributor, author):
    draft = factories.make_initiative(owner=contributor, title="Private draft")
    draft_url = f"/api/v1/initiatives/{draft.slug}/comments/"
    assert api.get(draft_url).status_code == 404
    assert client_for(author).post(draft_url, {"body": "Hi"}, format="json").status_code == 404
    assert api.get("/api/v1/initiatives/no-such-record/comments/").status_code == 404
    # Its owner sees it, but a draft takes no comments.
    assert client_for(contributor).post(draft_url, {"body": "Hi"}, format="json").status_code == 403


def test_the_author_edits_within_the_window_then_it_is_a_403(client_for, published, author, url):
    comment = services.comment_create(actor=author, initiative=published, body="Frist")
    client = client_for(author)
    response = client.patch(f"{url}{comment.pk}/", {"body": "First"}, format="json")
    assert response.status_code == 200
    assert response.json()["body"] == "First" and response.json()["edited_at"]
    assert CommentEdit.objects.get().body == "Frist"
    other = client_for(factories.contributor())
    assert other.patch(f"{url}{comment.pk}/", {"body": "Mine now"}, format="json").status_code == 403
    assert client.patch(f"{url}{comment.pk}/", {"body": ""}, format="json").status_code == 400
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    late = client.patch(f"{url}{comment.pk}/", {"body": "Later"}, format="json")
    assert late.status_code == 403 and "15 minutes" in late.json()["detail"]
    assert client.patch(f"{url}999999/", {"body": "x"}, format="json").status_code == 404
    assert client.patch(f"{url}99999999999999999999999/", {"body": "x"}, format="json").status_code == 404


def test_the_author_deletes_and_replies_keep_a_placeholder(client_for, api, published, author, url):
    top = services.comment_create(actor=author, initiative=published, body="Going away")
    services.comment_create(actor=factories.contributor(), initiative=published, body="Stays", parent=top)
    assert client_for(factories.contributor()).delete(f"{url}{top.pk}/").status_code == 403
    assert client_for(author).delete(f"{url}{top.pk}/").status_code == 204
    thread = api.get(url).json()["results"][0]
    assert (thread["author"], thread["body"], thread["deleted"]) == (None, "", True)
    assert [reply["body"] for reply in thread["replies"]] == ["Stays"]
    assert client_for(author).delete(f"{url}{top.pk}/").status_code == 404


def test_reporting_is_a_202_and_again_changes_nothing(client_for, published, author, url):
    comment = services.comment_create(actor=author, initiative=published, body="Rude words")
    reporter = client_for(factories.contributor())
    report_url = f"{url}{comment.pk}/report/"
    assert reporter.post(report_url, {"reason": "Rude"}, format="json").status_code == 202
    assert reporter.post(report_url, {"reason": "Very rude"}, format="json").status_code == 202
    assert list(CommentReport.objects.values_list("reason", flat=True)) == ["Rude"]
    missing = reporter.post(report_url, {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    assert client_for(author).post(report_url, {"reason": "Mine"}, format="json").status_code == 403


def test_a_hidden_comment_shows_only_to_its_author_and_moderators_marked(
    client_for, api, published, author, url, moderator
):
    comment = services.comment_create(actor=author, initiative=published, body="Spam spam")
    for _ in range(3):
        reporter = client_for(factories.contributor())
        answer = reporter.post(f"{url}{comment.pk}/report/", {"reason": "Spam"}, format="json")
        assert answer.status_code == 202
    assert api.get(url).json()["results"] == []
    for who in (author, moderator):
        [shown] = client_for(who).get(url).json()["results"]
        assert shown["body"] == "Spam spam" and shown["hidden"] is True
    # Someone who cannot read it cannot reach it either.
    assert reporter.post(f"{url}{comment.pk}/report/", {"reason": "x"}, format="json").status_code == 404
