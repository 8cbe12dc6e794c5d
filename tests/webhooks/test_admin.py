"""Administrators register webhooks in the admin too; the secret is a write-only field there."""

import pytest
from django.contrib.admin.models import LogEntry

from webhooks.models import Webhook

pytestmark = pytest.mark.django_db


def test_register_and_change_a_webhook_in_the_admin(client, administrator):
    client.force_login(administrator)
    added = client.post(
        "/admin/webhooks/webhook/add/",
        {
            "url": "https://receiver.example/concord",
            "events": ["published", "archived"],
            "new_secret": "the admin's secret",
            "active": "on",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    webhook = Webhook.objects.get()
    assert webhook.events == ["published", "archived"]
    assert webhook.secret == "the admin's secret"
    assert webhook.created_by == administrator
    page = client.get(f"/admin/webhooks/webhook/{webhook.pk}/change/")
    assert page.status_code == 200
    assert b"the admin's secret" not in page.content
    changed = client.post(
        f"/admin/webhooks/webhook/{webhook.pk}/change/",
        {"url": "https://receiver.example/v2", "events": ["merged"], "new_secret": "", "active": "on"},
    )
    assert changed.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.url, webhook.events, webhook.secret) == (
        "https://receiver.example/v2",
        ["merged"],
        "the admin's secret",
    )
    assert LogEntry.objects.filter(object_id=str(webhook.pk)).count() == 2


def test_a_webhook_needs_a_secret_and_known_events(client, administrator):
    client.force_login(administrator)
    answer = client.post(
        "/admin/webhooks/webhook/add/", {"url": "not a url", "events": ["exploded"], "new_secret": ""}
    )
    assert answer.status_code == 200
    errors = answer.context["adminform"].form.errors
    assert set(errors) == {"url", "events", "new_secret"}
    assert not Webhook.objects.exists()
