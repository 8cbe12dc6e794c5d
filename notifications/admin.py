from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .models import Notification

# The list counts at most this many rows; past it the pages stop there.
COUNTED_UP_TO = 10_000


class CappedPaginator(Paginator):
    """Counts a limited subquery, so a list of millions costs no more than ten thousand rows."""

    @cached_property
    def count(self) -> int:
        return self.object_list[: COUNTED_UP_TO + 1].count()


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
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
    # Counting every notification for each page would cost more than the page.
    paginator = CappedPaginator
    show_full_result_count = False

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
