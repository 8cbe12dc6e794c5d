"""A note's or comment's text is marked with its own language, whatever the interface's: a
Chinese comment on an English page says lang="zh-Hans", an English one on a Chinese page
lang="en". The forms offer the language, and leave it to detection by default."""

import html
import re

import pytest
from django.conf import settings

from initiatives import services
from initiatives.models import Comment, Update
from notifications import services as notifications
from notifications import tasks
from tests import factories

pytestmark = pytest.mark.django_db

CHINESE = "我们的团队很乐意参加下一期培训,请告知报名方式。"
ENGLISH = "Our team would like to join the next cohort; how do we apply?"


def _element_holding(page: str, text: str) -> str:
    """The opening tag of the nearest element around `text` that carries a lang attribute."""
    at = page.index(html.escape(text, quote=False))
    tags = re.findall(r"<([a-z0-9]+)\b[^>]*\blang=\"([^\"]*)\"[^>]*>", page[:at])
    assert tags, text
    return tags[-1][1]


@pytest.fixture
def record(contributor):
    return factories.make_initiative(owner=contributor, state="published", title="CERT academy")


def test_a_chinese_comment_on_the_english_page_is_marked_chinese(client, record):
    reader = factories.contributor()
    services.comment_create(actor=reader, initiative=record, body=CHINESE)
    services.comment_create(actor=reader, initiative=record, body=ENGLISH)
    page = client.get(record.get_absolute_url()).content.decode()
    assert '<html lang="en"' in page
    assert _element_holding(page, CHINESE) == "zh-Hans"
    assert _element_holding(page, ENGLISH) == "en"


def test_an_english_comment_and_note_on_the_chinese_page_are_marked_english(client, record):
    reader, curator = factories.contributor(), factories.curator()
    services.comment_create(actor=reader, initiative=record, body=ENGLISH)
    services.update_create(
        actor=curator, initiative=record, data={"title": "Second cohort trained", "text": "Forty responders."}
    )
    services.update_create(
        actor=curator, initiative=record, data={"title": "第二期结业", "text": "四十名学员。"}
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(record.get_absolute_url()).content.decode()
    assert '<html lang="zh-Hans"' in page
    assert _element_holding(page, ENGLISH) == "en"
    assert _element_holding(page, "Second cohort trained") == "en"
    assert _element_holding(page, "Forty responders.") == "en"
    assert _element_holding(page, "第二期结业") == "zh-Hans"
    assert _element_holding(page, "四十名学员。") == "zh-Hans"


def test_the_comment_form_detects_the_language_unless_one_is_chosen(client, record):
    reader = factories.contributor()
    client.force_login(reader)
    page = client.get(record.get_absolute_url()).content.decode()
    assert 'name="language"' in page and "Detect from the text" in page
    url = f"{record.get_absolute_url()}comments/"
    assert client.post(url, {"body": CHINESE, "language": ""}).status_code == 302
    assert client.post(url, {"body": "网络", "language": "en"}).status_code == 302
    assert list(Comment.objects.order_by("pk").values_list("language", flat=True)) == ["zh-hans", "en"]
    refused = client.post(url, {"body": "Bonjour", "language": "fr"})
    assert refused.status_code == 400 and Comment.objects.count() == 2
    # The edit page offers it too.
    comment = Comment.objects.order_by("pk").last()
    edit = f"/comments/{comment.pk}/edit/"
    assert 'name="language"' in client.get(edit).content.decode()
    assert client.post(edit, {"body": CHINESE, "language": ""}).status_code == 302
    assert Comment.objects.get(pk=comment.pk).language == "zh-hans"


def test_the_note_form_takes_a_language(client, record):
    curator = factories.curator()
    client.force_login(curator)
    url = f"{record.get_absolute_url()}updates/"
    note = {"kind": "progress", "date": "2026-05-01", "title": "Kick-off", "text": "Ready.", "language": ""}
    assert client.post(url, note).status_code == 302
    assert (
        client.post(url, {**note, "title": "UNDP", "text": "CERT", "language": "zh-hans"}).status_code == 302
    )
    assert list(Update.objects.order_by("pk").values_list("language", flat=True)) == ["en", "zh-hans"]


def test_notifications_mark_the_quoted_comment_with_its_language(
    client, record, django_capture_on_commit_callbacks
):
    owner = record.owner
    with django_capture_on_commit_callbacks() as callbacks:
        services.comment_create(actor=factories.contributor(), initiative=record, body=CHINESE)
    for callback in callbacks:
        if getattr(callback, "func", None) == tasks.notifications_for_event.delay:
            notifications.notifications_create(payload=callback.args[0])
    client.force_login(owner)
    page = client.get("/notifications/").content.decode()
    assert f'<span lang="zh-Hans">{CHINESE}</span>' in page
    # The interface's sentence around it stays in the page's language.
    assert "commented on" in page


def test_replies_name_their_language_as_comments_do(client, record):
    reader = factories.contributor()
    first = services.comment_create(actor=reader, initiative=record, body=ENGLISH)
    client.force_login(reader)
    page = client.get(record.get_absolute_url()).content.decode()
    assert f'<select id="reply-language-{first.pk}" name="language">' in page
    assert f'<label for="reply-language-{first.pk}">' in page
    url = f"{record.get_absolute_url()}comments/"
    assert client.post(url, {"body": "好的", "parent": first.pk, "language": ""}).status_code == 302
    assert client.post(url, {"body": "好的", "parent": first.pk, "language": "en"}).status_code == 302
    replies = Comment.objects.filter(parent=first).order_by("pk")
    assert list(replies.values_list("language", flat=True)) == ["zh-hans", "en"]


def test_the_inline_edit_form_keeps_the_language_the_author_chose(client, record):
    author = factories.contributor()
    comment = services.comment_create(actor=author, initiative=record, body="OK 好的", language="zh-hans")
    client.force_login(author)
    page = client.get(record.get_absolute_url()).content.decode()
    select = re.search(rf'<select id="edit-language-{comment.pk}" name="language">(.*?)</select>', page, re.S)
    assert select, "the author's edit form offers the language"
    assert re.findall(r'<option value="([^"]*)" selected>', select.group(1)) == ["zh-hans"]
