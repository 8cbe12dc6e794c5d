"""Admin: webhooks (administrators register them here too) and the delivery log, re-sendable."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from initiatives.choices import PublicEvent

from . import services
from .models import Webhook, WebhookAttempt, WebhookDelivery


class AdministratorsOnly:
    """Webhooks reach outside the site: only administrators see or change them."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("events"), choices=PublicEvent.choices, widget=forms.CheckboxSelectMultiple
    )
    new_secret = forms.CharField(
        label=_("secret"),
        max_length=Webhook._meta.get_field("secret").max_length,
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Signs each delivery (HMAC-SHA256). Leave empty to keep the current one."),
    )

    class Meta:
        model = Webhook
        fields = ["url", "events", "allow_private", "active"]

    def clean_new_secret(self):
        secret = self.cleaned_data["new_secret"]
        if not secret and self.instance.pk is None:
            raise forms.ValidationError(_("This field is required."))
        return secret


@admin.register(Webhook)
class WebhookAdmin(AdministratorsOnly, admin.ModelAdmin):
    form = WebhookForm
    fields = ["url", "events", "new_secret", "allow_private", "active", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
    list_display = ["url", "event_list", "allow_private", "active", "created_at"]
    list_filter = ["active", "allow_private"]
    search_fields = ["url"]

    @admin.display(description=_("events"))
    def event_list(self, webhook):
        return ", ".join(webhook.events)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in ("url", "events", "allow_private", "active")}
        if form.cleaned_data.get("new_secret"):
            data["secret"] = form.cleaned_data["new_secret"]
        if change:
            saved = services.webhook_update(actor=request.user, webhook=obj, data=data)
        else:
            saved = services.webhook_create(actor=request.user, data=data)
        obj.pk, obj.created_at, obj.created_by = saved.pk, saved.created_at, saved.created_by

    def delete_model(self, request, obj):
        services.webhook_delete(actor=request.user, webhook=obj)

    def delete_queryset(self, request, queryset):
        for webhook in queryset:
            services.webhook_delete(actor=request.user, webhook=webhook)

    # The services write the log entries, naming what changed but never the secret.
    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def log_deletions(self, request, queryset):
        return None

    def log_deletion(self, request, obj, object_repr):
        return None


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["started_at", "status_code", "response_ms", "error"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = [
        "created_at",
        "webhook",
        "event",
        "initiative_slug",
        "state",
        "attempt_count",
        "finished_at",
    ]
    list_filter = ["state", "event", ("webhook", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["initiative_slug", "id"]
    date_hierarchy = "created_at"
    list_select_related = ["webhook"]
    fields = [
        "id",
        "webhook",
        "event",
        "initiative_slug",
        "state",
        "created_at",
        "finished_at",
        "representation",
    ]
    readonly_fields = fields
    inlines = [AttemptInline]
    actions = ["resend"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_attempts=Count("attempts"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("attempts"), ordering="n_attempts")
    def attempt_count(self, delivery):
        return delivery.n_attempts

    @admin.action(description=_("Re-send the selected deliveries"))
    def resend(self, request, queryset):
        try:
            for delivery in queryset:
                services.delivery_resend(actor=request.user, delivery=delivery)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(n)d delivery queued again.", "%(n)d deliveries queued again.", count) % {"n": count},
            messages.SUCCESS,
        )
