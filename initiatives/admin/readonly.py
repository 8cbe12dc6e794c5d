"""Records only services write (revisions, events, comments, follows, invitations): the admin
shows them."""

from django.contrib import admin

from .. import rules
from ..models import CollaborationInvitation, Comment, InitiativeEvent, Revision, TopicFollow
from ..views.paging import BoundedPaginator


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


class AdministratorsOnly(ReadOnlyAdmin):
    """A list of what people do among themselves, for administrators only; it may grow with
    every member, so it is counted with bounded_count and never counted whole."""

    paginator = BoundedPaginator
    show_full_result_count = False
    list_per_page = 50

    def has_view_permission(self, request, obj=None):
        return rules.is_admin(request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)


@admin.register(TopicFollow)
class TopicFollowAdmin(AdministratorsOnly):
    list_display = ("user", "kind", "value", "initiative", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "value")
    list_select_related = ("user", "initiative")


@admin.register(CollaborationInvitation)
class CollaborationInvitationAdmin(AdministratorsOnly):
    list_display = ("initiative", "invitee", "invited_by", "state", "created_at", "decided_at")
    list_filter = ("state",)
    search_fields = ("initiative__title", "invitee__username", "invited_by__username")
    list_select_related = ("initiative", "invitee", "invited_by")
