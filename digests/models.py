"""Subscriptions and the ledger of digest runs and deliveries.

A delivery row is the claim on "this subscription, this period": the unique constraint
makes a second claim impossible, so a beat that fires twice, a retried task or two
workers cannot send the same digest twice. The subscription's cursor (the end of the
last window it received) moves only once the mail server accepted the message, so a
failed or interrupted delivery leaves its content for the next one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import DeliveryStatus, Frequency, RunKind, SubscriptionKind, Watch


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(frequency=Frequency.OFF).filter(user__is_active=True).exclude(user__email="")


class Subscription(models.Model):
    """What a user wants in their digests and how often; one profile subscription per user.

    A saved search is a subscription of its own kind, holding a browse query string.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("user"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=SubscriptionKind.choices, default=SubscriptionKind.PROFILE
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.OFF
    )
    watch = models.CharField(_("what to include"), max_length=10, choices=Watch.choices, default=Watch.TOPICS)
    key_tasks = models.ManyToManyField(
        "governance.KeyTask", verbose_name=_("key tasks"), blank=True, related_name="+"
    )
    countries = models.ManyToManyField(
        "governance.Country", verbose_name=_("countries"), blank=True, related_name="+"
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    query = models.CharField(_("search query"), max_length=2000, blank=True)
    cursor = models.DateTimeField(
        _("covered up to"),
        default=timezone.now,
        help_text=_("The next digest holds what was published or updated after this time."),
    )
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["user_id", "id"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(kind=SubscriptionKind.PROFILE),
                name="subscription_one_profile_per_user",
            ),
            models.CheckConstraint(
                condition=Q(kind=SubscriptionKind.PROFILE) | ~Q(query=""),
                name="subscription_search_has_query",
            ),
        ]
        indexes = [models.Index(fields=["frequency", "id"], name="subscription_frequency")]

    def __str__(self) -> str:
        if self.kind == SubscriptionKind.SEARCH:
            return f"{self.user} · {self.name or self.query}"
        return f"{self.user} · {self.get_frequency_display()}"


class DigestRun(models.Model):
    """One scheduled run of a kind for a period; firing it again reuses the same row."""

    kind = models.CharField(_("kind"), max_length=10, choices=RunKind.choices)
    period_key = models.CharField(_("period"), max_length=40)
    window_end = models.DateTimeField(
        _("window end"), help_text=_("Content published or updated up to this time is included.")
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    last_dispatched_at = models.DateTimeField(_("last dispatched"), null=True, blank=True)
    dispatch_count = models.PositiveIntegerField(_("times dispatched"), default=0)
    batch_count = models.PositiveIntegerField(_("batches enqueued"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        constraints = [
            models.UniqueConstraint(fields=["kind", "period_key"], name="digestrun_once_per_period"),
        ]

    def __str__(self) -> str:
        return self.period_key


class DigestDelivery(models.Model):
    """One message to one recipient for one period, claimed exactly once.

    Digests are claimed per (subscription, period); reminders and nudges per
    (kind, recipient, period).
    """

    run = models.ForeignKey(
        DigestRun, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("run")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RunKind.choices)
    period_key = models.CharField(_("period"), max_length=40)
    subscription = models.ForeignKey(
        Subscription,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    email = models.EmailField(_("address"), blank=True)
    window_start = models.DateTimeField(_("window start"), null=True, blank=True)
    window_end = models.DateTimeField(_("window end"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_key"],
                condition=Q(subscription__isnull=False),
                name="digestdelivery_once_per_subscription_period",
            ),
            models.UniqueConstraint(
                fields=["kind", "recipient", "period_key"],
                condition=Q(subscription__isnull=True),
                name="digestdelivery_once_per_recipient_period",
            ),
        ]
        indexes = [
            models.Index(fields=["period_key", "status"], name="digestdelivery_period_status"),
            models.Index(fields=["status", "-created_at"], name="digestdelivery_status"),
        ]

    def __str__(self) -> str:
        return f"{self.period_key} → {self.email or self.recipient_id} ({self.get_status_display()})"
