"""The moderators' queue of reported comments in the admin: what readers said, and the two
decisions (keep visible, hide with a reason), both through the services."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from initiatives import services
from initiatives.models import Comment, CommentReport
from tests import factories

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:initiatives_reportedcomment_changelist")


@pytest.fixture
def reported(contributor):
    record = factories.make_initiative(owner=contributor, state="published", title="Open dialogue")
    author = factories.contributor(username="writer")
    calm = services.comment_create(actor=author, initiative=record, body="A calm remark")
    loud = services.comment_create(actor=author, initiative=record, body="A loud remark")
    services.comment_create(actor=author, initiative=record, body="Nobody minds this")
    services.comment_report(
        actor=factories.contributor(username="ana"), comment=calm, reason="Looks like spam"
    )
    for name in ("bo", "cy", "di"):
        services.comment_report(
            actor=factories.contributor(username=name), comment=loud, reason=f"Rude ({name})"
        )
    return calm, loud


def act(client, action, comments, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in comments], **extra}
    return client.post(QUEUE, data, follow=True)


def test_the_queue_lists_reported_comments_with_counts_reasons_and_whether_hidden(
    client, moderator, reported
):
    client.force_login(moderator)
    page = client.get(QUEUE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "A calm remark" in html and "A loud remark" in html and "Nobody minds this" not in html
    assert "ana: Looks like spam" in html and "cy: Rude (cy)" in html
    assert html.index("A loud remark") < html.index("A calm remark")  # most reported first
    assert html.count('alt="True"') == 1  # the loud one is hidden by its reports


def test_keep_visible_resolves_the_reports_and_shows_the_comment_again(client, moderator, reported):
    calm, loud = reported
    client.force_login(moderator)
    answer = act(client, "keep_visible", [loud])
    assert "1 comment kept visible" in answer.content.decode()
    loud.refresh_from_db()
    assert not loud.is_hidden
    assert set(CommentReport.objects.filter(comment=loud).values_list("resolution", flat=True)) == {"kept"}
    assert "A loud remark" not in client.get(QUEUE).content.decode()


def test_hide_asks_for_a_reason_then_hides(client, moderator, reported):
    calm, _loud = reported
    client.force_login(moderator)
    asked = act(client, "hide_selected", [calm])
    assert "Hide with a reason" in asked.content.decode()
    assert not Comment.objects.get(pk=calm.pk).is_hidden
    act(client, "hide_selected", [calm], reason="Advertising")
    calm.refresh_from_db()
    assert calm.is_hidden and calm.hidden_by == moderator and calm.hidden_reason == "Advertising"
    assert CommentReport.objects.get(comment=calm).resolution == "hidden"


def test_only_moderators_open_the_queue(client, curator, reported):
    client.force_login(curator)
    assert client.get(QUEUE).status_code == 403
    client.force_login(factories.contributor())
    assert client.get(QUEUE).status_code == 302
