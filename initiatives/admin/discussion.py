"""Reported comments: the moderators' queue of comments readers reported, with what they
said, and the two decisions, keep visible or hide with a reason (both are services)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min, Prefetch, Q
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..models import CommentReport, ReportedComment
from .actions import action_page
from .forms import RejectForm
from .readonly import ReadOnlyAdmin

OPEN = Q(reports__resolved_at__isnull=True)


@admin.register(ReportedComment)
class ReportedCommentAdmin(ReadOnlyAdmin):
    """Comments with open reports, the most reported first."""

    list_display = (
        "excerpt",
        "author",
        "initiative",
        "report_count",
        "report_reasons",
        "hidden",
        "first_report",
    )
    list_filter = ("hidden_by_reports",)
    search_fields = ("body", "author__username", "initiative__title")
    list_select_related = ("author", "initiative")
    actions = ["keep_visible", "hide_selected"]
    list_per_page = 50

    def get_queryset(self, request):
        open_reports = CommentReport.objects.filter(resolved_at__isnull=True).select_related("reporter")
        # Not ModelAdmin's queryset: it would order by get_ordering before these annotations exist.
        return (
            self.model._default_manager.annotate(
                open_reports=Count("reports", filter=OPEN),
                reported_at=Min("reports__created_at", filter=OPEN),
            )
            .filter(open_reports__gt=0)
            .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_report_rows"))
        )

    def get_ordering(self, request):
        # Annotations of get_queryset: the attribute `ordering` is checked against model fields.
        return ("-open_reports", "reported_at", "id")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("initiatives.hide_comment")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_moderate_permission(self, request):
        return request.user.has_perm("initiatives.hide_comment")

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return obj.body if len(obj.body) <= 120 else f"{obj.body[:119]}…"

    @admin.display(description=_("reports"), ordering="open_reports")
    def report_count(self, obj):
        return obj.open_reports

    @admin.display(description=_("reasons"))
    def report_reasons(self, obj):
        return format_html_join(
            "", "<p>{}: {}</p>", ((r.reporter.get_username(), r.reason) for r in obj.open_report_rows)
        )

    @admin.display(description=_("Hidden"), boolean=True)
    def hidden(self, obj):
        return obj.hidden_at is not None

    @admin.display(description=_("first reported"), ordering="reported_at")
    def first_report(self, obj):
        return obj.reported_at

    def _each(self, request, queryset, decide, done_message):
        done = 0
        for comment in queryset:
            try:
                decide(comment)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                text = " ".join(getattr(error, "messages", None) or [str(error)])
                messages.error(request, f"{comment}: {text}")
        if done:
            messages.success(request, done_message(done))

    @admin.action(description=_("Keep selected comments visible"), permissions=["moderate"])
    def keep_visible(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda comment: services.comment_reports_dismiss(actor=request.user, comment=comment),
            lambda n: (
                ngettext(
                    "%(n)d comment kept visible; its reports are resolved.",
                    "%(n)d comments kept visible; their reports are resolved.",
                    n,
                )
                % {"n": n}
            ),
        )

    @admin.action(description=_("Hide selected comments…"), permissions=["moderate"])
    def hide_selected(self, request, queryset):
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            self._each(
                request,
                queryset,
                lambda comment: services.comment_hide(actor=request.user, comment=comment, reason=reason),
                lambda n: ngettext("%(n)d comment hidden.", "%(n)d comments hidden.", n) % {"n": n},
            )
            return None
        return action_page(
            self,
            request,
            "admin/initiatives/comment_hide_reason.html",
            title=_("Hide with a reason"),
            form=form,
            queryset=queryset,
            action="hide_selected",
        )
