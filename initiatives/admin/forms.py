"""The admin's forms: the initiative's content form and the inputs admin actions ask for.

They shape input; initiatives.services decides.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagWidget
from taggit.models import Tag

from .. import services
from ..models import Initiative

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
