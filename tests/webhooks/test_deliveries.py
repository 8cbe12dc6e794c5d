"""Deliveries reach a real HTTP server on loopback: signed, with their headers, the record as an
anonymous API caller reads it, retried with the same id, and never about drafts."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from rest_framework.test import APIClient

from initiatives import services as initiative_services
from tests import factories
from webhooks import services
from webhooks.models import WebhookDelivery

from .conftest import SECRET, register, send_all, signature_valid

pytestmark = pytest.mark.django_db


def test_publishing_sends_a_signed_delivery_with_the_anonymous_detail(
    administrator, receiver, django_capture_on_commit_callbacks
):
    register(administrator, receiver.url, allow_private=True)
    draft = factories.make_initiative(state="submitted", title="Undersea cable resilience")
    with django_capture_on_commit_callbacks() as queued:
        initiative_services.initiative_approve(actor=factories.moderator(), initiative=draft)
    # The worker is told only once the approval is committed.
    assert [c.args for c in queued if getattr(c, "func", None) is services.delivery_enqueue] == [
        (WebhookDelivery.objects.get().pk,)
    ]
    send_all()

    [request] = receiver.received()
    assert request["path"] == "/hooks/concord"
    assert signature_valid(request)
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["X-Concord-Event"] == "published"
    delivery = WebhookDelivery.objects.get()
    assert request["headers"]["X-Concord-Delivery"] == str(delivery.pk)
    payload = json.loads(request["body"])
    assert set(payload) == {"event", "delivered_at", "initiative"}
    assert payload["event"] == "published"
    detail = APIClient().get(f"/api/v1/initiatives/{draft.slug}/")
    assert detail.status_code == 200
    assert payload["initiative"] == detail.json()
    assert payload["initiative"]["title"] == "Undersea cable resilience"
    assert delivery.state == "delivered"
    [attempt] = delivery.attempts.all()
    assert attempt.status_code == 200
    assert attempt.response_ms is not None
    assert attempt.error == ""


def test_a_forged_body_does_not_match_the_signature(administrator, receiver):
    register(administrator, receiver.url, allow_private=True)
    factories.make_initiative(state="published")
    send_all()
    [request] = receiver.received()
    assert not signature_valid(request, secret="another secret")
    assert not signature_valid({**request, "body": request["body"].replace(b"published", b"archived")})


def test_drafts_and_their_changes_send_nothing(administrator, receiver, contributor):
    register(administrator, receiver.url, allow_private=True)
    draft = factories.make_initiative(owner=contributor)
    initiative_services.initiative_edit(
        actor=contributor, initiative=draft, data={"summary": "A new summary."}
    )
    initiative_services.initiative_submit(actor=contributor, initiative=draft)
    initiative_services.initiative_reject(actor=factories.moderator(), initiative=draft, reason="Sources.")
    draft.refresh_from_db()
    initiative_services.initiative_edit(actor=contributor, initiative=draft, data={"summary": "Sourced."})
    send_all()
    assert WebhookDelivery.objects.count() == 0
    assert receiver.received() == []


def test_each_event_reaches_only_the_webhooks_that_asked_for_it(administrator, receiver, contributor):
    updates_only = register(administrator, receiver.url, events=["updated"], allow_private=True)
    curator = factories.curator()
    record = factories.make_initiative(state="published", owner=contributor)
    # A contributor's change to a published record waits for a moderator: nothing yet.
    proposal = initiative_services.initiative_edit(
        actor=contributor, initiative=record, data={"summary": "Proposed summary."}
    )
    assert WebhookDelivery.objects.count() == 0
    initiative_services.revision_approve(actor=factories.moderator(), revision=proposal)
    initiative_services.initiative_edit(actor=curator, initiative=record, data={"summary": "Curated."})
    initiative_services.comment_create(actor=contributor, initiative=record, body="Well done.")
    record.refresh_from_db()
    initiative_services.initiative_archive(actor=curator, initiative=record)
    assert list(WebhookDelivery.objects.order_by("created_at").values_list("webhook", "event")) == [
        (updates_only.pk, "updated"),
        (updates_only.pk, "updated"),
    ]
    everything = register(administrator, receiver.url, allow_private=True)
    survivor = factories.make_initiative(state="published")
    duplicate = factories.make_initiative(state="published")
    initiative_services.comment_create(actor=contributor, initiative=survivor, body="A comment.")
    initiative_services.initiative_merge(actor=curator, source=duplicate, target=survivor)
    events = list(
        WebhookDelivery.objects.filter(webhook=everything)
        .order_by("created_at")
        .values_list("event", "initiative_slug")
    )
    assert events == [
        ("published", survivor.slug),
        ("published", duplicate.slug),
        ("comment_added", survivor.slug),
        ("merged", survivor.slug),
        ("archived", duplicate.slug),
    ]


def test_archiving_tells_the_record_as_the_public_last_saw_it(administrator, receiver):
    register(administrator, receiver.url, events=["archived"], allow_private=True)
    record = factories.make_initiative(state="published", title="Cyber norms dialogue")
    public = APIClient().get(f"/api/v1/initiatives/{record.slug}/").json()
    initiative_services.initiative_archive(actor=factories.curator(), initiative=record)
    assert APIClient().get(f"/api/v1/initiatives/{record.slug}/").status_code == 404
    send_all()
    [request] = receiver.received()
    payload = json.loads(request["body"])
    assert payload["event"] == "archived"
    assert payload["initiative"]["slug"] == record.slug
    assert payload["initiative"]["title"] == public["title"]
    assert payload["initiative"]["version"] == public["version"]


def test_a_500_is_retried_with_the_same_delivery_id_and_both_attempts_are_logged(administrator, receiver):
    register(administrator, receiver.url, allow_private=True)
    receiver.answers = [500, 200]
    factories.make_initiative(state="published")
    send_all()
    first, second = receiver.received()
    assert first["headers"]["X-Concord-Delivery"] == second["headers"]["X-Concord-Delivery"]
    assert signature_valid(first) and signature_valid(second)
    delivery = WebhookDelivery.objects.get()
    assert str(delivery.pk) == second["headers"]["X-Concord-Delivery"]
    assert delivery.state == "delivered"
    assert [(a.status_code, a.error) for a in delivery.attempts.all()] == [
        (500, "The receiver answered 500."),
        (200, ""),
    ]


def test_a_receiver_that_keeps_failing_is_given_up_after_the_last_attempt(administrator, receiver, settings):
    settings.WEBHOOKS_MAX_ATTEMPTS = 4
    register(administrator, receiver.url, allow_private=True)
    receiver.answers = [503] * 10
    factories.make_initiative(state="published")
    send_all()
    assert len(receiver.received()) == 4
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "failed"
    assert delivery.attempts.count() == 4


def test_redirects_are_not_followed(administrator, receiver):
    register(administrator, receiver.url, allow_private=True)
    receiver.answers = [302] * 10
    factories.make_initiative(state="published")
    send_all()
    assert all(request["path"] == "/hooks/concord" for request in receiver.received())
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "failed"
    assert set(delivery.attempts.values_list("error", flat=True)) == {"Redirects are not followed."}


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1:{port}", "localhost:{port}", "10.20.30.40", "169.254.169.254", "[::1]:{port}", "224.0.0.1"],
)
def test_private_addresses_are_refused_without_allow_private(administrator, receiver, address):
    register(administrator, f"http://{address.format(port=receiver.port)}/hooks/concord")
    factories.make_initiative(state="published")
    send_all()
    assert receiver.received() == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "refused"
    [attempt] = delivery.attempts.all()
    assert attempt.status_code is None
    assert "not a public address" in attempt.error


def test_the_administrator_re_sends_a_delivery_from_the_admin(administrator, receiver, client, settings):
    settings.WEBHOOKS_MAX_ATTEMPTS = 2
    register(administrator, receiver.url, allow_private=True)
    receiver.answers = [500] * 2
    factories.make_initiative(state="published")
    send_all()
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "failed"
    client.force_login(administrator)
    answer = client.post(
        "/admin/webhooks/webhookdelivery/",
        {"action": "resend", "_selected_action": [str(delivery.pk)]},
    )
    assert answer.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == "pending"
    send_all()
    assert len(receiver.received()) == 3
    assert {r["headers"]["X-Concord-Delivery"] for r in receiver.received()} == {str(delivery.pk)}
    delivery.refresh_from_db()
    assert delivery.state == "delivered"
    assert LogEntry.objects.filter(change_message__contains=str(delivery.pk)).count() == 1


def test_the_secret_is_never_written_to_the_log(administrator, receiver):
    webhook = register(administrator, receiver.url, allow_private=True)
    services.webhook_update(actor=administrator, webhook=webhook, data={"secret": "a brand new secret"})
    messages = " ".join(LogEntry.objects.values_list("change_message", flat=True))
    assert "secret" in messages
    assert SECRET not in messages and "a brand new secret" not in messages


def test_a_host_name_is_reached_at_the_address_that_was_checked(administrator, receiver):
    # localhost may resolve to ::1 first, where nothing listens here: the next checked address is tried.
    register(administrator, f"http://localhost:{receiver.port}/hooks/concord", allow_private=True)
    factories.make_initiative(state="published")
    send_all()
    [request] = receiver.received()
    assert request["headers"]["Host"] == f"localhost:{receiver.port}"
    assert signature_valid(request)
    assert WebhookDelivery.objects.get().state == "delivered"
