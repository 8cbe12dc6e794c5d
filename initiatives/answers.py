"""Public API answers, kept between requests until anything an anonymous reader sees changes.

Anonymous callers all see the same published records, so the JSON answer to an anonymous
GET of the list or of a record can be served again, bytes and ETag, without touching the
initiatives. Keys carry the catalogue generation: the highest id of CatalogueChange, and
everything else the answer depends on (the address with its scheme and host, the media
type, the language). Every change to an initiative, its revisions, the frame, countries,
stakeholders or tags, and a rename of a person, adds a row twice: inside the writer's
transaction (so the writer's own next read misses the old answers) and again once it has
committed (so an answer built from the old rows while the write was in flight is kept
under a generation nobody asks for any more). Nothing is ever
deleted from the cache: old keys are not asked for again and expire.

The generation lives in the database, not the cache, so a per-process cache (the default)
stays right when the site, the worker and the admin write from different processes. Each
process reads it again at most every API_ANSWER_RECHECK_SECONDS (one second by default), so
a change made elsewhere shows within that time, and a kept answer costs no query at all.
"""

import hashlib
import pickle
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.translation import get_language
from rest_framework.settings import api_settings

from governance.api.conditional import etag_matches

from .models import CatalogueChange

PRUNE_EVERY = 1000


# The generation this process read last, and when (time.monotonic()).
_last_read = {"generation": None, "at": 0.0}


def generation() -> int:
    """The catalogue generation, read again at most every API_ANSWER_RECHECK_SECONDS.

    A change made in this process is seen at once; one made in another process (another
    worker, the Celery worker, the admin on another host) within that many seconds.
    """
    window = settings.API_ANSWER_RECHECK_SECONDS
    now = time.monotonic()
    if window > 0 and _last_read["generation"] is not None and now - _last_read["at"] < window:
        return _last_read["generation"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {CatalogueChange._meta.db_table}")  # noqa: S608 -- model's table
        value = cursor.fetchone()[0] or 0
    _last_read.update(generation=value, at=now)
    return value


def _record() -> None:
    change = CatalogueChange.objects.create()
    _last_read["generation"] = None
    if change.pk % PRUNE_EVERY == 0:
        CatalogueChange.objects.filter(pk__lt=change.pk).delete()


def catalogue_changed() -> None:
    """Retire every kept answer; call inside the transaction that makes the change."""
    _record()
    transaction.on_commit(_record)


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


# The answers that may be kept: the initiatives list and records, read through the API.
KEPT_PATH = re.compile(r"^/api/v1/initiatives/(?:[-\w]+/)?$")
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


def remembered(name: str, build):
    """A value built from the catalogue (ids of the countries in use, say), kept like an answer."""
    key = f"concord:value:{generation()}:{name}"
    value = _cache().get(key)
    if value is None:
        value = build()
        _cache().set(key, value, settings.API_ANSWER_CACHE_SECONDS)
    return value


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


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    catalogue_changed()


# What answers show of a person: the owner's (and collaborators') username.
USER_FIELDS_SHOWN = ("username",)


def _user_saving(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Note whether a save changes what answers show of this person (most saves do not:
    a sign-in, a password, a profile)."""
    instance._answers_shown_changed = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(USER_FIELDS_SHOWN):
        return
    stored = sender.objects.filter(pk=instance.pk).values(*USER_FIELDS_SHOWN).first()
    shown = {field: getattr(instance, field) for field in USER_FIELDS_SHOWN}
    instance._answers_shown_changed = stored is not None and stored != shown


def _user_saved(sender, instance, **kwargs) -> None:
    if getattr(instance, "_answers_shown_changed", False):
        catalogue_changed()


def connect_signals() -> None:
    """Saves and deletes through the ORM; the services call catalogue_changed after their
    queryset updates, which send no signal."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save, pre_save
    from taggit.models import Tag

    from governance.models import ActionLine, Advocacy, Country, KeyTask, Stakeholder

    from .models import Initiative, Revision

    # The frame too: slugs are in every answer, and filters select by region, kind or tag.
    for model in (Initiative, Revision, KeyTask, ActionLine, Advocacy, Country, Stakeholder, Tag):
        post_save.connect(_changed, sender=model, dispatch_uid=f"answers-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"answers-delete-{model._meta.label}")
    # People: a rename shows in every answer about their records.
    user = get_user_model()
    pre_save.connect(_user_saving, sender=user, dispatch_uid="answers-user-saving")
    post_save.connect(_user_saved, sender=user, dispatch_uid="answers-user-saved")
