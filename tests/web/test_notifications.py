"""The bell on every page, the notifications page with mark read, and the settings form."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from initiatives import services as records
from notifications import services, tasks
from notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
SETTINGS = reverse("notifications:settings")


@pytest.fixture
def rejected(django_capture_on_commit_callbacks):
    """Reject a submitted record of `owner`; its notifications are made as the task would."""

    def reject(owner, *, reason="Name your sources.", title=None):
        extra = {"title": title} if title else {}
        draft = factories.make_initiative(owner=owner, state="submitted", **extra)
        with django_capture_on_commit_callbacks() as callbacks:
            records.initiative_reject(actor=factories.moderator(), initiative=draft, reason=reason)
        for callback in callbacks:
            if getattr(callback, "func", None) == tasks.notifications_for_event.delay:
                services.notifications_create(payload=callback.args[0])
        return draft

    return reject


def bell(page: str) -> str | None:
    """The unread count the header's bell shows, or None without a bell."""
    found = re.search(r'class="bell[^"]*"[^>]*data-unread="(\d+)"', page)
    return found.group(1) if found else None


def test_the_bell_shows_the_unread_count_on_every_page(client, rejected):
    owner = factories.contributor()
    record = rejected(owner)
    rejected(owner)
    client.force_login(owner)
    for url in ("/", "/initiatives/", record.get_absolute_url(), reverse("profile")):
        page = client.get(url).content.decode()
        assert bell(page) == "2", url
        assert '<span class="bell__count">2' in page
    assert bell(Client().get("/").content.decode()) is None


def test_the_page_lists_newest_first_and_marks_read_one_and_all(client, rejected):
    owner, other = factories.contributor(), factories.contributor()
    rejected(owner, title="Older record", reason="First reason")
    newer = rejected(owner, title="Newer record", reason="Second reason")
    rejected(other)
    client.force_login(owner)
    page = client.get(LIST).content.decode()
    assert page.index("“Newer record” was rejected: Second reason") < page.index(
        "“Older record” was rejected"
    )
    assert f'href="{newer.get_absolute_url()}"' in page
    assert page.count("notification--unread") == 2

    mine = Notification.objects.filter(recipient=owner).order_by("-created_at").first()
    answer = client.post(reverse("notifications:read", args=[mine.pk]), {"next": LIST})
    assert answer.status_code == 302 and answer["Location"] == LIST
    page = client.get(LIST).content.decode()
    assert page.count("notification--unread") == 1
    assert bell(page) == "1"

    theirs = Notification.objects.get(recipient=other)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notifications:read", args=[mine.pk])).status_code == 405
    # An address elsewhere is never followed back.
    assert (
        client.post(reverse("notifications:read_all"), {"next": "https://evil.example/"})["Location"] == LIST
    )
    assert bell(client.get("/").content.decode()) == "0"
    assert Notification.objects.get(recipient=other).read_at is None


def test_marking_read_needs_the_csrf_token(rejected):
    owner = factories.contributor()
    rejected(owner)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(reverse("notifications:read_all")).status_code == 403
    assert Notification.objects.filter(recipient=owner, read_at__isnull=True).count() == 1


def test_the_page_is_paginated(client, rejected, monkeypatch):
    monkeypatch.setattr("notifications.views.PAGE_SIZE", 2)
    owner = factories.contributor()
    for number in range(3):
        rejected(owner, title=f"Record number {number:02d}")
    client.force_login(owner)
    first = client.get(LIST).content.decode()
    assert "Record number 02" in first and "Record number 00" not in first
    assert 'href="?page=2"' in first
    second = client.get(LIST, {"page": 2}).content.decode()
    assert "Record number 00" in second and "Record number 02" not in second


def test_signing_in_is_needed(client):
    assert client.get(LIST)["Location"].startswith(reverse("login"))
    assert client.get(SETTINGS)["Location"].startswith(reverse("login"))


def test_the_settings_form_shows_and_saves_a_channel_per_kind(client):
    user = factories.contributor()
    client.force_login(user)
    page = client.get(SETTINGS).content.decode()
    assert re.search(r'name="comment" value="digest"[^>]*checked', page)
    assert re.search(r'name="submission_rejected" value="email"[^>]*checked', page)
    data = {
        "submission_approved": "email",
        "submission_rejected": "site",
        "revision_approved": "email",
        "revision_rejected": "email",
        "comment": "email",
        "reply": "email",
        "mention": "email",
        "invitation": "site",
        "followed_update": "digest",
        "submission_waiting": "digest",
    }
    assert client.post(SETTINGS, data)["Location"] == SETTINGS
    page = client.get(SETTINGS).content.decode()
    assert "Your notification settings are saved." in page
    assert re.search(r'name="submission_rejected" value="site"[^>]*checked', page)
    refused = client.post(SETTINGS, {**data, "comment": "pigeon"})
    assert refused.status_code == 400
    assert "form-field--error" in refused.content.decode()


def test_the_profile_links_to_notifications_and_their_settings(client):
    client.force_login(factories.contributor())
    page = client.get(reverse("profile")).content.decode()
    assert f'href="{LIST}"' in page and f'href="{SETTINGS}"' in page
