"""Administrators read who was told what; nobody changes it in the admin."""

import pytest
from django.urls import reverse

from initiatives import services as records
from notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


def test_administrators_read_the_list_and_nobody_writes(client, events):
    owner = factories.contributor(username="amina")
    draft = factories.make_initiative(owner=owner, state="submitted")
    with events.collect():
        records.initiative_reject(actor=factories.moderator(), initiative=draft, reason="No.")
    events.deliver()
    notification = Notification.objects.get(recipient=owner)
    client.force_login(factories.admin())
    page = client.get(reverse("admin:notifications_notification_changelist"))
    assert page.status_code == 200
    assert "amina" in page.content.decode()
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403
    change = reverse("admin:notifications_notification_change", args=[notification.pk])
    assert client.post(change, {"kind": "comment"}).status_code == 403
    notification.refresh_from_db()
    assert notification.kind == "submission_rejected"
    client.force_login(factories.moderator())
    assert client.get(reverse("admin:notifications_notification_changelist")).status_code == 403
