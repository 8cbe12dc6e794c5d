"""How an admin action runs a service over a selection and tells the user what happened."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from .forms import RejectForm


def report(request, done: int, failures: list[str], verb: str) -> None:
    if done:
        messages.success(
            request,
            ngettext("%(n)d initiative %(verb)s.", "%(n)d initiatives %(verb)s.", done)
            % {"n": done, "verb": verb},
        )
    for failure in failures:
        messages.error(request, failure)


def run_each(request, queryset, call) -> tuple[int, list[str]]:
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


def decide_each(request, items, decide, *, done, name) -> None:
    """Decide each selected item (a proposal, a note) with a message per item: `done(item)`
    when the service accepted, the service's reason, after `name(item)`, when it refused."""
    for item in items:
        try:
            decide(item)
            messages.success(request, done(item))
        except (PermissionDenied, ValidationError, services.ConcurrentEditError) as error:
            text = " ".join(getattr(error, "messages", None) or [str(error)])
            messages.error(request, f"{name(item)}: {text}")


def with_reason(model_admin, request, queryset, *, action, decide):
    """A rejection: the intermediate page asks for the reason, then `decide(reason)` runs."""
    form = RejectForm(request.POST if "reason" in request.POST else None)
    if form.is_bound and form.is_valid():
        decide(form.cleaned_data["reason"])
        return None
    return action_page(
        model_admin,
        request,
        "admin/initiatives/reject_reason.html",
        title=_("Reject with a reason"),
        form=form,
        queryset=queryset,
        action=action,
    )


def action_page(model_admin, request, template, *, title, form, queryset, action):
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
