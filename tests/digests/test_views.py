import datetime
import json
import xml.etree.ElementTree as ET

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from digests.choices import Frequency
from digests.models import Subscription
from digests.tokens import SALT, unsubscribe_token
from initiatives.models import Initiative
from tests import factories

from .conftest import subscriber

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def atom(content: bytes):
    return ET.fromstring(content)  # noqa: S314 -- the site's own feed, not outside input


# Settings page and saved searches --------------------------------------------------------


def test_settings_page_needs_sign_in(client):
    response = client.get(reverse("digests:settings"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_settings_page_saves_frequency_and_topics(client, contributor):
    client.force_login(contributor)
    assert client.get(reverse("digests:settings")).status_code == 200
    response = client.post(
        reverse("digests:settings"),
        {
            "frequency": "weekly",
            "watch": "topics",
            "key_tasks": ["global-south"],
            "countries": ["KE"],
            "tags": "cert, smart cities",
        },
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get(user=contributor)
    assert subscription.frequency == "weekly"
    assert subscription.tags == ["cert", "smart cities"]
    page = client.get(reverse("digests:settings")).content.decode()
    assert 'value="cert, smart cities"' in page


def test_settings_page_shows_errors_not_500(client, contributor):
    client.force_login(contributor)
    response = client.post(reverse("digests:settings"), {"frequency": "hourly", "watch": "topics"})
    assert response.status_code == 200
    assert "hourly" in response.content.decode()  # Django's "not one of the available choices"
    assert not Subscription.objects.filter(user=contributor).exists()


def test_a_filtered_browse_query_can_be_saved_as_a_subscription(client, contributor):
    client.force_login(contributor)
    form = client.get(reverse("digests:search_save") + "?key_task=global-south&country=KE&page=3")
    assert form.status_code == 200
    assert "key_task=global-south&amp;country=KE" in form.content.decode()
    response = client.post(
        reverse("digests:search_save"),
        {"query": "key_task=global-south&country=KE", "name": "Kenya", "frequency": "daily"},
    )
    assert response.status_code == 302
    search = Subscription.objects.get(user=contributor, kind="search")
    assert (search.name, search.frequency) == ("Kenya", "daily")
    bad = client.post(reverse("digests:search_save"), {"query": "country=ZZ", "frequency": "daily"})
    assert bad.status_code == 200 and Subscription.objects.filter(kind="search").count() == 1
    client.post(reverse("digests:search_change", args=[search.pk]), {"frequency": "off"})
    assert Subscription.objects.get(pk=search.pk).frequency == "off"
    other = factories.contributor()
    client.force_login(other)
    assert (
        client.post(reverse("digests:search_change", args=[search.pk]), {"action": "delete"}).status_code
        == 404
    )
    client.force_login(contributor)
    client.post(reverse("digests:search_change", args=[search.pk]), {"action": "delete"})
    assert not Subscription.objects.filter(pk=search.pk).exists()


# Unsubscribe -----------------------------------------------------------------------------


def test_unsubscribe_get_confirms_and_changes_nothing(client):
    user = subscriber()
    subscription = Subscription.objects.get(user=user)
    response = client.get(reverse("digests:unsubscribe", args=[unsubscribe_token(subscription)]))
    assert response.status_code == 200
    assert user.email in response.content.decode()
    assert Subscription.objects.get(pk=subscription.pk).frequency == Frequency.DAILY


def test_unsubscribe_post_needs_no_session_or_csrf_and_can_be_repeated():
    from django.test import Client

    user = subscriber()
    subscription = Subscription.objects.get(user=user)
    url = reverse("digests:unsubscribe", args=[unsubscribe_token(subscription)])
    one_click = Client(enforce_csrf_checks=True)
    assert one_click.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Subscription.objects.get(pk=subscription.pk).frequency == Frequency.OFF
    assert one_click.post(url).status_code == 200
    assert Subscription.objects.get(pk=subscription.pk).frequency == Frequency.OFF


def test_tampered_expired_or_foreign_tokens_are_refused(client, settings):
    user = subscriber()
    subscription = Subscription.objects.get(user=user)
    token = unsubscribe_token(subscription)
    tampered = signing.dumps({"s": subscription.pk + 1, "u": user.pk}, salt=SALT)[:-3] + token[-3:]
    wrong_salt = signing.dumps({"s": subscription.pk, "u": user.pk}, salt="another-purpose")
    for bad in (tampered, wrong_salt, token[:-1] + ("A" if token[-1] != "A" else "B"), "garbage"):
        response = client.post(reverse("digests:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert client.get(reverse("digests:unsubscribe", args=[bad])).status_code == 400
    settings.DIGESTS_UNSUBSCRIBE_MAX_AGE_DAYS = 0
    assert client.post(reverse("digests:unsubscribe", args=[token])).status_code == 400
    assert Subscription.objects.get(pk=subscription.pk).frequency == Frequency.DAILY


# Public archive and feed -----------------------------------------------------------------


def test_public_archive_lists_this_weeks_newly_published_initiatives(client):
    published = factories.make_initiative(state="published", title="Published this week")
    factories.make_initiative(state="submitted", title="Still in review")
    old = factories.make_initiative(state="published", title="Published long ago")
    Initiative.objects.filter(pk=old.pk).update(published_at=timezone.now() - datetime.timedelta(weeks=30))
    response = client.get(reverse("digests:archive"))
    page = response.content.decode()
    assert response.status_code == 200
    assert published.title in page and "Still in review" not in page and old.title not in page
    year, week, _ = timezone.now().date().isocalendar()
    assert f"{year}-W{week:02d}" in page


def test_atom_feed_lists_published_initiatives_filtered_like_browse(client):
    kenya = factories.make_initiative(state="published", title="Kenya record", countries=["KE"])
    brazil = factories.make_initiative(state="published", title="Brazil record", countries=["BR"])
    factories.make_initiative(state="draft", title="Draft record", countries=["KE"])
    response = client.get("/initiatives/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = atom(response.content).findall(f"{ATOM}entry")
    assert {e.find(f"{ATOM}title").text for e in entries} == {kenya.title, brazil.title}
    filtered = atom(client.get("/initiatives/feed/?country=KE").content)
    (entry,) = filtered.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Kenya record"
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/initiatives/{kenya.slug}/")
    bad = client.get("/initiatives/feed/?key_task=nothing-like-this")
    assert bad.status_code == 400 and "key_task" in bad.content.decode()


# API -------------------------------------------------------------------------------------


API = "/api/v1/me/subscription/"


def test_api_subscription_needs_a_signed_in_user(client):
    assert client.get(API).status_code in (401, 403)


def test_api_subscription_get_and_put(client, contributor):
    client.force_login(contributor)
    first = client.get(API)
    assert first.status_code == 200
    assert first.json()["frequency"] == "off"
    response = client.put(
        API,
        json.dumps(
            {"frequency": "daily", "key_tasks": ["global-south"], "countries": ["ke"], "tags": ["cert"]}
        ),
        content_type="application/json",
        headers={"If-Match": first["ETag"]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (
        body["frequency"] == "daily" and body["countries"] == ["KE"] and body["key_tasks"] == ["global-south"]
    )
    assert client.get(API).json() == body
    stale = client.put(
        API,
        json.dumps({"frequency": "off"}),
        content_type="application/json",
        headers={"If-Match": first["ETag"]},
    )
    assert stale.status_code == 412
    assert Subscription.objects.get(user=contributor).frequency == "daily"


def test_api_subscription_bad_input_gets_400_per_field(client, contributor):
    client.force_login(contributor)
    response = client.put(
        API, json.dumps({"frequency": "hourly", "key_tasks": ["nope"]}), content_type="application/json"
    )
    assert response.status_code == 400
    assert "frequency" in response.json()
    response = client.put(
        API, json.dumps({"frequency": "daily", "key_tasks": ["nope"]}), content_type="application/json"
    )
    assert response.status_code == 400 and "key_tasks" in response.json()
    assert not Subscription.objects.filter(user=contributor).exists()
