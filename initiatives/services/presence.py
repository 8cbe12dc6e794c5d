"""Who has a record's edit form open: an advisory notice, in the manner of Wagtail's edit
locks, that never stops a save. Saving still claims the version (records.version_bump), so
of two people editing at once the second to save is refused and shown the first's change.

A presence is touched when the form is opened and every minute while it stays open; it ends
when its editor saves, or lapses EDIT_PRESENCE_SECONDS after it was last touched.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..models import EditPresence, Initiative
from .records import deny


@transaction.atomic
def edit_presence_touch(*, actor, initiative: Initiative) -> EditPresence:
    """Say that the actor has the record's edit form open now; only someone who may edit it.

    A presence that had lapsed starts again, so "since" counts from when the form was
    opened after the pause. Lapsed presences of the record go here, which keeps the table
    to the people editing now.
    """
    if rules.edit_mode(actor, initiative) is None:
        deny(_("You may not edit this initiative in its current state."))
    now = timezone.now()
    EditPresence.objects.filter(initiative=initiative).lapsed().delete()
    presence, created = EditPresence.objects.get_or_create(
        initiative=initiative, user=actor, defaults={"started_at": now, "seen_at": now}
    )
    if not created:
        EditPresence.objects.filter(pk=presence.pk).update(seen_at=now)
        presence.seen_at = now
    return presence


@transaction.atomic
def edit_presence_release(*, actor, initiative: Initiative) -> None:
    """The actor has left the edit form (they saved): others are no longer told about them.

    Anyone signed in may end their own presence, even once they may no longer edit.
    """
    if not rules._active(actor):
        deny(_("Sign in to edit initiatives."))
    EditPresence.objects.filter(initiative=initiative, user=actor).delete()
