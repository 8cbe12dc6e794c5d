"""Accounts: sign-in (throttled by django-axes), sign-up with e-mail confirmation, profile."""

import time

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _

from . import services
from .forms import LoginForm, ProfileForm, SignupForm


def _failed_sign_ins(username: str) -> int:
    total = AccessAttempt.objects.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"]
    return total or 0


def sign_in_delay(failures: int) -> float:
    """Seconds to hold a failed sign-in: none at first, then growing, capped; axes locks later."""
    extra = failures - settings.LOGIN_SLOWDOWN_AFTER + 1
    if extra <= 0:
        return 0.0
    return min(settings.LOGIN_SLOWDOWN_STEP_SECONDS * 2 ** (extra - 1), settings.LOGIN_SLOWDOWN_MAX_SECONDS)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        # Repeated wrong passwords are answered ever more slowly before the lockout comes;
        # once locked, the lockout page answers at once (no worker is held for it).
        if getattr(self.request, "axes_locked_out", False):
            return super().form_invalid(form)
        delay = sign_in_delay(_failed_sign_ins(form.data.get("username", "")))
        if delay:
            time.sleep(delay)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "signup_open": settings.CONCORD_SIGNUP_OPEN}


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


def _apply_language(response, language: str):
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


def signup(request):
    if not settings.CONCORD_SIGNUP_OPEN:
        return render(request, "registration/signup_closed.html", status=403)
    if request.user.is_authenticated:
        return redirect("initiatives:workspace")
    language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("en", "zh-hans") else "en"
    form = SignupForm(request.POST or None, initial={"preferred_language": language})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_signup(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                preferred_language=data["preferred_language"],
                confirm_url=lambda token: request.build_absolute_uri(reverse("signup_confirm", args=[token])),
            )
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            return redirect("signup_done")
    return render(request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200)


def signup_done(request):
    return render(request, "registration/signup_done.html")


def signup_confirm(request, token):
    try:
        services.user_confirm_email(token=token)
    except ValidationError as error:
        return render(request, "registration/signup_invalid.html", {"error": error.messages[0]}, status=400)
    messages.success(request, _("Your e-mail address is confirmed. Sign in to start."))
    return redirect("login")


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.profile_update(actor=request.user, user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            response = redirect("profile")
            _apply_language(response, user.preferred_language)
            messages.success(request, _("Your profile is saved."))
            return response
    return render(request, "registration/profile.html", {"form": form}, status=400 if form.errors else 200)
