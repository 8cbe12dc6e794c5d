"""How an admin action runs a service over a selection and tells the user what happened."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import ngettext

from .. import services


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
