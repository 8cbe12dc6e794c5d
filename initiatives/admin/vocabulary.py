"""The tag vocabulary in the admin: each tag with its labels and synonyms, merging tags, and
deleting a tag no record carries.

It takes the place of taggit's own Tag admin, whose merge rewrites tagged rows directly;
here a save, the merge action and a deletion call initiatives.services, so records touched by
a merge get their new versions and history as from any other door, and a tag still on records
is never deleted from under them.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .. import services
from ..forms import TagLabelsForm
from ..selectors.tags import tag_deletion_refusal
from ..vocabulary import tag_labels_initial
from .actions import action_page


class TagAdminForm(forms.ModelForm):
    label_en = TagLabelsForm.base_fields["label_en"]
    label_zh = TagLabelsForm.base_fields["label_zh"]
    # Not `synonyms`: a view-only admin shows each field by its name, and that is the manager.
    synonym_list = TagLabelsForm.base_fields["synonyms"]

    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label = getattr(self.instance, "label", None) if self.instance.pk else None
        if label is not None:
            self.fields["label_en"].initial = label.label_en
            self.fields["label_zh"].initial = label.label_zh
            self.fields["synonym_list"].initial = ", ".join(
                self.instance.synonyms.values_list("name", flat=True)
            )

    def clean_synonym_list(self) -> list[str]:
        return TagLabelsForm.synonyms_split(self.cleaned_data["synonym_list"])


class TagMergeTargetForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Tag.objects.none(),
        help_text=_("The tag that takes the records; the others become its synonyms."),
    )

    def __init__(self, *args, exclude, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Tag.objects.exclude(pk__in=[tag.pk for tag in exclude]).order_by(
            "name"
        )


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Tags with their labels and synonyms; saves and merges go through the services."""

    form = TagAdminForm
    list_display = ["name", "slug", "label_en", "label_zh", "synonym_list"]
    ordering = ["name"]
    search_fields = ["name", "label__label_en", "label__label_zh", "synonyms__name"]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("label").prefetch_related("synonyms")

    def get_readonly_fields(self, request, obj=None):
        # A tag's name is what records store: renaming one is merging it into another.
        return ("name", "slug") if obj is not None else ()

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else {"slug": ("name",)}

    @admin.display(description=_("English label"))
    def label_en(self, tag):
        return getattr(getattr(tag, "label", None), "label_en", "")

    @admin.display(description=_("Chinese label"))
    def label_zh(self, tag):
        return getattr(getattr(tag, "label", None), "label_zh", "")

    @admin.display(description=_("Synonyms"))
    def synonym_list(self, tag):
        return ", ".join(synonym.name for synonym in tag.synonyms.all())

    def has_curate_permission(self, request) -> bool:
        return request.user.has_perm("initiatives.curate_tags")

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("initiatives.curate_tags")

    def get_actions(self, request):
        # One tag at a time, through the service: Django's bulk delete would not ask it.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_deleted_objects(self, objs, request):
        # What goes with a tag (its labels, synonyms, changes) is the service's to remove; the
        # confirmation names the tag alone and asks for no permission on those rows.
        return [str(obj) for obj in objs], {}, set(), []

    def delete_view(self, request, object_id, extra_context=None):
        tag = self.get_object(request, object_id)
        if tag is not None and self.has_delete_permission(request, tag):
            refusal = tag_deletion_refusal(tag)
            if refusal:
                # Instead of the confirmation: why not, and the merge that does it instead.
                page = action_page(
                    self,
                    request,
                    "admin/initiatives/tag_delete_refused.html",
                    title=_("Merge instead of deleting"),
                    form=TagMergeTargetForm(exclude=[tag]),
                    queryset=[tag],
                    action="merge_selected",
                )
                page.context_data.update({"refusal": refusal, "tag": tag})
                return page
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            # The tag was put on a record between the page and the confirmation.
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("admin:taggit_tag_change", args=[object_id]))

    def delete_model(self, request, obj):
        services.tag_delete(actor=request.user, tag=obj)

    def save_model(self, request, obj, form, change):
        labels = {field: form.cleaned_data.get(field, "") for field in ("label_en", "label_zh")}
        if not change:
            obj.save()
            # A new tag's name is its label in its language unless the form says otherwise.
            labels = {field: labels[field] or value for field, value in tag_labels_initial(obj.name).items()}
        services.tag_labels_set(
            actor=request.user, tag=obj, synonyms=form.cleaned_data.get("synonym_list", []), **labels
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(request.get_full_path())

    @admin.action(description=_("Merge selected into another tag…"), permissions=["curate"])
    def merge_selected(self, request, queryset):
        form = TagMergeTargetForm(request.POST if "target" in request.POST else None, exclude=queryset)
        if form.is_bound and form.is_valid():
            target = form.cleaned_data["target"]
            for tag in list(queryset):
                try:
                    services.tag_merge(actor=request.user, source=tag, target=target)
                    messages.success(
                        request,
                        _("“%(source)s” merged into “%(target)s”.") % {"source": tag, "target": target},
                    )
                except (PermissionDenied, ValidationError) as error:
                    text = " ".join(getattr(error, "messages", None) or [str(error)])
                    messages.error(request, f"{tag}: {text}")
            return None
        return action_page(
            self,
            request,
            "admin/initiatives/tag_merge_target.html",
            title=_("Merge into another tag"),
            form=form,
            queryset=queryset,
            action="merge_selected",
        )
