"""The initiative's own admin: the change form with its inlines (and, as on the site's form,
who else is editing the record), curators' bulk actions, and the approve, reject, restore
and history pages of one record.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from governance.choices import Language

from .. import rules, services
from ..choices import ModerationState, RevisionState, UpdateState
from ..models import Initiative, InitiativeTranslation, Participation, SourceLink, Update
from ..selectors import initiative_similar, latest_rejection, others_editing, presence_heartbeat_seconds
from ..views.paging import BoundedPaginator
from .actions import action_page, report, run_each
from .differences import results_table_html
from .forms import CONTENT_FORM_FIELDS, InitiativeAdminForm, MergeForm, RejectForm
from .moderation import ModerationActionsMixin


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ("stakeholder",)


class SourceLinkInline(admin.TabularInline):
    """The record's sources; `checked` is kept as it was unless a curator changes it (the
    services see to that), and who checked it and when are written by them."""

    model = SourceLink
    extra = 1
    fields = (
        "url",
        "title",
        "publisher",
        "language",
        "published_on",
        "accessed_on",
        "checked",
        "checked_by",
        "checked_at",
    )
    readonly_fields = ("checked_by", "checked_at")


class CheckedSourceFilter(admin.SimpleListFilter):
    """Records by whether a curator has checked at least one of their sources."""

    title = _("checked source")
    parameter_name = "source_checked"

    def lookups(self, request, model_admin):
        return [("true", _("At least one")), ("false", _("None"))]

    def queryset(self, request, queryset):
        if self.value() in ("true", "false"):
            return queryset.with_checked_source(self.value() == "true")
        return queryset


class TranslationInline(admin.StackedInline):
    """The record's text in its other language; written with the record by the same service."""

    model = InitiativeTranslation
    extra = 0
    max_num = len(Language.values) - 1
    fields = ("language", "title", "summary", "body", "status")


class UpdateInline(admin.StackedInline):
    """Published notes, which curators correct here; held ones are decided in Updates."""

    model = Update
    extra = 0
    fields = ("date", "kind", "title", "text", "language")
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(state=UpdateState.PUBLISHED)


@admin.register(Initiative)
class InitiativeAdmin(ModerationActionsMixin, admin.ModelAdmin):
    form = InitiativeAdminForm
    list_display = (
        "title",
        "key_task",
        "moderation_state",
        "status",
        "kind",
        "owner",
        "updated_at",
        "version",
    )
    # By date through a filter that offers fixed spans: a date hierarchy lists the years
    # and months in use, which reads every row of a million.
    list_filter = (
        "moderation_state",
        "key_task",
        "kind",
        "status",
        "language",
        "countries__region",
        CheckedSourceFilter,
        ("updated_at", admin.DateFieldListFilter),
    )
    search_fields = ("title", "summary", "slug", "owner__username")
    list_select_related = ("key_task", "owner")
    autocomplete_fields = ("countries", "collaborators", "advocacies")
    # The list counts what it shows with bounded_count (exact to a bound, then estimated,
    # kept per catalogue generation), and never counts the whole table besides.
    paginator = BoundedPaginator
    show_full_result_count = False
    # Pages of 50, as the API serves them: an admin row costs a millisecond to render.
    list_per_page = 50
    record_fields = (
        "slug",
        "owner",
        "moderation_state",
        "version",
        "created_at",
        "updated_at",
        "published_at",
    )
    readonly_fields = (*record_fields, "results_table")
    inlines = [TranslationInline, ParticipationInline, SourceLinkInline, UpdateInline]
    actions = ["approve_selected", "reject_selected", "archive_selected", "mark_completed", "merge_selected"]
    fieldsets = (
        (None, {"fields": ("title", "summary", "body", "language", "expected_version")}),
        (_("Frame"), {"fields": ("key_task", "action_line", "advocacies")}),
        (_("Details"), {"fields": ("kind", "status", "start_date", "end_date", "countries", "tags")}),
        (_("People"), {"fields": ("collaborators",)}),
        # Results are edited on the record's results page, with their own checks; moderators
        # reviewing a record read them here.
        (_("Results"), {"fields": ("results_table",)}),
        (_("Record"), {"fields": record_fields}),
    )

    @admin.display(description=_("Results and indicators"))
    def results_table(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return results_table_html(obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or request.user.has_perm("initiatives.change_initiative", obj)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    @admin.action(description=_("Archive selected"), permissions=["curate"])
    def archive_selected(self, request, queryset):
        done, failures = run_each(
            request, queryset, lambda i: services.initiative_archive(actor=request.user, initiative=i)
        )
        report(request, done, failures, str(_("archived")))

    @admin.action(description=_("Mark selected as completed"), permissions=["curate"])
    def mark_completed(self, request, queryset):
        try:
            count = services.initiatives_set_status(
                actor=request.user, initiatives=queryset, status="completed"
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return
        report(request, count, [], str(_("marked completed")))

    @admin.action(description=_("Merge selected into another initiative…"), permissions=["curate"])
    def merge_selected(self, request, queryset):
        form = MergeForm(request.POST if "target" in request.POST else None, exclude=queryset)
        if form.is_bound and form.is_valid():
            target = form.cleaned_data["target"]
            done, failures = run_each(
                request,
                queryset,
                lambda i: services.initiative_merge(actor=request.user, source=i, target=target),
            )
            report(request, done, failures, str(_("merged into “%(t)s”") % {"t": target}))
            return None
        return action_page(
            self,
            request,
            "admin/initiatives/merge_target.html",
            title=_("Merge into another initiative"),
            form=form,
            queryset=queryset,
            action="merge_selected",
        )

    # Saving: the form and inlines are collected into one call of the service.

    def save_model(self, request, obj, form, change):
        """Deferred to save_related, where the inlines' data is known."""

    def save_related(self, request, form, formsets, change):
        data = {
            field: form.cleaned_data.get(field) for field in CONTENT_FORM_FIELDS if field in form.cleaned_data
        }
        for formset in formsets:
            # The admin's change message reads these; the service writes the rows.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            rows = [
                f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            if formset.model is Participation:
                data["participations"] = [{"stakeholder": r["stakeholder"], "role": r["role"]} for r in rows]
            elif formset.model is SourceLink:
                data["links"] = [
                    {
                        "url": r["url"],
                        "title": r.get("title", ""),
                        "publisher": r.get("publisher", ""),
                        "language": r.get("language", ""),
                        "published_on": r.get("published_on"),
                        "accessed_on": r.get("accessed_on"),
                        "checked": r.get("checked"),
                    }
                    for r in rows
                ]
            elif formset.model is InitiativeTranslation:
                # A translation emptied of its text is removed.
                data["translations"] = {
                    r["language"]: {
                        field: r.get(field) or "" for field in ("title", "summary", "body", "status")
                    }
                    for r in rows
                    if any(r.get(field) for field in ("title", "summary", "body"))
                }
        changed = list(form.changed_data) + [
            str(formset.model._meta.verbose_name_plural) for formset in formsets if formset.has_changed()
        ]
        text = str(_("Admin: changed %(fields)s")) % {"fields": ", ".join(changed)} if changed else ""
        obj = form.instance
        if change:
            services.initiative_edit(
                actor=request.user,
                initiative=Initiative.objects.get(pk=obj.pk),
                data=data,
                expected_version=form.cleaned_data.get("expected_version"),
                change_message=text,
            )
            services.edit_presence_release(actor=request.user, initiative=obj)
        else:
            created = services.initiative_create(actor=request.user, data=data, change_message=text)
            obj.__dict__.update({k: v for k, v in created.__dict__.items() if k != "_state"})
            obj._state.adding = False
        for formset in formsets:
            if formset.model is Update:
                for update_form in formset.forms:
                    if not update_form.has_changed() or not update_form.cleaned_data:
                        continue
                    services.update_save(
                        actor=request.user,
                        initiative=obj,
                        update=update_form.instance if update_form.instance.pk else None,
                        data=update_form.cleaned_data,
                    )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.ConcurrentEditError as error:
            messages.error(request, str(error))
        except (PermissionDenied, ValidationError) as error:
            if isinstance(error, PermissionDenied):
                raise
            messages.error(request, " ".join(error.messages))
        url = request.get_full_path()
        return HttpResponseRedirect(url)

    # Moderation and history pages of one record.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="{}_{}_approve".format(*info),
            ),
            path(
                "<path:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="{}_{}_reject".format(*info),
            ),
            path(
                "<path:object_id>/restore/<int:version>/",
                self.admin_site.admin_view(self.restore_view),
                name="{}_{}_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def _object_or_404(self, request, object_id):
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def _change_url(self, initiative):
        return reverse("admin:initiatives_initiative_change", args=[initiative.pk])

    def approve_view(self, request, object_id):
        initiative = self._object_or_404(request, object_id)
        if request.method == "POST":
            try:
                services.initiative_approve(actor=request.user, initiative=initiative)
                messages.success(request, _("“%(title)s” is published.") % {"title": initiative})
            except (PermissionDenied, services.ConcurrentEditError) as error:
                messages.error(request, str(error))
        return HttpResponseRedirect(self._change_url(initiative))

    def reject_view(self, request, object_id):
        initiative = self._object_or_404(request, object_id)
        form = RejectForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.initiative_reject(
                    actor=request.user, initiative=initiative, reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request, _("“%(title)s” was sent back to its owner.") % {"title": initiative}
                )
                return HttpResponseRedirect(self._change_url(initiative))
            except (PermissionDenied, services.ConcurrentEditError) as error:
                messages.error(request, str(error))
        return TemplateResponse(
            request,
            "admin/initiatives/reject_reason.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Reject “%(title)s”") % {"title": initiative},
                "form": form,
                "queryset": [initiative],
                "opts": self.opts,
                "original": initiative,
            },
        )

    def restore_view(self, request, object_id, version):
        initiative = self._object_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:initiatives_initiative_history", args=[initiative.pk]))
        try:
            services.initiative_restore(actor=request.user, initiative=initiative, version=version)
            messages.success(request, _("Version %(v)s restored as a new version.") % {"v": version})
        except (PermissionDenied, ValidationError, services.ConcurrentEditError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return HttpResponseRedirect(reverse("admin:initiatives_initiative_history", args=[initiative.pk]))

    def history_view(self, request, object_id, extra_context=None):
        initiative = self._object_or_404(request, object_id)
        revisions = initiative.revisions.select_related("actor").order_by("-version")
        events = initiative.events.select_related("actor").order_by("-created_at", "-id")
        return TemplateResponse(
            request,
            "admin/initiatives/initiative/history.html",
            {
                **self.admin_site.each_context(request),
                "title": _("History: %(title)s") % {"title": initiative},
                "opts": self.opts,
                "original": initiative,
                "object": initiative,
                "revisions": revisions,
                "events": events,
                "can_restore": request.user.has_perm("initiatives.restore_initiative", initiative),
            },
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        initiative = Initiative.objects.filter(pk=object_id).first()
        extra_context = extra_context or {}
        if initiative is not None:
            open_revision = initiative.pending_revisions.filter(state=RevisionState.OPEN).first()
            extra_context.update(
                {
                    "can_approve": request.user.has_perm("initiatives.approve_initiative", initiative),
                    "can_reject": request.user.has_perm("initiatives.reject_initiative", initiative),
                    "rejection": latest_rejection(initiative),
                    "open_revision": open_revision,
                    "similar": initiative_similar(initiative, queryset=self.get_queryset(request))
                    if initiative.moderation_state == ModerationState.SUBMITTED
                    else [],
                }
            )
            if request.method == "GET" and rules.edit_mode(request.user, initiative) is not None:
                # The form is open now: say so to the site's editors, and show who else is here.
                services.edit_presence_touch(actor=request.user, initiative=initiative)
                extra_context["editing_now"] = others_editing(initiative=initiative, user=request.user)
                extra_context["presence_every"] = presence_heartbeat_seconds()
        return super().change_view(request, object_id, form_url, extra_context)
