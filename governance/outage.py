"""While the database cannot be reached, requests are answered 503 with Retry-After.

A database restart takes seconds. A 503 that says when to try again lets a client retry
and lose nothing, where a 500 says the request itself failed. Only errors that mean the
server cannot be reached count: the connection refused, lost or closed, the server
shutting down or starting up, no connection slot free. A statement timeout, a deadlock
or a constraint violation is still an error of the request and is answered as before.

Three doors lead here: `DatabaseUnavailableMiddleware` for the site's views, the API's
exception handler (api/exceptions.py) for DRF views, and `server_error`, the
handler500, for a failure in a middleware (reading the session or the catalogue
generation before any view runs).

The outage is logged once per process when its first such error is seen, and once when
a new connection succeeds again, with how many requests were answered 503 meanwhile:
a restart under load gives two log lines per process, not a traceback per request.
"""

import logging
import sys
import threading
import time

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.backends.signals import connection_created
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger("concord.database")

# SQLSTATEs of a server that cannot take the request at all: the connection exception
# class, admin and crash shutdown, "cannot connect now" (starting up), too many connections.
UNREACHABLE_SQLSTATES = ("57P01", "57P02", "57P03", "53300")


def database_unreachable(error: BaseException | None) -> bool:
    """Whether this error means the database server cannot be reached (not a bad statement)."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    cause = error.__cause__
    if not isinstance(cause, psycopg.Error):
        # Django's own InterfaceError ("connection already closed") wraps nothing.
        return isinstance(error, InterfaceError) and cause is None
    sqlstate = cause.sqlstate
    if sqlstate is None:
        # No answer from a server: refused, timed out, closed under us.
        return isinstance(cause, psycopg.OperationalError | psycopg.InterfaceError)
    return sqlstate.startswith("08") or sqlstate in UNREACHABLE_SQLSTATES


class _Outage:
    """This process's view of the database: since when it has been unreachable, if it is."""

    def __init__(self):
        self.lock = threading.Lock()
        self.since: float | None = None
        self.answered = 0

    def seen(self, error: BaseException) -> None:
        with self.lock:
            self.answered += 1
            if self.since is not None:
                return
            self.since = time.monotonic()
        logger.error(
            "The database cannot be reached (%s: %s); answering 503 until a connection succeeds.",
            type(error.__cause__ or error).__name__,
            str(error).strip().splitlines()[0] if str(error).strip() else "",
        )

    def connected(self, **kwargs) -> None:
        if self.since is None:
            return
        with self.lock:
            if self.since is None:
                return
            seconds, answered = time.monotonic() - self.since, self.answered
            self.since, self.answered = None, 0
        logger.warning(
            "The database can be reached again after %.1f s; %d requests were answered 503.",
            seconds,
            answered,
        )


outage = _Outage()
connection_created.connect(outage.connected, dispatch_uid="concord-database-outage")


def unavailable_response(request, error: BaseException) -> HttpResponse:
    """503 with Retry-After: JSON with a `detail` under /api/, a short page elsewhere."""
    outage.seen(error)
    retry_after = settings.DATABASE_UNAVAILABLE_RETRY_AFTER
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)
    with translation.override(language):
        if request.path_info.startswith("/api/"):
            detail = _(
                "The service cannot reach its database for a moment. Try again in %(seconds)s seconds."
            ) % {"seconds": retry_after}
            response = JsonResponse({"detail": detail}, status=503)
        else:
            # Rendered without the request: context processors would read the session.
            response = HttpResponse(render_to_string("503.html", {"seconds": retry_after}), status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    # Logged once per outage above, not once per request by django.request.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """A view that fails because the database cannot be reached answers 503, not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_unreachable(exception):
            return unavailable_response(request, exception)
        return None


def server_error(request, *args, **kwargs):
    """handler500: a middleware that failed to reach the database answers 503 too."""
    error = sys.exc_info()[1]
    if database_unreachable(error):
        return unavailable_response(request, error)
    return django_server_error(request, *args, **kwargs)
