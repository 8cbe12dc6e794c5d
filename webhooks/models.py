"""Webhooks, their deliveries and every attempt to send one."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from initiatives.choices import PublicEvent

from .choices import DeliveryState


class Webhook(models.Model):
    """An address told about published records, with the secret that signs what it is sent."""

    url = models.URLField(_("URL"), max_length=500)
    # A list of PublicEvent values (JSON, so that SQLite runs it too; the service checks them).
    events = models.JSONField(_("events"), default=list, help_text=_("What the receiver is told about."))
    secret = models.CharField(
        _("secret"), max_length=200, help_text=_("Signs each delivery (HMAC-SHA256); never shown again.")
    )
    allow_private = models.BooleanField(
        _("allow private addresses"),
        default=False,
        help_text=_("Send even when the address resolves to a loopback, private or link-local range."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.url


class WebhookDelivery(models.Model):
    """One event for one webhook; its id is the X-Concord-Delivery header of every attempt."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=20, choices=PublicEvent.choices)
    initiative = models.ForeignKey(
        "initiatives.Initiative", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    initiative_slug = models.SlugField(_("initiative"), max_length=255)
    # The record as the public saw it when the event happened; every attempt sends this.
    representation = models.JSONField()
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["webhook", "-created_at"], name="webhook_delivery_recent")]

    def __str__(self):
        return f"{self.event} {self.initiative_slug} → {self.webhook}"


class WebhookAttempt(models.Model):
    """One try to send a delivery: the receiver's status and time, or why it failed."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField(_("started"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"
