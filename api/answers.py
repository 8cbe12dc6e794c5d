"""Public API answers, kept between requests until anything an anonymous reader sees changes.

Anonymous callers all see the same published records, so the JSON answer to an anonymous
GET of the list or of a record can be served again, bytes and ETag, without touching the
initiatives. Keys carry the catalogue generation (initiatives/catalogue.py: the highest id
of CatalogueChange, moved on by every change an anonymous reader could see) and everything
else the answer depends on (the address with its scheme and host, the media type, the
language). Nothing is ever deleted from the cache: a change moves the generation, old keys
are not asked for again and expire.

The generation lives in the database, not the cache, so a per-process cache (the default)
stays right when the site, the worker and the admin write from different processes; it is
read again at most every API_ANSWER_RECHECK_SECONDS, so a kept answer costs no query at all.
This module is the cache only: its keys, its storage (this process's memory, or the cache
API_ANSWER_CACHE_URL names) and the middleware that answers from it.
"""

import hashlib
import pickle
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.translation import get_language
from rest_framework.settings import api_settings

from initiatives.catalogue import generation

from .conditional import etag_matches


class MemoryStore:
    """Kept answers in this process's memory, least recently used out first, bounded in bytes.

    Django's local-memory cache bounds the number of entries, not their size, and pickles
    every value in and out; an answer here is kept as the bytes it was sent as.
    """

    def __init__(self, limit_bytes: int):
        self.limit = limit_bytes
        self.size = 0
        self._entries = OrderedDict()  # key -> (expires, value, size)
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def set(self, key, value, timeout) -> None:
        size = _size_of(value)
        if size > self.limit or timeout <= 0:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic() + timeout, value, size)
            self.size += size
            while self.size > self.limit:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0

    def _drop(self, key) -> None:
        self.size -= self._entries.pop(key)[2]


def _size_of(value) -> int:
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bytes):
        return len(value[1]) + 512  # an answer: its bytes, and about this much for its headers
    return len(pickle.dumps(value))


_memory: MemoryStore | None = None


def _cache():
    """The configured cache when API_ANSWER_CACHE_URL is set, otherwise this process's memory."""
    global _memory
    if settings.API_ANSWER_CACHE:
        return caches[settings.API_ANSWER_CACHE]
    limit = int(settings.API_ANSWER_CACHE_MB * 1024 * 1024)
    if _memory is None or _memory.limit != limit:
        _memory = MemoryStore(limit)
    return _memory


def forget_all() -> None:
    """Drop every kept answer of this process (or of the shared cache)."""
    _cache().clear()


# The answers that may be kept: the initiatives list, records and counts, read through the API.
KEPT_PATH = re.compile(r"^/api/v1/(?:initiatives/(?:[-\w]+/)?|stats/initiatives/)$")
# Headers the view sets on an answer, served again with it; the middleware adds the rest.
KEPT_HEADERS = ("Content-Type", "ETag", "Allow", "Vary")


def cacheable(request) -> bool:
    """Anonymous JSON reads only: everyone else may see drafts of their own or staff fields.

    A cursor walk's first page says when the walk started: it is never the same answer twice.
    """
    params = request.GET
    return (
        settings.API_ANSWER_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and KEPT_PATH.match(request.path_info) is not None
        and params.get("mode") != "cursor"
        and "cursor" not in params
        and "format" not in params
        and not request.user.is_authenticated
    )


def key_for(request) -> str:
    """The same key from the middleware (a Django request) and from the view (DRF's).

    Everything an answer depends on besides the catalogue: the address as the caller wrote
    it, scheme and host included (the `next` and `previous` links are built from them), the
    media type asked for and the language.
    """
    address = request.build_absolute_uri(request.get_full_path())
    raw = f"{address}|{request.META.get('HTTP_ACCEPT', '')}|{get_language()}"
    return f"concord:answer:{generation()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def kept(key: str):
    """(headers, content) of the answer kept under key, or None."""
    return _cache().get(key)


def keep(key: str, response) -> None:
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    _cache().set(key, (headers, response.content), settings.API_ANSWER_CACHE_SECONDS)


def replay(request, entry) -> HttpResponse:
    """A kept answer as a 200, or as an empty 304 when the caller holds its ETag."""
    headers, content = entry
    if etag_matches(request.headers.get("If-None-Match"), headers.get("ETag", "")):
        response = HttpResponseNotModified()
        for name, value in headers.items():
            if name != "Content-Type":
                response[name] = value
        return response
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response


def _throttles_allow(request) -> bool:
    """The API's throttles, counted as the view would count them."""
    return all(throttle().allow_request(request, None) for throttle in api_settings.DEFAULT_THROTTLE_CLASSES)


class KeptAnswerMiddleware:
    """Anonymous reads of the initiatives API answered from kept answers, before the URL is
    even resolved, as Django's FetchFromCacheMiddleware does for whole pages.

    Callers who send an Authorization header are left to the view: the API may know them by
    a token that Django's session does not. Everyone else is anonymous here exactly when
    they are to the API; the throttles still count them. Anything not kept, or throttled,
    goes on to the view, which builds the answer (or the 429) and keeps it under the key
    noted on the request as `answer_key`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_AUTHORIZATION" not in request.META and cacheable(request):
            request.answer_key = key_for(request)
            entry = kept(request.answer_key)
            if entry is not None and _throttles_allow(request):
                return replay(request, entry)
        return self.get_response(request)
