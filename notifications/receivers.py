"""Hears what happened around a record (initiatives.announcements.member_event) and, after the
record's transaction commits, hands the event to a task as ids and plain values."""

from functools import partial

from django.db import transaction

from . import tasks

# The objects an event may carry, sent on as their ids.
_OBJECTS = ("comment", "revision", "update", "invitation")


def event_payload(*, kind, initiative, actor, key, **details) -> dict:
    """The event as JSON-friendly values: what the task needs to read it again."""
    payload = {
        "kind": str(kind),
        "initiative_id": initiative.pk,
        "actor_id": actor.pk if actor is not None else None,
        "key": key,
    }
    for name in _OBJECTS:
        if details.get(name) is not None:
            payload[f"{name}_id"] = details[name].pk
    if details.get("mentioned"):
        payload["mentioned_ids"] = sorted(user.pk for user in details["mentioned"])
    if details.get("reason"):
        payload["reason"] = str(details["reason"])
    return payload


def notifications_enqueue(sender, *, kind, initiative, actor, key, **details) -> None:
    """Inside the record's transaction: the task runs once it has committed, or never."""
    details.pop("signal", None)
    payload = event_payload(kind=kind, initiative=initiative, actor=actor, key=key, **details)
    transaction.on_commit(partial(tasks.notifications_for_event.delay, payload))
