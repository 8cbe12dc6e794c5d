"""The moderators' side: approve and reject, the queue of submissions, proposed revisions
and notes held for review.

Who sees an action asks the permissions of initiatives/rules.py ("initiatives.moderate",
"initiatives.curate"); whether it may be done to each record is the service's to say.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from .. import services
from ..choices import ModerationState, RevisionState, UpdateState
from ..models import ModerationQueueItem, PendingRevision, Update
from ..views.paging import BoundedPaginator
from .actions import decide_each, report, run_each, with_reason
from .differences import difference_html
from .readonly import ReadOnlyAdmin


class ModerationActionsMixin:
    """Approve and reject, single and in bulk; reject asks for a reason first."""

    def has_moderate_permission(self, request):
        return request.user.has_perm("initiatives.moderate")

    def has_curate_permission(self, request):
        return request.user.has_perm("initiatives.curate")

    @admin.action(description=_("Approve selected submissions"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        done, failures = run_each(
            request, queryset, lambda i: services.initiative_approve(actor=request.user, initiative=i)
        )
        report(request, done, failures, str(_("approved")))

    @admin.action(description=_("Reject selected submissions…"), permissions=["moderate"])
    def reject_selected(self, request, queryset):
        def reject(reason):
            done, failures = run_each(
                request,
                queryset,
                lambda i: services.initiative_reject(actor=request.user, initiative=i, reason=reason),
            )
            report(request, done, failures, str(_("rejected")))

        return with_reason(self, request, queryset, action="reject_selected", decide=reject)


@admin.register(ModerationQueueItem)
class ModerationQueueAdmin(ModerationActionsMixin, admin.ModelAdmin):
    """Submissions waiting for a decision, oldest first."""

    list_display = ("title_link", "key_task", "owner", "submitted_at", "waiting")
    list_filter = ("key_task", "kind")
    search_fields = ("title", "summary")
    list_select_related = ("key_task", "owner")
    actions = ["approve_selected", "reject_selected"]
    ordering = ("submitted_at", "id")
    # Counted with bounded_count, and the whole table never counted besides.
    paginator = BoundedPaginator
    show_full_result_count = False
    # Pages of 50, as the API serves them: an admin row costs a millisecond to render.
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).filter(moderation_state=ModerationState.SUBMITTED)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("initiatives.moderate") or request.user.has_perm("initiatives.curate")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("title"), ordering="title")
    def title_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:initiatives_initiative_change", args=[obj.pk]), obj.title
        )

    @admin.display(description=_("waiting"), ordering="submitted_at")
    def waiting(self, obj):
        return timesince(obj.submitted_at, timezone.now()) if obj.submitted_at else "—"


@admin.register(PendingRevision)
class PendingRevisionAdmin(admin.ModelAdmin):
    """Proposed changes to published records, with the field-by-field difference."""

    list_display = ("initiative", "author_names", "created_at", "state", "decided_by")
    list_filter = ("state",)
    search_fields = ("initiative__title", "authors__username")
    list_select_related = ("initiative", "decided_by")
    readonly_fields = (
        "initiative",
        "author_names",
        "created_at",
        "base_version",
        "change_message",
        "state",
        "decided_by",
        "decided_at",
        "reason",
        "difference",
    )
    fields = readonly_fields
    actions = ["approve_revisions", "reject_revisions"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("initiatives.moderate")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    @admin.display(description=_("authors"))
    def author_names(self, obj):
        return ", ".join(sorted(author.get_username() for author in obj.authors.all()))

    @admin.display(description=_("difference"))
    def difference(self, obj):
        if obj.state != RevisionState.OPEN:
            return "—"
        return difference_html(services.revision_diff(obj))

    @admin.action(description=_("Approve selected revisions"), permissions=["moderate"])
    def approve_revisions(self, request, queryset):
        decide_each(
            request,
            queryset.filter(state=RevisionState.OPEN),
            lambda revision: services.revision_approve(actor=request.user, revision=revision),
            done=lambda revision: _("Revision of “%(t)s” published.") % {"t": revision.initiative},
            name=lambda revision: revision.initiative,
        )

    @admin.action(description=_("Reject selected revisions…"), permissions=["moderate"])
    def reject_revisions(self, request, queryset):
        def reject(reason):
            decide_each(
                request,
                queryset.filter(state=RevisionState.OPEN),
                lambda revision: services.revision_reject(
                    actor=request.user, revision=revision, reason=reason
                ),
                done=lambda revision: _("Revision of “%(t)s” rejected.") % {"t": revision.initiative},
                name=lambda revision: revision.initiative,
            )

        return with_reason(self, request, queryset, action="reject_revisions", decide=reject)


@admin.register(Update)
class UpdateAdmin(ReadOnlyAdmin):
    """Progress notes; moderators approve or reject those held for review."""

    list_display = ("title", "initiative", "kind", "date", "author", "state", "decided_by")
    list_filter = ("state", "kind")
    search_fields = ("title", "text", "initiative__title")
    list_select_related = ("initiative", "author", "decided_by")
    actions = ["approve_notes", "reject_notes"]

    def has_moderate_permission(self, request):
        return request.user.has_perm("initiatives.moderate")

    def _held(self, queryset):
        return queryset.filter(state=UpdateState.HELD).select_related("initiative")

    @admin.action(description=_("Approve selected held updates"), permissions=["moderate"])
    def approve_notes(self, request, queryset):
        decide_each(
            request,
            self._held(queryset),
            lambda note: services.update_approve(actor=request.user, update=note),
            done=lambda note: _("“%(title)s” is published.") % {"title": note.title},
            name=lambda note: note.title,
        )

    @admin.action(description=_("Reject selected held updates…"), permissions=["moderate"])
    def reject_notes(self, request, queryset):
        def reject(reason):
            decide_each(
                request,
                self._held(queryset),
                lambda note: services.update_reject(actor=request.user, update=note, reason=reason),
                done=lambda note: _("Update “%(title)s” rejected.") % {"title": note.title},
                name=lambda note: note.title,
            )

        return with_reason(self, request, queryset, action="reject_notes", decide=reject)
