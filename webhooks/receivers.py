"""Hears what happened to published records (initiatives.announcements) and creates deliveries."""

from . import services
from .payloads import initiative_public


def webhooks_notify(sender, *, event, initiative, **kwargs) -> None:
    """Inside the record's transaction: one delivery per webhook that asked for this event.

    The record is read as an anonymous caller reads it, now, while it is published; with no
    webhook listening, nothing but one small query is done.
    """
    webhooks = list(services.webhooks_listening(event))
    if not webhooks:
        return
    representation = initiative_public(initiative)
    if representation is None:
        return
    services.deliveries_create(
        event=event, initiative=initiative, representation=representation, webhooks=webhooks
    )
