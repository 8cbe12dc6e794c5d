"""Records only services write (revisions, events, comments, follows): the admin shows them."""

from django.contrib import admin

from ..models import Comment, Follow, InitiativeEvent, Revision


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by services; the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ("initiative", "version", "action", "actor", "created_at", "change_message")
    list_filter = ("action",)
    search_fields = ("initiative__title", "change_message")
    list_select_related = ("initiative", "actor")


@admin.register(InitiativeEvent)
class InitiativeEventAdmin(ReadOnlyAdmin):
    list_display = ("initiative", "action", "from_state", "to_state", "actor", "created_at", "reason")
    list_filter = ("action", "to_state")
    search_fields = ("initiative__title", "reason")
    list_select_related = ("initiative", "actor")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = (
        *("initiative", "author", "created_at", "edited_at", "deleted_at"),
        *("hidden_at", "hidden_reason"),
    )
    list_filter = ("hidden_at", "hidden_by_reports")
    search_fields = ("body", "initiative__title", "author__username")
    list_select_related = ("initiative", "author")


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ("user", "initiative", "created_at")
    search_fields = ("user__username", "initiative__title")
    list_select_related = ("user", "initiative")
