"""The digest carries each person's own notifications after the shared part, which stays one
rendering for everyone with the same items; what a digest carried is not carried again."""

import email
import re
from email import policy

import pytest

from digests import services as digests
from initiatives import services as records
from notifications.models import Notification
from tests import factories
from tests.digests.conftest import run_digests, smtp_server  # noqa: F401 -- the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def digest_settings(settings):
    settings.DIGESTS_SETTLE_SECONDS = 0
    settings.DIGESTS_BATCH_SIZE = 100
    return settings


def subscriber(*, language="en", **topics):
    """A contributor with a daily digest of these topics."""
    user = factories.contributor(preferred_language=language)
    digests.subscription_update(user=user, frequency="daily", **topics)
    return user


def plain_bodies(handler):
    """{address: plain text body} of what the SMTP server accepted."""
    bodies = {}
    for recipients, content in handler.messages:
        message = email.message_from_bytes(content, policy=policy.default)
        for address in recipients:
            bodies[address] = message.get_body(("plain",)).get_content()
    return bodies


def test_one_persons_digest_has_their_notifications_and_the_others_does_not(events, smtp_server):  # noqa: F811
    with_notes = subscriber(key_tasks=["global-south"])
    without = subscriber(key_tasks=["global-south"])
    commenter = factories.contributor()
    record = factories.make_initiative(owner=with_notes, state="published", title="Rural broadband census")
    with events.collect():
        records.comment_create(actor=commenter, initiative=record, body="Which provinces are counted?")
    events.deliver()
    [waiting] = Notification.objects.filter(recipient=with_notes)
    assert (waiting.kind, waiting.channel, waiting.digested_at) == ("comment", "digest", None)

    run_digests()
    bodies = plain_bodies(smtp_server)
    mine, theirs = bodies[with_notes.email], bodies[without.email]
    assert "Your notifications" in mine
    assert "Which provinces are counted?" in mine
    assert f"https://concord.example/initiatives/{record.slug}/#comment-" in mine
    assert "Your notifications" not in theirs
    # The shared part is the same text for both: only the greeting and the personal part differ.
    shared_mine = re.split(r"== Your notifications ==|\n--\s*\n", mine.split("\n", 1)[1])[0].strip()
    shared_theirs = re.split(r"\n--\s*\n", theirs.split("\n", 1)[1])[0].strip()
    assert "Rural broadband census" in shared_mine
    assert shared_mine == shared_theirs
    waiting.refresh_from_db()
    assert waiting.digested_at is not None


def test_a_digest_with_nothing_shared_still_brings_the_persons_notifications_once(events, smtp_server):  # noqa: F811
    owner = subscriber(key_tasks=["major-power-cooperation"], language="zh-hans")
    record = factories.make_initiative(owner=owner, state="published")
    with events.collect():
        records.comment_create(actor=factories.contributor(), initiative=record, body="好项目")
    events.deliver()
    # The record itself is not under the key task followed: only the notification is news.
    run_digests()
    [(recipients, content)] = smtp_server.messages
    message = email.message_from_bytes(content, policy=policy.default)
    assert "您的通知" in str(message["Subject"])
    assert "好项目" in message.get_body(("plain",)).get_content()
    smtp_server.messages.clear()
    run_digests(period="2099-01-01")
    assert smtp_server.messages == []
