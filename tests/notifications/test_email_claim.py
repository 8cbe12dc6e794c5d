"""An e-mail is claimed before it is sent: a refused send gives the claim back for the retry,
and once the mail server has it no retry or repeat mails it again."""

import smtplib

import pytest

from initiatives import services as records
from notifications import services
from notifications.models import Notification
from tests import factories
from tests.digests.conftest import smtp_server  # noqa: F401 -- the fixture

pytestmark = pytest.mark.django_db


def test_a_refused_send_is_retried_and_a_sent_one_never_again(events, smtp_server):  # noqa: F811
    owner = factories.contributor()
    draft = factories.make_initiative(owner=owner, state="submitted")
    with events.collect():
        records.initiative_reject(actor=factories.moderator(), initiative=draft, reason="No sources.")
    [payload] = events.payloads
    [pk] = services.notifications_create(payload=payload)

    smtp_server.refuse[owner.email] = "451 4.3.0 Try again later"
    with pytest.raises(smtplib.SMTPException):
        services.notification_email_send(notification_id=pk)
    assert Notification.objects.get(pk=pk).email_claimed_at is None
    assert smtp_server.messages == []

    del smtp_server.refuse[owner.email]
    assert services.notification_email_send(notification_id=pk) is True
    assert services.notification_email_send(notification_id=pk) is False
    # The event delivered again finds nothing left to mail.
    assert services.notifications_create(payload=payload) == []
    assert [recipients for recipients, _content in smtp_server.messages] == [[owner.email]]
    assert Notification.objects.get(pk=pk).emailed_at is not None
