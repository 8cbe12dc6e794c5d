"""Public API answers, kept between requests until anything an anonymous reader sees changes.

Anonymous callers all see the same published records, so the JSON answer to an anonymous
GET of the list or of a record can be served again, bytes and ETag, without touching the
initiatives. Keys carry the catalogue generation: the highest id of CatalogueChange. Every
change to an initiative, its revisions, the frame, countries, stakeholders or tags adds a
row twice: inside the writer's transaction (so the writer's own next read misses the old
answers) and again once it has committed (so an answer built from the old rows while the
write was in flight is kept under a generation nobody asks for any more). Nothing is ever
deleted from the cache: old keys are not asked for again and expire.

The generation lives in the database, not the cache, so a per-process cache (the default)
stays right when the site, the worker and the admin write from different processes.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.utils.translation import get_language

from .models import CatalogueChange

PRUNE_EVERY = 1000


def generation() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {CatalogueChange._meta.db_table}")  # noqa: S608 -- model's table
        return cursor.fetchone()[0] or 0


def _record() -> None:
    change = CatalogueChange.objects.create()
    if change.pk % PRUNE_EVERY == 0:
        CatalogueChange.objects.filter(pk__lt=change.pk).delete()


def catalogue_changed() -> None:
    """Retire every kept answer; call inside the transaction that makes the change."""
    _record()
    transaction.on_commit(_record)


def _cache():
    return caches[settings.API_ANSWER_CACHE]


def cacheable(request) -> bool:
    """Anonymous JSON reads only: everyone else may see drafts of their own or staff fields."""
    return (
        settings.API_ANSWER_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and request.accepted_media_type == "application/json"
    )


def key_for(request) -> str:
    path = request.get_full_path()
    digest = hashlib.sha256(f"{path}|{request.accepted_media_type}|{get_language()}".encode()).hexdigest()
    return f"concord:answer:{generation()}:{digest}"


def kept(key: str):
    """(etag, content) of the answer kept under key, or None."""
    return _cache().get(key)


def keep(key: str, etag: str, content: bytes) -> None:
    _cache().set(key, (etag, content), settings.API_ANSWER_CACHE_SECONDS)


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    catalogue_changed()


def connect_signals() -> None:
    """Saves and deletes through the ORM; bulk updates call catalogue_changed themselves."""
    from django.db.models.signals import post_delete, post_save
    from taggit.models import Tag

    from governance.models import ActionLine, Advocacy, Country, KeyTask, Stakeholder

    from .models import Initiative, Revision

    # The frame too: slugs are in every answer, and filters select by region, kind or tag.
    for model in (Initiative, Revision, KeyTask, ActionLine, Advocacy, Country, Stakeholder, Tag):
        post_save.connect(_changed, sender=model, dispatch_uid=f"answers-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"answers-delete-{model._meta.label}")
