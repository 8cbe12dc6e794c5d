"""Admin: subscriptions, runs and the delivery ledger; failed deliveries are found and retried here."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .choices import DeliveryStatus
from .models import DigestDelivery, DigestRun, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "name", "frequency", "watch", "cursor", "last_sent_at"]
    list_filter = ["kind", "frequency", "watch"]
    search_fields = ["user__username", "user__email", "name", "query"]
    raw_id_fields = ["user"]
    filter_horizontal = ["key_tasks", "countries"]
    readonly_fields = ["cursor", "last_sent_at", "created_at", "updated_at"]
    list_select_related = ["user"]


class DeliveryInline(admin.TabularInline):
    model = DigestDelivery
    fields = ["email", "status", "attempts", "item_count", "sent_at", "message_id", "last_error"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=DeliveryStatus.EMPTY)


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = [
        "period_key",
        "kind",
        "started_at",
        "window_end",
        "dispatch_count",
        "batch_count",
        "sent",
        "empty",
        "failed",
        "open",
    ]
    list_filter = ["kind"]
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in DigestRun._meta.fields]
    inlines = [DeliveryInline]

    def get_queryset(self, request):
        by_status = {
            name: Count("deliveries", filter=Q(deliveries__status__in=statuses))
            for name, statuses in {
                "n_sent": [DeliveryStatus.SENT],
                "n_empty": [DeliveryStatus.EMPTY],
                "n_failed": [DeliveryStatus.FAILED],
                "n_open": [DeliveryStatus.PENDING, DeliveryStatus.SENDING],
            }.items()
        }
        return super().get_queryset(request).annotate(**by_status)

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("sent"), ordering="n_sent")
    def sent(self, run):
        return run.n_sent

    @admin.display(description=_("nothing to send"), ordering="n_empty")
    def empty(self, run):
        return run.n_empty

    @admin.display(description=_("failed"), ordering="n_failed")
    def failed(self, run):
        return run.n_failed

    @admin.display(description=_("in progress"), ordering="n_open")
    def open(self, run):
        return run.n_open


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "period_key",
        "kind",
        "email",
        "status",
        "attempts",
        "item_count",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "kind", "period_key", ("run", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["email", "recipient__username", "message_id", "period_key"]
    date_hierarchy = "created_at"
    list_select_related = ["run"]
    readonly_fields = [f.name for f in DigestDelivery._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last error"))
    def short_error(self, delivery):
        return delivery.last_error[:80]

    @admin.action(description=_("Send failed deliveries again"))
    def retry(self, request, queryset):
        try:
            count = services.delivery_retry(actor=request.user, deliveries=list(queryset))
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(n)d delivery queued again.", "%(n)d deliveries queued again.", count) % {"n": count},
            messages.SUCCESS,
        )
