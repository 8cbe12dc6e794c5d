"""Shapes of notifications in the API."""

from rest_framework import serializers

from ..models import Notification
from ..texts import notification_path, notification_text


class NotificationSerializer(serializers.ModelSerializer):
    """One notification as its recipient reads it, in their language (the view sets it)."""

    actor = serializers.SerializerMethodField(help_text="The username of who did it, or null.")
    initiative = serializers.SerializerMethodField(help_text="The record's slug, or null.")
    text = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The page it is about, as an absolute address.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "actor", "initiative", "text", "url", "created_at", "read_at"]
        read_only_fields = fields

    def get_actor(self, notification) -> str | None:
        return notification.actor.get_username() if notification.actor is not None else None

    def get_initiative(self, notification) -> str | None:
        return notification.initiative.slug if notification.initiative is not None else None

    def get_text(self, notification) -> str:
        return notification_text(notification)

    def get_url(self, notification) -> str:
        return self.context["request"].build_absolute_uri(notification_path(notification))
