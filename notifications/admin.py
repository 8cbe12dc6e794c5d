from django.contrib import admin

from initiatives.admin.readonly import AdministratorsOnly

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(AdministratorsOnly):
    """Read-only, for administrators: who was told what and how far it went."""

    list_display = [
        "created_at",
        "recipient",
        "kind",
        "channel",
        "initiative",
        "read_at",
        "emailed_at",
        "digested_at",
    ]
    list_filter = ["kind", "channel"]
    list_select_related = ["recipient", "initiative"]
    search_fields = ["recipient__username", "event_key"]
    raw_id_fields = ["recipient", "actor", "initiative"]
    list_per_page = 100
