"""Account forms: sign-up and profile. They shape input; governance.services decides."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserChangeForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from .choices import Language
from .models import Stakeholder


class LoginForm(AuthenticationForm):
    """Django's sign-in form; it passes the request to authenticate(), which axes needs."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username and password do not match an active account. Both are case-sensitive; "
            "if you just signed up, confirm your e-mail address first."
        ),
    }


class SignupForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("Letters, digits and @ . + - _ only."),
        error_messages={"invalid": _("Use only letters, digits and @ . + - _.")},
    )
    email = forms.EmailField(label=_("E-mail address"), help_text=_("We send a confirmation link here."))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)

    def clean_username(self):
        # As it will be stored, and as the sign-in form reads it.
        return get_user_model().normalize_username(self.cleaned_data["username"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class ProfileForm(forms.ModelForm):
    affiliation = forms.ModelChoiceField(
        label=_("Affiliation"),
        queryset=Stakeholder.objects.all(),
        required=False,
        help_text=_("The organisation you work for, if it is listed."),
    )

    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "email", "affiliation", "preferred_language"]


class AdminUserChangeForm(UserChangeForm):
    """The admin's change form: a new name may not be another's in another case or width."""

    def clean_username(self):
        username = self.cleaned_data["username"]  # already NFKC-normalised by UsernameField
        others = get_user_model().objects.exclude(pk=self.instance.pk)
        if username and others.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                self.instance.unique_error_message(get_user_model(), ["username"]), code="unique"
            )
        return username
