"""Writes to the webhooks, with their rules: only administrators register, change, delete or
re-send; each write is one transaction and leaves an entry in the admin's log; deliveries are
created in the transaction that changed the record and sent by a worker after commit.
"""

import http.client
import time
from functools import partial

from celery import current_app
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiatives.choices import PublicEvent

from .addresses import AddressRefused, post, target_resolve
from .choices import DeliveryState
from .models import Webhook, WebhookAttempt, WebhookDelivery
from .signing import delivery_body, signature

# The worker's task, sent by name so that the services never import the tasks.
DELIVER_TASK = "webhooks.tasks.webhook_deliver"

EDITABLE = ("url", "events", "secret", "allow_private", "active")


def _check_actor(actor) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("Only administrators manage webhooks."))


def _log(*, actor, webhook, flag, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=actor.pk, queryset=[webhook], action_flag=flag, change_message=message, single_object=True
    )


def _cleaned(data: dict, *, creating: bool) -> dict:
    """The fields given, checked; a message per field that is wrong."""
    values, errors = {}, {}
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: [_("This field cannot be set.")] for name in sorted(unknown)})
    required = ("url", "events", "secret") if creating else ()
    for name in required:
        if data.get(name) in (None, "", []):
            errors[name] = [_("This field is required.")]
    if "url" in data and "url" not in errors:
        url = str(data["url"] or "").strip()
        try:
            URLValidator(schemes=["http", "https"])(url)
            if len(url) > Webhook._meta.get_field("url").max_length:
                raise ValidationError(_("The address is too long."))
            values["url"] = url
        except ValidationError:
            errors["url"] = [_("Enter a valid http or https address.")]
    if "events" in data and "events" not in errors:
        events = data["events"]
        if isinstance(events, str) or not isinstance(events, list | tuple) or not events:
            errors["events"] = [_("Choose at least one event.")]
        else:
            wrong = [str(event) for event in events if event not in PublicEvent.values]
            if wrong:
                errors["events"] = [
                    _("Unknown events: %(events)s; choose among %(choices)s.")
                    % {"events": ", ".join(wrong), "choices": ", ".join(PublicEvent.values)}
                ]
            else:
                values["events"] = list(dict.fromkeys(str(event) for event in events))
    if "secret" in data and "secret" not in errors:
        secret = data["secret"]
        if not isinstance(secret, str) or not secret:
            errors["secret"] = [_("The secret cannot be empty.")]
        elif len(secret) > Webhook._meta.get_field("secret").max_length:
            errors["secret"] = [_("The secret is too long (200 characters at most).")]
        else:
            values["secret"] = secret
    for name in ("allow_private", "active"):
        if name in data:
            if not isinstance(data[name], bool):
                errors[name] = [_("Must be true or false.")]
            else:
                values[name] = data[name]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def webhook_create(*, actor, data: dict) -> Webhook:
    """Register an address for the chosen events; administrators only."""
    _check_actor(actor)
    webhook = Webhook.objects.create(created_by=actor, **_cleaned(data, creating=True))
    _log(
        actor=actor,
        webhook=webhook,
        flag=ADDITION,
        message=_("Registered for %(events)s.") % {"events": ", ".join(webhook.events)},
    )
    return webhook


@transaction.atomic
def webhook_update(*, actor, webhook: Webhook, data: dict) -> Webhook:
    """Change some of a webhook's fields; the log names the fields, never the secret's value."""
    _check_actor(actor)
    values = _cleaned(data, creating=False)
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    changed = [name for name, value in values.items() if getattr(webhook, name) != value]
    if not changed:
        return webhook
    for name in changed:
        setattr(webhook, name, values[name])
    webhook.save(update_fields=[*changed, "updated_at"])
    _log(
        actor=actor,
        webhook=webhook,
        flag=CHANGE,
        message=_("Changed %(fields)s.") % {"fields": ", ".join(changed)},
    )
    return webhook


@transaction.atomic
def webhook_delete(*, actor, webhook: Webhook) -> None:
    """Remove a webhook and its delivery log."""
    _check_actor(actor)
    _log(actor=actor, webhook=webhook, flag=DELETION, message=_("Deleted."))
    webhook.delete()


def webhooks_listening(event: str):
    """The active webhooks that asked for this event (a site has a handful: read them all)."""
    return [webhook for webhook in Webhook.objects.filter(active=True) if str(event) in webhook.events]


def delivery_enqueue(delivery_id) -> None:
    """Queue one delivery for a worker; call it on commit."""
    current_app.send_task(DELIVER_TASK, args=(str(delivery_id),))


@transaction.atomic
def deliveries_create(*, event: str, initiative, representation: dict, webhooks) -> list[WebhookDelivery]:
    """One delivery per webhook, sent once the record's change is committed (never if it is not)."""
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            webhook=webhook,
            event=str(event),
            initiative=initiative,
            initiative_slug=initiative.slug,
            representation=representation,
        )
        for webhook in webhooks
    )
    for delivery in deliveries:
        transaction.on_commit(partial(delivery_enqueue, delivery.pk))
    return deliveries


@transaction.atomic
def delivery_resend(*, actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again, with the same id and record; administrators only."""
    _check_actor(actor)
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.state = DeliveryState.PENDING
    delivery.finished_at = None
    delivery.save(update_fields=["state", "finished_at"])
    _log(
        actor=actor,
        webhook=delivery.webhook,
        flag=CHANGE,
        message=_("Re-sent delivery %(id)s.") % {"id": delivery.pk},
    )
    transaction.on_commit(partial(delivery_enqueue, delivery.pk))
    return delivery


def _finish(delivery: WebhookDelivery, *, started, state=None, status_code=None, elapsed=None, error=""):
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            started_at=started,
            status_code=status_code,
            response_ms=None if elapsed is None else round(elapsed * 1000),
            error=error,
        )
        if state is not None:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(state=state, finished_at=timezone.now())


def delivery_attempt(*, delivery_id, final: bool) -> bool:
    """Try once to send a pending delivery and log the attempt; True when it should be tried again.

    No transaction is held while the receiver answers. Two workers running the same delivery
    at once could both send it: receivers recognise a repeat by X-Concord-Delivery.
    """
    delivery = (
        WebhookDelivery.objects.select_related("webhook")
        .filter(pk=delivery_id, state=DeliveryState.PENDING)
        .first()
    )
    if delivery is None:
        return False
    webhook, started = delivery.webhook, timezone.now()
    if not webhook.active:
        _finish(
            delivery,
            started=started,
            state=DeliveryState.FAILED,
            error=_("The webhook is inactive; nothing was sent."),
        )
        return False
    try:
        target = target_resolve(webhook.url, allow_private=webhook.allow_private)
    except AddressRefused as refusal:
        _finish(delivery, started=started, state=DeliveryState.REFUSED, error=str(refusal))
        return False
    except OSError as error:
        _finish(
            delivery,
            started=started,
            state=DeliveryState.FAILED if final else None,
            error=_("The address does not resolve: %(error)s") % {"error": error},
        )
        return not final
    body = delivery_body(event=delivery.event, representation=delivery.representation)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Concord-Webhooks/1",
        "X-Concord-Event": delivery.event,
        "X-Concord-Delivery": str(delivery.pk),
        "X-Concord-Signature": signature(secret=webhook.secret, body=body),
    }
    clock = time.monotonic()
    try:
        status_code = post(target, body=body, headers=headers, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS)
    except (OSError, http.client.HTTPException) as error:
        _finish(
            delivery,
            started=started,
            state=DeliveryState.FAILED if final else None,
            elapsed=time.monotonic() - clock,
            error=str(error) or type(error).__name__,
        )
        return not final
    elapsed = time.monotonic() - clock
    if 200 <= status_code < 300:
        _finish(
            delivery, started=started, state=DeliveryState.DELIVERED, status_code=status_code, elapsed=elapsed
        )
        return False
    error = (
        _("Redirects are not followed.")
        if 300 <= status_code < 400
        else _("The receiver answered %(status)s.") % {"status": status_code}
    )
    _finish(
        delivery,
        started=started,
        state=DeliveryState.FAILED if final else None,
        status_code=status_code,
        elapsed=elapsed,
        error=error,
    )
    return not final
