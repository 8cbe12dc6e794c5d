"""Filters every FilterSet shares, the frame's and the records' (on the site and in the API)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class StrictBooleanField(forms.NullBooleanField):
    """ "true" or "false"; empty means no filter, anything else is an error (not "no filter")."""

    widget = forms.Select(choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))])

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", True):
            return True
        if value in ("false", False):
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField
