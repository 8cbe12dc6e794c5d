"""Admin for the frame. Only administrators change the seeded frame; curators keep stakeholders."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .forms import AdminUserChangeForm
from .models import ActionLine, Advocacy, Country, KeyTask, Stakeholder, User
from .services import user_deactivate, user_sync_staff


class FrameAdmin(admin.ModelAdmin):
    """Seeded by migrations: read-only for everyone but superusers."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = AdminUserChangeForm
    list_display = (
        "username",
        "email",
        "affiliation",
        "preferred_language",
        "roles",
        "is_staff",
        "is_active",
    )
    list_filter = ("groups", "is_staff", "is_superuser", "is_active", "preferred_language")
    search_fields = ("username", "email", "first_name", "last_name")
    autocomplete_fields = ("affiliation",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Concord"), {"fields": ("affiliation", "preferred_language")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("affiliation").prefetch_related("groups")

    actions = ["deactivate_selected"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_sync_staff(user=form.instance)
        if change and "is_active" in form.changed_data and not form.instance.is_active:
            # Unticking "active" must end what the account holds, as the action does.
            summary = user_deactivate(actor=request.user, user=form.instance)
            messages.info(
                request, _("Sessions ended: %(sessions)d; API tokens revoked: %(tokens)d.") % summary
            )

    @admin.action(
        description=_("Deactivate selected accounts (ends their sessions and tokens)"),
        permissions=["deactivate"],
    )
    def deactivate_selected(self, request, queryset):
        for user in queryset:
            try:
                summary = user_deactivate(actor=request.user, user=user)
            except PermissionDenied as error:
                messages.error(request, f"{user}: {error}")
                continue
            messages.success(
                request,
                _("%(user)s: sessions ended: %(sessions)d; API tokens revoked: %(tokens)d.")
                % {"user": user, **summary},
            )

    def has_deactivate_permission(self, request):
        return request.user.is_superuser

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all()) or "—"


class ActionLineInline(admin.TabularInline):
    model = ActionLine
    extra = 0
    fields = ("position", "slug", "name_en", "name_zh")


@admin.register(KeyTask)
class KeyTaskAdmin(FrameAdmin):
    list_display = ("number", "slug", "name_en", "name_zh", "heading_zh")
    search_fields = ("slug", "name_en", "name_zh", "heading_zh")
    inlines = [ActionLineInline]


@admin.register(ActionLine)
class ActionLineAdmin(FrameAdmin):
    list_display = ("slug", "name_en", "name_zh", "key_task", "position")
    list_filter = ("key_task",)
    search_fields = ("slug", "name_en", "name_zh")
    list_select_related = ("key_task",)


@admin.register(Advocacy)
class AdvocacyAdmin(FrameAdmin):
    list_display = ("slug", "name_en", "name_zh", "motto_zh")
    search_fields = ("slug", "name_en", "name_zh")


@admin.register(Country)
class CountryAdmin(FrameAdmin):
    list_display = ("code", "name_en", "name_zh", "region", "subregion", "global_south")
    list_filter = ("region", "global_south")
    search_fields = ("code", "alpha3", "name_en", "name_zh")


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_zh", "acronym", "kind", "country", "website")
    list_filter = ("kind",)
    search_fields = ("slug", "name_en", "name_zh", "acronym")
    autocomplete_fields = ("country",)
    list_select_related = ("country",)
    prepopulated_fields = {"slug": ("name_en",)}
