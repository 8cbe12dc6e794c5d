"""Every kind, end to end: the services announce, a real Celery worker on Redis makes the
notifications after commit and mails them through a real SMTP server on loopback.

The worker is its own process against the pytest database (committed data, hence
transactional_db). Everyone involved chose e-mail for every kind, so each notification is a
message; an event delivered twice still mails once.
"""

import email
import os
import threading
from collections import Counter
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, transaction

from initiatives import services as records
from initiatives.announcements import member_event_announce
from initiatives.choices import MemberEvent, TopicKind
from notifications import services
from notifications.choices import NotificationKind
from notifications.models import Notification
from tests import factories
from tests.ops.servers import celery_worker, free_port, redis_broker, wait_until

BROKER_URL = os.environ.get("NOTIFICATIONS_TEST_BROKER_URL", "redis://127.0.0.1:6379/12")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process must share the test database, which SQLite keeps in memory",
    ),
]


class Mailbox:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def received(self):
        with self.lock:
            return list(self.messages)

    def notifications(self):
        """The notifications' own mails (the invitation's own mails go out besides)."""
        return [m for m in self.received() if str(m["Message-ID"]).startswith("<notification.")]

    def to(self, user):
        return [m for m in self.notifications() if m["To"] == user.email]


@pytest.fixture
def smtp():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield mailbox, controller.port
    controller.stop()


@pytest.fixture
def broker():
    with redis_broker(BROKER_URL) as url:
        yield url


@pytest.fixture
def worker(tmp_path, broker, smtp):
    _mailbox, port = smtp
    environment = {"EMAIL_URL": f"smtp://127.0.0.1:{port}", "SITE_URL": "https://concord.example"}
    with celery_worker(
        tmp_path / "worker.log", broker=broker, name="notifications", **environment
    ) as process:
        yield process


def everything_by_email(user):
    services.notification_settings_update(
        actor=user, channels={kind: "email" for kind in NotificationKind.values}
    )
    return user


def subjects(mailbox, user):
    return Counter(" ".join(str(m["Subject"]).split()) for m in mailbox.to(user))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_kind_reaches_its_people_once_by_email_in_their_language(smtp, worker):
    mailbox, _port = smtp
    owner, partner, follower, asker, answerer = (
        everything_by_email(factories.contributor()) for _ in range(5)
    )
    moderator = everything_by_email(factories.moderator(preferred_language="zh-hans"))
    records.topic_follow_create(actor=follower, kind=TopicKind.KEY_TASK, value="global-south")

    draft = records.initiative_create(
        actor=owner, data=factories.initiative_data(title="Digital skills for farmers")
    )
    invitation = records.collaborator_invite(actor=owner, initiative=draft, identifier=partner.username)
    wait_until(lambda: len(mailbox.to(partner)) == 1, message="the invitation")
    records.invitation_accept(actor=partner, invitation_id=invitation.pk)
    draft.refresh_from_db()
    records.initiative_submit(actor=owner, initiative=draft)
    records.initiative_reject(actor=moderator, initiative=draft, reason="Name your sources.")
    draft.refresh_from_db()
    records.initiative_submit(actor=owner, initiative=draft)
    records.initiative_approve(actor=moderator, initiative=draft)
    draft.refresh_from_db()
    proposal = records.initiative_edit(
        actor=partner, initiative=draft, data={"summary": "Farmers learn online."}
    )
    records.revision_approve(actor=moderator, revision=proposal)
    draft.refresh_from_db()
    proposal = records.initiative_edit(actor=partner, initiative=draft, data={"summary": "Shorter."})
    records.revision_reject(actor=moderator, revision=proposal, reason="Keep the longer one.")
    question = records.comment_create(actor=asker, initiative=draft, body="When does it start?")
    answer = records.comment_create(
        actor=answerer, initiative=draft, body=f"In May, @{follower.username} knows more.", parent=question
    )
    # The same event delivered again: its notifications and mails are not made twice.
    with transaction.atomic():
        member_event_announce(
            kind=MemberEvent.COMMENT_POSTED,
            initiative=draft,
            actor=answerer,
            key=f"comment:{answer.pk}",
            comment=answer,
            mentioned=[follower],
        )
    # A last event, queued behind all of the above: once its mail is in, the worker is done.
    sentinel = everything_by_email(factories.contributor())
    records.initiative_submit(
        actor=sentinel,
        initiative=records.initiative_create(actor=sentinel, data=factories.initiative_data()),
    )
    wait_until(lambda: len(mailbox.to(moderator)) == 5, message="every mail, the last one to the moderator")

    assert set(subjects(mailbox, owner)) == {
        "[Concord] My submission was rejected",
        "[Concord] My submission was approved",
        "[Concord] A comment on a record I own, work on or follow",
    }
    assert subjects(mailbox, owner)["[Concord] A comment on a record I own, work on or follow"] == 2
    assert subjects(mailbox, partner) == Counter(
        {
            "[Concord] An invitation to collaborate": 1,
            "[Concord] My submission was rejected": 1,
            "[Concord] My submission was approved": 1,
            "[Concord] A change I proposed was approved": 1,
            "[Concord] A change I proposed was rejected": 1,
            "[Concord] A comment on a record I own, work on or follow": 2,
        }
    )
    assert subjects(mailbox, follower) == Counter(
        {"[Concord] News of something I follow": 2, "[Concord] Someone mentioned me": 1}
    )
    assert subjects(mailbox, asker) == Counter({"[Concord] A reply to my comment": 1})
    assert mailbox.to(answerer) == []
    # The moderator reads Chinese: three submissions and two proposals, each waiting for review.
    assert subjects(mailbox, moderator) == Counter({"[Concord] 有内容等待审核（审核员）": 5})
    bodies = [m.get_body(("plain",)).get_content() for m in mailbox.to(moderator)]
    assert any("提交了“Digital skills for farmers”，等待审核" in body for body in bodies)
    assert any("提议修改“Digital skills for farmers”" in body for body in bodies)
    rejected = next(m for m in mailbox.to(owner) if "rejected" in str(m["Subject"]))
    assert "Name your sources." in rejected.get_body(("plain",)).get_content()
    assert "https://concord.example/initiatives/" in rejected.get_body(("plain",)).get_content()
    # One notification per person and event, each mailed once.
    assert Notification.objects.filter(emailed_at__isnull=False).count() == len(mailbox.notifications())
    assert len({m["Message-ID"] for m in mailbox.notifications()}) == len(mailbox.notifications())
    per_event = Counter(Notification.objects.values_list("recipient_id", "event_key"))
    assert set(per_event.values()) == {1}
