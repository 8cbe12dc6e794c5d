"""One JSON error shape for the whole API, whatever raised the error.

Services raise Django's ValidationError and PermissionDenied, ConcurrentEditError and
AlreadyDecided; the API answers 400 (a message per field), 403 and 409, always with a `detail`.
A database that cannot be reached is a 503 with Retry-After (governance/outage.py).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

from governance.outage import database_unreachable, unavailable_response
from governance.services import AccountLockedOut
from initiatives.services import AlreadyDecided, ConcurrentEditError

from .conditional import PreconditionFailed

# Services speak of participations; the API of stakeholders.
FIELD_NAMES = {"participations": "stakeholders"}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The record was changed by someone else; nothing was saved.")
    default_code = "conflict"


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = gettext_lazy("Too many failed sign-ins; try again later.")
    default_code = "locked_out"


def _validation_detail(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return {FIELD_NAMES.get(field, field): messages for field, messages in error.message_dict.items()}
    return {"detail": " ".join(error.messages)}


def api_exception_handler(exc, context):
    if database_unreachable(exc):
        request = context["request"]
        return unavailable_response(getattr(request, "_request", request), exc)
    if isinstance(exc, ConcurrentEditError):
        # With If-Match the caller asked for "only if still this version": another write that
        # landed between the check and the row lock fails that precondition too.
        request = context.get("request")
        if request is not None and request.headers.get("If-Match"):
            exc = PreconditionFailed()
        else:
            exc = Conflict(str(exc))
    elif isinstance(exc, AlreadyDecided):
        exc = Conflict(str(exc))
    elif isinstance(exc, AccountLockedOut):
        exc = LockedOut(str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, DataError):
        exc = exceptions.ValidationError({"detail": _("A value is not acceptable (too long or malformed).")})
    elif isinstance(exc, IntegrityError):
        exc = Conflict(_("The change conflicts with another record; nothing was saved."))
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, list):
        response.data = {"detail": " ".join(str(item) for item in data)}
    elif isinstance(data, dict) and "detail" not in data:
        response.data = {"detail": _("Invalid input."), **data}
    return response
