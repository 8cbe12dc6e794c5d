"""The catalogue changed: a fact about the records, noted as a CatalogueChange row.

The catalogue is what an anonymous reader sees: published initiatives and their
revisions, the frame (key tasks, action lines, advocacies, countries, stakeholders), tags,
and the names of the people who own or help with records. The highest id of CatalogueChange
is the catalogue's generation; whatever is built from the catalogue and kept (the public
API's answers, api/answers.py; the browse page's filters, `remembered`) is kept under it,
so a new row retires it all at once. Nothing is deleted: old generations are not asked for
again.

Every change adds a row twice: inside the writer's transaction (so the writer's own next
read sees a new generation) and again once it has committed (so anything built from the
old rows while the write was in flight is kept under a generation nobody asks for any
more). Saves and deletes through the ORM say so through the signals connected here; the
services and commands call catalogue_changed after their queryset updates and COPYs,
which send none.

The generation lives in the database, not a cache, so each process stays right when the
site, the worker and the admin write from different processes. Each process reads it again
at most every API_ANSWER_RECHECK_SECONDS (one second by default), so a change made elsewhere
shows within that time, and between two reads asking costs no query at all.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from taggit.models import Tag

from governance.models import ActionLine, Advocacy, Country, KeyTask, Stakeholder

from .models import CatalogueChange, Initiative, Revision

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
    """Retire everything kept from the catalogue; call inside the transaction that changes it."""
    _record()
    transaction.on_commit(_record)


# Per name: the generation a remembered value was built at, and the value.
_remembered: dict[str, tuple[int, object]] = {}


def remembered(name: str, build):
    """A value built from the catalogue (ids of the countries in use, say), kept in this
    process until the catalogue changes."""
    current = generation()
    entry = _remembered.get(name)
    if entry is not None and entry[0] == current:
        return entry[1]
    value = build()
    _remembered[name] = (current, value)
    return value


def forget_remembered() -> None:
    """Drop this process's remembered values (a test's database starts again, and may hand
    out the same generations again)."""
    _remembered.clear()


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    catalogue_changed()


# What the catalogue shows of a person: the owner's (and collaborators') username.
USER_FIELDS_SHOWN = ("username",)


def _user_saving(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Note whether a save changes what the catalogue shows of this person (most saves do
    not: a sign-in, a password, a profile)."""
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
    # The frame too: slugs are in every answer, and filters select by region, kind or tag.
    for model in (Initiative, Revision, KeyTask, ActionLine, Advocacy, Country, Stakeholder, Tag):
        post_save.connect(_changed, sender=model, dispatch_uid=f"answers-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"answers-delete-{model._meta.label}")
    # People: a rename shows in every answer about their records.
    user = get_user_model()
    pre_save.connect(_user_saving, sender=user, dispatch_uid="answers-user-saving")
    post_save.connect(_user_saved, sender=user, dispatch_uid="answers-user-saved")
