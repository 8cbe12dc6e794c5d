"""Notes and comments carry the language they are written in: the one their author gives, or
the one their text shows (mostly Chinese characters: zh-hans; anything else: en)."""

import importlib

import pytest
from django.apps import apps as live_apps
from django.core.exceptions import ValidationError

from initiatives import services
from initiatives.models import Comment, Update
from initiatives.search import text_language
from initiatives.texts import html_lang
from tests import factories

pytestmark = pytest.mark.django_db

CHINESE = "第二期培训班顺利结业,四十名来自肯尼亚的应急响应人员参加了UNDP支持的课程。"
ENGLISH = "The second cohort finished; forty responders from Kenya took the UNDP course."


@pytest.mark.parametrize(
    ("texts", "language"),
    [
        ((CHINESE,), "zh-hans"),
        ((ENGLISH,), "en"),
        (("",), "en"),
        (("2024-05-16 (1/3) …",), "en"),
        # Chinese with a few Latin names stays Chinese; English quoting a Chinese term stays English.
        (("联合国开发计划署(UNDP)与世界银行(WB)的联合项目",), "zh-hans"),
        (("We discussed 网络空间命运共同体 at the summit with partners",), "en"),
        # A note's title and text are read together.
        (("会议纪要", "Minutes of the meeting with the ministry and the regional partners"), "en"),
        (("会议纪要", "与会各方就区域合作达成共识"), "zh-hans"),
    ],
)
def test_the_language_a_text_shows(texts, language):
    assert text_language(*texts) == language


def test_the_html_lang_of_a_language():
    assert (html_lang("en"), html_lang("zh-hans"), html_lang("zh-Hans")) == ("en", "zh-Hans", "zh-Hans")
    assert html_lang("") == "" and html_lang(None) == "" and html_lang("fr") == ""


@pytest.fixture
def record(db):
    return factories.make_initiative(state="published")


@pytest.fixture
def curator_user(db):
    return factories.curator()


def test_a_note_is_in_the_language_its_text_shows_unless_its_author_says(record, curator_user):
    chinese = services.update_create(
        actor=curator_user, initiative=record, data={"title": "第二期结业", "text": CHINESE}
    )
    english = services.update_create(
        actor=curator_user, initiative=record, data={"title": "Second cohort", "text": ENGLISH}
    )
    said = services.update_create(
        actor=curator_user,
        initiative=record,
        data={"title": "UNDP", "text": "CERT 2024", "language": "zh-hans"},
    )
    languages = dict(Update.objects.filter(initiative=record).values_list("pk", "language"))
    assert languages == {chinese.pk: "zh-hans", english.pk: "en", said.pk: "zh-hans"}


def test_a_note_in_an_unknown_language_is_refused(record, curator_user):
    with pytest.raises(ValidationError) as refused:
        services.update_create(actor=curator_user, initiative=record, data={"title": "Hi", "language": "fr"})
    assert "language" in refused.value.message_dict
    assert not Update.objects.filter(initiative=record).exists()


def test_a_corrected_note_is_read_again_unless_only_its_date_or_kind_changed(record, curator_user):
    note = services.update_create(
        actor=curator_user, initiative=record, data={"title": "Kick-off", "text": ENGLISH}
    )
    note = services.update_save(actor=curator_user, initiative=record, update=note, data={"text": CHINESE})
    assert Update.objects.get(pk=note.pk).language == "zh-hans"
    note = services.update_save(actor=curator_user, initiative=record, update=note, data={"kind": "meeting"})
    assert Update.objects.get(pk=note.pk).language == "zh-hans"
    note = services.update_save(
        actor=curator_user, initiative=record, update=note, data={"text": CHINESE, "language": "en"}
    )
    assert Update.objects.get(pk=note.pk).language == "en"


def test_a_comment_is_in_the_language_its_body_shows_unless_its_author_says(record):
    reader = factories.contributor()
    chinese = services.comment_create(actor=reader, initiative=record, body=CHINESE)
    english = services.comment_create(actor=reader, initiative=record, body=ENGLISH)
    reply = services.comment_create(actor=reader, initiative=record, body="好!", parent=english)
    said = services.comment_create(actor=reader, initiative=record, body="OK", language="zh-hans")
    languages = dict(Comment.objects.filter(initiative=record).values_list("pk", "language"))
    assert languages == {chinese.pk: "zh-hans", english.pk: "en", reply.pk: "zh-hans", said.pk: "zh-hans"}
    with pytest.raises(ValidationError) as refused:
        services.comment_create(actor=reader, initiative=record, body="Bonjour", language="fr")
    assert "language" in refused.value.message_dict
    assert Comment.objects.filter(initiative=record).count() == 4


def test_an_edited_comment_is_read_again_and_its_language_may_be_corrected_alone(record):
    reader = factories.contributor()
    comment = services.comment_create(actor=reader, initiative=record, body=ENGLISH)
    comment = services.comment_edit(actor=reader, comment=comment, body=CHINESE)
    assert Comment.objects.get(pk=comment.pk).language == "zh-hans"
    # Same wording, another language: only the language changes, and no earlier wording is kept.
    edits = comment.edits.count()
    comment = services.comment_edit(actor=reader, comment=comment, body=CHINESE, language="en")
    assert Comment.objects.get(pk=comment.pk).language == "en" and comment.edits.count() == edits


def test_the_migration_gives_rows_written_before_it_the_language_their_text_shows(record, curator_user):
    """0029 carries its own copy of the rule; run on rows that all say English, it finds the
    Chinese ones exactly as text_language does."""
    reader = factories.contributor()
    notes = [
        services.update_create(actor=curator_user, initiative=record, data={"title": title, "text": text})
        for title, text in (("第二期结业", CHINESE), ("Second cohort", ENGLISH), ("会议纪要", ENGLISH))
    ]
    comments = [
        services.comment_create(actor=reader, initiative=record, body=body)
        for body in (CHINESE, ENGLISH, "We discussed 网络空间 there")
    ]
    Update.objects.update(language="en")
    Comment.objects.update(language="en")

    migration = importlib.import_module("initiatives.migrations.0029_note_comment_language")
    migration.detect(live_apps, None)

    assert (
        [Update.objects.get(pk=n.pk).language for n in notes]
        == [text_language(n.title, n.text) for n in notes]
        == ["zh-hans", "en", "en"]
    )
    assert (
        [Comment.objects.get(pk=c.pk).language for c in comments]
        == [text_language(c.body) for c in comments]
        == ["zh-hans", "en", "en"]
    )
