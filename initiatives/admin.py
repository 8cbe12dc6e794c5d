"""The admin panel: curators keep content, moderators work the queue.

Every save and action here calls initiatives.services, so the role matrix, the version
check and the history hold exactly as on the web and in the API.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.forms import TagWidget
from taggit.models import Tag

from . import rules, services
from .choices import ModerationState, RevisionState, UpdateState
from .models import (
    Comment,
    Follow,
    Initiative,
    InitiativeEvent,
    ModerationQueueItem,
    Participation,
    PendingRevision,
    Revision,
    SourceLink,
    Update,
)
from .selectors import initiative_similar

CONTENT_FORM_FIELDS = (
    "title",
    "summary",
    "body",
    "language",
    "key_task",
    "action_line",
    "kind",
    "status",
    "start_date",
    "end_date",
    "countries",
    "advocacies",
    "tags",
    "collaborators",
)


class TagListWidget(TagWidget):
    """Taggit's comma-separated input, with the existing tags offered as suggestions."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {}), "list": f"{name}-suggestions", "autocomplete": "off"}
        field = super().render(name, value, attrs, renderer)
        options = format_html(
            "".join('<option value="{}">' for _ in range(min(Tag.objects.count(), 500))),
            *Tag.objects.order_by("name").values_list("name", flat=True)[:500],
        )
        return format_html('{}<datalist id="{}-suggestions">{}</datalist>', field, name, options)


class InitiativeAdminForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Initiative
        fields = CONTENT_FORM_FIELDS
        widgets = {"tags": TagListWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None:
            # The service's check, shown on the form so that the curator's input stays.
            try:
                services.initiative_version_check(initiative=self.instance, expected_version=expected)
            except services.ConcurrentEditError as error:
                raise ValidationError(str(error)) from None
        return cleaned

    def _post_clean(self):
        # Model validation (constraints included) runs in the service, with its own messages.
        pass


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ("stakeholder",)


class SourceLinkInline(admin.TabularInline):
    model = SourceLink
    extra = 1
    fields = ("url", "title")


class UpdateInline(admin.StackedInline):
    """Published notes, which curators correct here; held ones are decided in Updates."""

    model = Update
    extra = 0
    fields = ("date", "kind", "title", "text")
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(state=UpdateState.PUBLISHED)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Shown to the owner.")
    )


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Initiative.objects.none(),
        help_text=_("The record that survives; the others redirect to it."),
    )

    def __init__(self, *args, exclude, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Initiative.objects.filter(merged_into__isnull=True).exclude(
            pk__in=[i.pk for i in exclude]
        )


def _report(request, done: int, failures: list[str], verb: str) -> None:
    if done:
        messages.success(
            request,
            ngettext("%(n)d initiative %(verb)s.", "%(n)d initiatives %(verb)s.", done)
            % {"n": done, "verb": verb},
        )
    for failure in failures:
        messages.error(request, failure)


def _run_each(request, queryset, call) -> tuple[int, list[str]]:
    """Apply a service to each selected record; one refusal does not stop the others."""
    done, failures = 0, []
    for initiative in queryset:
        try:
            call(initiative)
            done += 1
        except (PermissionDenied, ValidationError, services.ConcurrentEditError) as error:
            text = " ".join(getattr(error, "messages", None) or [str(error)])
            failures.append(f"{initiative}: {text}")
    return done, failures


def _action_page(model_admin, request, template, *, title, form, queryset, action):
    """The intermediate page of an admin action that needs more input (a reason, a target)."""
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": model_admin.model._meta,
        },
    )


class ModerationActionsMixin:
    """Approve and reject, single and in bulk; reject asks for a reason first."""

    def has_moderate_permission(self, request):
        return request.user.has_perm("initiatives.moderate_initiative")

    def has_curate_permission(self, request):
        return request.user.has_perm("initiatives.curate_initiative")

    @admin.action(description=_("Approve selected submissions"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        done, failures = _run_each(
            request, queryset, lambda i: services.initiative_approve(actor=request.user, initiative=i)
        )
        _report(request, done, failures, str(_("approved")))

    @admin.action(description=_("Reject selected submissions…"), permissions=["moderate"])
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            done, failures = _run_each(
                request,
                queryset,
                lambda i: services.initiative_reject(actor=request.user, initiative=i, reason=reason),
            )
            _report(request, done, failures, str(_("rejected")))
            return None
        return _action_page(
            self,
            request,
            "admin/initiatives/reject_reason.html",
            title=_("Reject with a reason"),
            form=form,
            queryset=queryset,
            action="reject_selected",
        )


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
    list_filter = ("moderation_state", "key_task", "kind", "status", "language", "countries__region")
    search_fields = ("title", "summary", "slug", "owner__username")
    list_select_related = ("key_task", "owner")
    autocomplete_fields = ("countries", "collaborators", "advocacies")
    date_hierarchy = "updated_at"
    readonly_fields = (
        "slug",
        "owner",
        "moderation_state",
        "version",
        "created_at",
        "updated_at",
        "published_at",
    )
    inlines = [ParticipationInline, SourceLinkInline, UpdateInline]
    actions = ["approve_selected", "reject_selected", "archive_selected", "mark_completed", "merge_selected"]
    fieldsets = (
        (None, {"fields": ("title", "summary", "body", "language", "expected_version")}),
        (_("Frame"), {"fields": ("key_task", "action_line", "advocacies")}),
        (_("Details"), {"fields": ("kind", "status", "start_date", "end_date", "countries", "tags")}),
        (_("People"), {"fields": ("collaborators",)}),
        (_("Record"), {"fields": readonly_fields}),
    )

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or rules.edit_mode(request.user, obj) == "direct"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    @admin.action(description=_("Archive selected"), permissions=["curate"])
    def archive_selected(self, request, queryset):
        done, failures = _run_each(
            request, queryset, lambda i: services.initiative_archive(actor=request.user, initiative=i)
        )
        _report(request, done, failures, str(_("archived")))

    @admin.action(description=_("Mark selected as completed"), permissions=["curate"])
    def mark_completed(self, request, queryset):
        try:
            count = services.initiatives_set_status(
                actor=request.user, initiatives=queryset, status="completed"
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return
        _report(request, count, [], str(_("marked completed")))

    @admin.action(description=_("Merge selected into another initiative…"), permissions=["curate"])
    def merge_selected(self, request, queryset):
        form = MergeForm(request.POST if "target" in request.POST else None, exclude=queryset)
        if form.is_bound and form.is_valid():
            target = form.cleaned_data["target"]
            done, failures = _run_each(
                request,
                queryset,
                lambda i: services.initiative_merge(actor=request.user, source=i, target=target),
            )
            _report(request, done, failures, str(_("merged into “%(t)s”") % {"t": target}))
            return None
        return _action_page(
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
                data["links"] = [{"url": r["url"], "title": r.get("title", "")} for r in rows]
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
                "can_restore": rules.can_restore(request.user, initiative),
            },
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        initiative = Initiative.objects.filter(pk=object_id).first()
        extra_context = extra_context or {}
        if initiative is not None:
            open_revision = initiative.pending_revisions.filter(state=RevisionState.OPEN).first()
            extra_context.update(
                {
                    "can_approve": rules.can_approve(request.user, initiative),
                    "can_reject": rules.can_reject(request.user, initiative),
                    "rejection": initiative.events.filter(action="reject").order_by("-created_at").first()
                    if initiative.moderation_state == ModerationState.REJECTED
                    else None,
                    "open_revision": open_revision,
                    "similar": initiative_similar(initiative, queryset=self.get_queryset(request))
                    if initiative.moderation_state == ModerationState.SUBMITTED
                    else [],
                }
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ModerationQueueItem)
class ModerationQueueAdmin(ModerationActionsMixin, admin.ModelAdmin):
    """Submissions waiting for a decision, oldest first."""

    list_display = ("title_link", "key_task", "owner", "submitted_at", "waiting")
    list_filter = ("key_task", "kind")
    search_fields = ("title", "summary")
    list_select_related = ("key_task", "owner")
    actions = ["approve_selected", "reject_selected"]
    ordering = ("submitted_at", "id")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(moderation_state=ModerationState.SUBMITTED)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("initiatives.moderate_initiative") or request.user.has_perm(
            "initiatives.curate_initiative"
        )

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
        return request.user.has_perm("initiatives.moderate_initiative")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    @admin.display(description=_("authors"))
    def author_names(self, obj):
        return ", ".join(sorted(author.get_username() for author in obj.authors.all()))

    @admin.display(description=_("difference"))
    def difference(self, obj):
        if obj.state != RevisionState.OPEN:
            return "—"
        changes = services.revision_diff(obj)
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            _("field"),
            _("live"),
            _("proposed"),
            format_html(
                "".join("<tr><td>{}</td><td>{}</td><td>{}</td></tr>" for _ in changes),
                *[part for field, (old, new) in changes.items() for part in (field, old, new)],
            ),
        )

    @admin.action(description=_("Approve selected revisions"), permissions=["moderate"])
    def approve_revisions(self, request, queryset):
        for revision in queryset.filter(state=RevisionState.OPEN):
            try:
                services.revision_approve(actor=request.user, revision=revision)
                messages.success(request, _("Revision of “%(t)s” published.") % {"t": revision.initiative})
            except (PermissionDenied, ValidationError, services.ConcurrentEditError) as error:
                messages.error(request, f"{revision.initiative}: {error}")

    @admin.action(description=_("Reject selected revisions…"), permissions=["moderate"])
    def reject_revisions(self, request, queryset):
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            for revision in queryset.filter(state=RevisionState.OPEN):
                try:
                    services.revision_reject(
                        actor=request.user, revision=revision, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, _("Revision of “%(t)s” rejected.") % {"t": revision.initiative})
                except (PermissionDenied, ValidationError) as error:
                    messages.error(request, f"{revision.initiative}: {error}")
            return None
        return _action_page(
            self,
            request,
            "admin/initiatives/reject_reason.html",
            title=_("Reject with a reason"),
            form=form,
            queryset=queryset,
            action="reject_revisions",
        )


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


@admin.register(Update)
class UpdateAdmin(ReadOnlyAdmin):
    """Progress notes; moderators approve or reject those held for review."""

    list_display = ("title", "initiative", "kind", "date", "author", "state", "decided_by")
    list_filter = ("state", "kind")
    search_fields = ("title", "text", "initiative__title")
    list_select_related = ("initiative", "author", "decided_by")
    actions = ["approve_notes", "reject_notes"]

    def has_moderate_permission(self, request):
        return request.user.has_perm("initiatives.moderate_initiative")

    def _decide_each(self, request, queryset, decide, done_message) -> None:
        for note in queryset.filter(state=UpdateState.HELD).select_related("initiative"):
            try:
                decide(note)
                messages.success(request, done_message % {"title": note.title})
            except (PermissionDenied, ValidationError) as error:
                text = " ".join(getattr(error, "messages", None) or [str(error)])
                messages.error(request, f"{note.title}: {text}")

    @admin.action(description=_("Approve selected held updates"), permissions=["moderate"])
    def approve_notes(self, request, queryset):
        self._decide_each(
            request,
            queryset,
            lambda note: services.update_approve(actor=request.user, update=note),
            _("“%(title)s” is published."),
        )

    @admin.action(description=_("Reject selected held updates…"), permissions=["moderate"])
    def reject_notes(self, request, queryset):
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            self._decide_each(
                request,
                queryset,
                lambda note: services.update_reject(actor=request.user, update=note, reason=reason),
                _("Update “%(title)s” rejected."),
            )
            return None
        return _action_page(
            self,
            request,
            "admin/initiatives/reject_reason.html",
            title=_("Reject with a reason"),
            form=form,
            queryset=queryset,
            action="reject_notes",
        )


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("initiative", "author", "created_at", "hidden_at", "hidden_reason")
    list_filter = ("hidden_at",)
    search_fields = ("body", "initiative__title", "author__username")
    list_select_related = ("initiative", "author")


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ("user", "initiative", "created_at")
    search_fields = ("user__username", "initiative__title")
    list_select_related = ("user", "initiative")


admin.site.site_header = _("Concord administration")
admin.site.site_title = _("Concord")
