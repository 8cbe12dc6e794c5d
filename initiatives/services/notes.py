"""Dated progress notes on a record: add, correct, and a moderator's decision on a held one.

Notes follow edits (rules.note_mode): whoever edits the record directly publishes a note at
once; a note whose author's edit would wait for a moderator is held until one decides it.
A note carries the language of its title and text: the one its author gives (`language` in
the data), or the one the text shows (search.text_language).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..announcements import member_event_announce
from ..catalogue import catalogue_changed
from ..choices import MemberEvent, UpdateState
from ..markup import render_markdown
from ..models import Indicator, Initiative, Update
from ..search import text_language
from .exceptions import AlreadyDecided
from .records import deny


def _indicator_of(initiative: Initiative, value) -> Indicator | None:
    """The indicator a note reports against: one of the record's own, or none."""
    if value in (None, ""):
        return None
    indicator_id = getattr(value, "pk", value)
    indicator = Indicator.objects.filter(pk=indicator_id, result__initiative=initiative).first()
    if indicator is None:
        raise ValidationError({"indicator": [_("Choose an indicator of this initiative.")]})
    return indicator


@transaction.atomic
def update_create(*, actor, initiative: Initiative, data: dict) -> Update:
    """Add a dated progress note; notes follow edits (rules.note_mode).

    Whoever edits the record directly publishes the note at once; a note by someone whose
    edit of it would wait for a moderator (owners and collaborators of a published record)
    is held until a moderator approves it, and reaches no page, feed or digest until then.
    """
    mode = rules.note_mode(actor, initiative)
    if mode is None:
        deny(_("You may not add updates to this initiative."))
    title = (data.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": [_("This field is required.")]})
    now = timezone.now()
    held = mode == "held"
    text = data.get("text") or ""
    update = Update(
        initiative=initiative,
        author=actor,
        title=title,
        text=text,
        language=data.get("language") or text_language(title, text),
        kind=data.get("kind") or "progress",
        date=data.get("date") or timezone.localdate(),
        created_at=now,
        state=UpdateState.HELD if held else UpdateState.PUBLISHED,
        published_at=None if held else now,
        indicator=_indicator_of(initiative, data.get("indicator")),
    )
    update.full_clean(exclude=["initiative", "author"])
    update.text_html = render_markdown(update.text)
    update.save()
    if not held:
        # A published note is news: the record's lists and feeds order by it.
        Initiative.objects.filter(pk=initiative.pk).update(updated_at=now)
        catalogue_changed()
    kind = MemberEvent.NOTE_HELD if held else MemberEvent.NOTE_PUBLISHED
    member_event_announce(
        kind=kind, initiative=initiative, actor=actor, key=f"{kind.value}:{update.pk}", update=update
    )
    return update


@transaction.atomic
def update_save(*, actor, initiative: Initiative, update: Update | None, data: dict) -> Update:
    """Add a progress note, or correct a published one (those who publish notes at once).

    A held note is decided as its author wrote it, and a rejected one is kept as it was.
    A correction of the title or text without a language is taken to be in the language it shows.
    """
    if update is None:
        return update_create(actor=actor, initiative=initiative, data=data)
    if rules.note_mode(actor, initiative) != "direct" or update.initiative_id != initiative.pk:
        deny(_("You may not change updates of this initiative."))
    if update.state != UpdateState.PUBLISHED:
        deny(_("Only published updates are corrected; this one waits for a moderator or was turned down."))
    for field in ("title", "text", "kind", "date"):
        if field in data:
            setattr(update, field, data[field])
    if data.get("language"):
        update.language = data["language"]
    elif "title" in data or "text" in data:
        update.language = text_language(update.title, update.text)
    if "indicator" in data:
        update.indicator = _indicator_of(initiative, data["indicator"])
    update.full_clean(exclude=["initiative", "author"])
    update.text_html = render_markdown(update.text)
    update.save()
    return update


def _held_note(*, actor, update: Update) -> Update:
    """The note, locked, once the actor is known to be allowed to decide it."""
    update = Update.objects.select_for_update(of=("self",)).select_related("initiative").get(pk=update.pk)
    if not actor.has_perm("initiatives.decide_update", update):
        deny(_("You may not decide on this update (moderators only, never on your own)."))
    if update.state != UpdateState.HELD:
        raise AlreadyDecided(
            _("This update was already decided (%(state)s); nothing was changed.")
            % {"state": update.get_state_display()}
        )
    return update


@transaction.atomic
def update_approve(*, actor, update: Update) -> Update:
    """Publish a held progress note; from now on it is news for pages, feeds and digests."""
    update = _held_note(actor=actor, update=update)
    now = timezone.now()
    update.state = UpdateState.PUBLISHED
    update.published_at = now
    update.decided_by = actor
    update.decided_at = now
    update.save(update_fields=["state", "published_at", "decided_by", "decided_at"])
    Initiative.objects.filter(pk=update.initiative_id).update(updated_at=now)
    catalogue_changed()
    member_event_announce(
        kind=MemberEvent.NOTE_PUBLISHED,
        initiative=update.initiative,
        actor=actor,
        key=f"note_published:{update.pk}",
        update=update,
    )
    return update


@transaction.atomic
def update_reject(*, actor, update: Update, reason: str) -> Update:
    """Turn down a held progress note with a reason; it is kept, unpublished, for its record's members."""
    update = _held_note(actor=actor, update=update)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give a reason, so the author knows what to change.")]})
    update.state = UpdateState.REJECTED
    update.decided_by = actor
    update.decided_at = timezone.now()
    update.reason = reason.strip()
    update.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    return update
