"""The tag vocabulary in the admin: each tag with its labels and synonyms, and merging tags.

It takes the place of taggit's own Tag admin, whose merge rewrites tagged rows directly;
here a save and the merge action call initiatives.services, so records touched by a merge
get their new versions and history as from any other door.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .. import services
from ..forms import TagLabelsForm
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

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting the row would take the tag off its records with no version or history; a
        # tag leaves the vocabulary by being merged into another.
        return False

    def has_curate_permission(self, request) -> bool:
        return request.user.has_perm("initiatives.curate_tags")

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
