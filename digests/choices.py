"""Enumerations of subscriptions and deliveries."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    OFF = "off", _("Off")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class SubscriptionKind(models.TextChoices):
    PROFILE = "profile", _("My digest")
    SEARCH = "search", _("Saved search")


class Watch(models.TextChoices):
    TOPICS = "topics", _("Initiatives matching my key tasks, countries and tags, and those I follow")
    FOLLOWED = "followed", _("Only initiatives I follow")


class RunKind(models.TextChoices):
    """What a scheduled run sends; digests go to subscriptions, the others to users."""

    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    REMINDER = "reminder", _("Moderator reminder")
    NUDGE = "nudge", _("Owner nudge")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    EMPTY = "empty", _("Nothing to send")
    FAILED = "failed", _("Failed")


FINAL_STATUSES = (DeliveryStatus.SENT, DeliveryStatus.EMPTY, DeliveryStatus.FAILED)
DIGEST_KINDS = (RunKind.DAILY, RunKind.WEEKLY)
