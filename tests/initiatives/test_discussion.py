"""Discussion on a record: replies one level deep, edits within a window (the earlier wording
kept), deletion by the author, reports, hiding by three reporters and moderators' decisions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from initiatives import services
from initiatives.models import Comment, CommentEdit, CommentReport
from initiatives.selectors.discussion import comment_threads
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(contributor):
    return factories.make_initiative(owner=contributor, state="published", title="Cyber capacity dialogue")


@pytest.fixture
def author():
    return factories.contributor(username="amina")


@pytest.fixture
def comment(published, author):
    return services.comment_create(actor=author, initiative=published, body="First **thought**")


def moved_back(comment, minutes):
    earlier = timezone.now() - datetime.timedelta(minutes=minutes)
    Comment.objects.filter(pk=comment.pk).update(created_at=earlier)
    comment.refresh_from_db()
    return comment


def thread_texts(user, initiative):
    return [
        (c.body if c.readable else None, [r.body for r in c.shown_replies])
        for c in comment_threads(user=user, initiative=initiative)
    ]


def test_a_comment_keeps_its_html_with_mentions_of_real_people_marked(published, author):
    factories.contributor(username="li.wei")
    comment = services.comment_create(
        actor=author,
        initiative=published,
        body="Thanks @li.wei and @nobody <script>alert(1)</script> `@li.wei`",
    )
    html = Comment.objects.get(pk=comment.pk).body_html
    assert '<span class="mention">@li.wei</span>' in html
    assert "@nobody" in html and 'class="mention">@nobody' not in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<code>@li.wei</code>" in html


def test_replies_go_one_level_deep_under_a_comment_of_the_record(published, author, comment, contributor):
    reply = services.comment_create(actor=contributor, initiative=published, body="Agreed", parent=comment)
    assert reply.parent == comment
    with pytest.raises(ValidationError) as error:
        services.comment_create(actor=author, initiative=published, body="Deeper", parent=reply)
    assert "parent" in error.value.message_dict
    other = factories.make_initiative(owner=contributor, state="published", title="Another record")
    with pytest.raises(ValidationError):
        services.comment_create(actor=author, initiative=other, body="Elsewhere", parent=comment)
    assert thread_texts(None, published) == [("First **thought**", ["Agreed"])]


def test_the_author_edits_within_the_window_and_the_earlier_wording_is_kept(comment, author, settings):
    settings.COMMENT_EDIT_MINUTES = 15
    edited = services.comment_edit(actor=author, comment=comment, body="First *idea*")
    assert edited.edited_at is not None and "<em>idea</em>" in edited.body_html
    kept = CommentEdit.objects.get(comment=comment)
    assert (kept.body, kept.edited_by) == ("First **thought**", author)

    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=factories.contributor(), comment=comment, body="Not mine")
    with pytest.raises(ValidationError):
        services.comment_edit(actor=author, comment=comment, body="   ")

    moved_back(comment, 16)
    with pytest.raises(PermissionDenied, match="15 minutes"):
        services.comment_edit(actor=author, comment=comment, body="Too late")
    comment.refresh_from_db()
    assert comment.body == "First *idea*" and CommentEdit.objects.count() == 1


def test_a_deleted_comment_with_replies_stays_as_a_placeholder_otherwise_it_goes(published, author, comment):
    reader = factories.contributor()
    services.comment_create(actor=reader, initiative=published, body="A reply", parent=comment)
    lonely = services.comment_create(actor=author, initiative=published, body="Nobody answered")
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=reader, comment=comment)

    services.comment_delete(actor=author, comment=comment)
    services.comment_delete(actor=author, comment=lonely)
    assert thread_texts(reader, published) == [(None, ["A reply"])]
    assert Comment.objects.get(pk=comment.pk).deleted_at is not None
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=author, comment=comment, body="Back again")
    with pytest.raises(ValidationError):
        services.comment_create(actor=reader, initiative=published, body="To the void", parent=comment)


def test_reports_are_once_per_person_never_on_ones_own_and_need_a_reason(comment, author):
    reader = factories.contributor()
    first = services.comment_report(actor=reader, comment=comment, reason="Off topic")
    again = services.comment_report(actor=reader, comment=comment, reason="Really off topic")
    assert first.pk == again.pk and CommentReport.objects.get().reason == "Off topic"
    with pytest.raises(PermissionDenied):
        services.comment_report(actor=author, comment=comment, reason="Regret")
    with pytest.raises(ValidationError) as error:
        services.comment_report(actor=factories.contributor(), comment=comment, reason=" ")
    assert "reason" in error.value.message_dict
    inactive = factories.contributor(is_active=False)
    with pytest.raises(PermissionDenied):
        services.comment_report(actor=inactive, comment=comment, reason="Spam")


def test_three_reporters_hide_a_comment_until_a_moderator_keeps_it(published, comment, author, moderator):
    reporters = [factories.contributor() for _ in range(3)]
    for reporter in reporters[:2]:
        services.comment_report(actor=reporter, comment=comment, reason="Rude")
    services.comment_report(actor=reporters[0], comment=comment, reason="Rude")
    comment.refresh_from_db()
    assert not comment.is_hidden
    services.comment_report(actor=reporters[2], comment=comment, reason="Rude")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by_reports and comment.hidden_by is None
    assert thread_texts(reporters[0], published) == []
    assert thread_texts(author, published) == [("First **thought**", [])]
    assert thread_texts(moderator, published) == [("First **thought**", [])]

    with pytest.raises(PermissionDenied):
        services.comment_reports_dismiss(actor=reporters[0], comment=comment)
    assert services.comment_reports_dismiss(actor=moderator, comment=comment) == 3
    comment.refresh_from_db()
    assert not comment.is_hidden and not comment.hidden_by_reports
    assert set(CommentReport.objects.values_list("resolution", "resolved_by")) == {("kept", moderator.pk)}
    assert thread_texts(reporters[0], published) == [("First **thought**", [])]


def test_a_moderator_hides_a_reported_comment_and_the_reports_are_resolved(comment, moderator):
    services.comment_report(actor=factories.contributor(), comment=comment, reason="Spam")
    services.comment_hide(actor=moderator, comment=comment, reason="Advertising")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by == moderator and not comment.hidden_by_reports
    report = CommentReport.objects.get()
    assert (report.resolution, report.resolved_by) == ("hidden", moderator)
    # Keeping it visible later does not undo a moderator's hiding.
    services.comment_reports_dismiss(actor=moderator, comment=comment)
    comment.refresh_from_db()
    assert comment.is_hidden


def test_comments_on_records_the_actor_may_not_see_are_refused(contributor, author):
    draft = factories.make_initiative(owner=contributor, title="Private draft")
    with pytest.raises(PermissionDenied):
        services.comment_create(actor=author, initiative=draft, body="Hello")
    published = factories.make_initiative(owner=contributor, state="published", title="Open record")
    comment = services.comment_create(actor=author, initiative=published, body="Hello")
    services.initiative_archive(actor=factories.curator(), initiative=published)
    comment.refresh_from_db()
    # Archived, the record is no longer public: a stranger cannot reach its discussion.
    with pytest.raises(PermissionDenied):
        services.comment_report(actor=factories.contributor(), comment=comment, reason="Old news")
    assert not CommentReport.objects.exists()


def test_an_edit_past_the_length_limit_is_refused_and_nothing_is_kept(comment, author):
    with pytest.raises(ValidationError) as error:
        services.comment_edit(actor=author, comment=comment, body="x" * 5001)
    assert "body" in error.value.message_dict
    comment.refresh_from_db()
    assert comment.body == "First **thought**" and not CommentEdit.objects.exists()
