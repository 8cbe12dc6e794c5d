"""Which database a request reads: a streaming replica, or the primary for a caller who wrote.

Only web and API requests that read (GET, HEAD, OPTIONS) may read the replica; a write
request, a Celery task, a management command and anything inside a transaction read the
primary (config/db_routers.py asks `read_alias()`). A replica lags the primary by a moment,
so a caller who has just written would not find their own change there: after a write that
succeeded they read the primary for DATABASE_REPLICA_PIN_SECONDS. The browser remembers this
in a short-lived cookie; a token caller, who may keep no cookies, in the default cache under
a digest of their Authorization header (shared by every web host when CACHE_URL is Redis).
"""

import hashlib
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache

REPLICA = "replica"
PIN_COOKIE = "concord_primary"
READ_METHODS = ("GET", "HEAD", "OPTIONS")

_read_alias: ContextVar[str | None] = ContextVar("concord_read_alias", default=None)


def read_alias() -> str | None:
    """The alias this request may read from, or None: read the primary."""
    return _read_alias.get()


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _token_key(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION")
    if not header:
        return None
    return "concord:wrote:" + hashlib.sha256(header.encode()).hexdigest()


def pinned(request) -> bool:
    """Whether this caller wrote within the last DATABASE_REPLICA_PIN_SECONDS."""
    if PIN_COOKIE in request.COOKIES:
        return True
    key = _token_key(request)
    return key is not None and cache.get(key) is not None


def remember_write(request, response) -> None:
    seconds = settings.DATABASE_REPLICA_PIN_SECONDS
    if seconds <= 0:
        return
    response.set_cookie(
        PIN_COOKIE, "1", max_age=seconds, secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax"
    )
    key = _token_key(request)
    if key is not None:
        cache.set(key, time.time(), seconds)


class ReplicaReadsMiddleware:
    """Sends the reads of a reading request to the replica unless its caller just wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        reads = request.method in READ_METHODS
        token = _read_alias.set(REPLICA if reads and not pinned(request) else None)
        try:
            response = self.get_response(request)
        finally:
            _read_alias.reset(token)
        if not reads and response.status_code < 400:
            remember_write(request, response)
        return response
