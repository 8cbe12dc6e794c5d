"""Shape and validation of the digest forms; the rules are in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Country, KeyTask

from .choices import Frequency, Watch


class SubscriptionForm(forms.Form):
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices, widget=forms.RadioSelect)
    watch = forms.ChoiceField(label=_("What to include"), choices=Watch.choices, widget=forms.RadioSelect)
    key_tasks = forms.ModelMultipleChoiceField(
        label=_("Key tasks"),
        queryset=KeyTask.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"),
        queryset=Country.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=2000,
        help_text=_("Separate tags with commas."),
    )

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    query = forms.CharField(widget=forms.HiddenInput, max_length=2000)
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=[c for c in Frequency.choices if c[0] != Frequency.OFF],
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )


class SavedSearchChangeForm(forms.Form):
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices)
