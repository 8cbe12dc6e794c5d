"""Webhooks in the API: the secret is taken, never given back."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from initiatives.choices import PublicEvent

from ..models import Webhook, WebhookAttempt, WebhookDelivery


class WebhookSerializer(serializers.ModelSerializer):
    url = serializers.URLField(max_length=Webhook._meta.get_field("url").max_length)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=PublicEvent.choices),
        allow_empty=False,
        min_length=1,
        help_text=_("What the receiver is told about."),
    )
    secret = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        max_length=Webhook._meta.get_field("secret").max_length,
        style={"input_type": "password"},
        help_text=_("Signs each delivery (HMAC-SHA256); never shown again."),
    )
    created_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text=_("Who registered it; null once that account is gone."),
    )

    class Meta:
        model = Webhook
        fields = [
            "id",
            "url",
            "events",
            "secret",
            "allow_private",
            "active",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["started_at", "status_code", "response_ms", "error"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    initiative = serializers.CharField(source="initiative_slug", read_only=True)
    attempts = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = ["id", "event", "initiative", "state", "created_at", "finished_at", "attempts"]
