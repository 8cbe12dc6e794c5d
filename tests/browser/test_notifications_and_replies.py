"""Collaboration as people feel it, in a real browser with a real Celery worker: a mention
lights the owner's bell, the owner's reply joins the comment's thread, and the reply lights
the commenter's bell until they read it."""

import pytest

from notifications.models import Notification
from tests import factories
from tests.browser.test_journey import sign_in
from tests.notifications.test_worker import broker, smtp, wait_until, worker  # noqa: F401 -- fixtures

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _bell(page) -> int:
    """The unread count the header's bell shows (none shown is none unread)."""
    count = page.locator(".bell .bell__count")
    return int(count.inner_text().split()[0]) if count.count() else 0


def _told(user, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


@pytest.mark.usefixtures("worker")
def test_the_bell_counts_mentions_and_replies_and_a_reply_joins_its_thread(
    live_server,
    frame,
    browser,
    screenshot,
):
    base = live_server.url
    alice = factories.contributor(username="alice")
    bob = factories.contributor(username="bob")
    record = factories.make_initiative(owner=alice, state="published", title="Andean CERT exchange")
    # Publishing told Alice already; her bell starts from that.
    wait_until(lambda: _told(alice, "submission_approved") == 1, message="the approval notification")
    page_of_record = f"/initiatives/{record.slug}/"

    alices = browser.new_context(locale="en-GB").new_page()
    sign_in(alices, base, alice.username, page_of_record)
    before = _bell(alices)
    assert before == 1

    bobs = browser.new_context(locale="en-GB").new_page()
    sign_in(bobs, base, bob.username, page_of_record)
    assert _bell(bobs) == 0
    bobs.locator("#comments > form").get_by_label("Your comment").fill(
        "@alice could the exchange include Bolivia's CSIRT?"
    )
    bobs.get_by_role("button", name="Post comment").click()
    bobs.wait_for_load_state()
    comment = bobs.locator("#comments article.comment").first
    assert "could the exchange include" in comment.inner_text()

    wait_until(lambda: _told(alice, "mention") == 1, message="the mention notification")
    alices.reload()
    assert _bell(alices) == before + 1
    screenshot(alices, "bell-after-mention")

    # Alice replies under Bob's comment; the reply sits in that comment's thread.
    thread = alices.locator("#comments > article.comment").first
    thread.get_by_text("Reply", exact=True).click()
    thread.get_by_label("Your reply").fill("Yes, and Ecuador's too.")
    thread.get_by_role("button", name="Post reply").click()
    alices.wait_for_load_state()
    replies = alices.locator("#comments > article.comment").first.locator(
        ".comment__replies article.comment--reply"
    )
    assert replies.count() == 1
    assert "Ecuador's too" in replies.first.inner_text()
    screenshot(alices, "reply-thread")

    wait_until(lambda: _told(bob, "reply") == 1, message="the reply notification")
    bobs.reload()
    assert _bell(bobs) == 1
    bobs.locator(".bell").click()
    bobs.wait_for_load_state()
    assert "alice" in bobs.locator("main").inner_text()
    bobs.get_by_role("button", name="Mark all read").click()
    bobs.wait_for_load_state()
    assert _bell(bobs) == 0
    # Nobody was told twice, and Bob was not told of his own comment.
    assert _told(alice, "mention") == 1 and _told(alice, "comment") == 0
    assert _told(bob, "mention") == 0 and _told(bob, "comment") == 0
    alices.context.close()
    bobs.context.close()
