"""People around a record: comments, follows, and collaborators added by username or
invited by e-mail address (the signed invitation itself is initiatives/invitations.py).
"""

from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules, tasks
from ..announcements import public_event_announce
from ..choices import EventAction, HistoryAction, ModerationState, PublicEvent, TopicKind
from ..history import revision_record
from ..invitations import collaborator_invitation_read
from ..models import Comment, Follow, Initiative, TopicFollow
from ..selectors.follows import topic as topic_named
from .records import deny, event_record, initiative_locked, version_bump

State = ModerationState


@transaction.atomic
def comment_create(*, actor, initiative: Initiative, body: str) -> Comment:
    """A signed-in user comments on a published initiative."""
    if not rules._active(actor):
        deny(_("Sign in to comment."))
    if initiative.moderation_state != State.PUBLISHED:
        deny(_("Only published initiatives take comments."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write something first.")]})
    comment = Comment(initiative=initiative, author=actor, body=body)
    comment.full_clean(exclude=["initiative", "author"])
    comment.save()
    public_event_announce(event=PublicEvent.COMMENT_ADDED, initiative=initiative)
    return comment


@transaction.atomic
def comment_hide(*, actor, comment: Comment, reason: str) -> Comment:
    """A moderator hides a comment with a reason; its author still sees it, marked hidden."""
    if not actor.has_perm("initiatives.hide_comment"):
        deny(_("Only moderators hide comments."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give a reason, so the author knows why.")]})
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.hidden_at = timezone.now()
    comment.hidden_by = actor
    comment.hidden_reason = reason.strip()
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return comment


@transaction.atomic
def follow_create(*, actor, initiative: Initiative) -> Follow:
    """Follow an initiative one may see; following twice changes nothing."""
    if not rules._active(actor) or not actor.has_perm("initiatives.view_initiative", initiative):
        deny(_("Sign in to follow initiatives you can see."))
    follow, _created = Follow.objects.get_or_create(user=actor, initiative=initiative)
    return follow


@transaction.atomic
def follow_delete(*, actor, initiative: Initiative) -> None:
    """Stop following; unfollowing what one does not follow changes nothing."""
    if not rules._active(actor):
        deny(_("Sign in to manage what you follow."))
    Follow.objects.filter(user=actor, initiative=initiative).delete()


@transaction.atomic
def topic_follow_create(*, actor, kind: str, value: str) -> TopicFollow:
    """Follow a key task, an action line, a country, a stakeholder or a tag; following twice
    changes nothing. A topic that does not exist, or a tag on no record one may see, is a
    ValidationError on `value`."""
    if not rules._active(actor):
        deny(_("Sign in to follow topics."))
    found = topic_named(actor, kind, value)
    if found is None:
        raise ValidationError({"value": _("There is no such topic to follow.")})
    follow, _created = TopicFollow.objects.get_or_create(user=actor, kind=found.kind, value=found.value)
    return follow


@transaction.atomic
def topic_follow_delete(*, actor, kind: str, value: str) -> None:
    """Stop following a topic; unfollowing what one does not follow changes nothing."""
    if not rules._active(actor):
        deny(_("Sign in to manage what you follow."))
    value = value.upper() if kind == TopicKind.COUNTRY else value
    TopicFollow.objects.filter(user=actor, kind=kind, value=value).delete()


@transaction.atomic
def collaborator_invite(*, actor, initiative: Initiative, identifier: str):
    """Add a collaborator by username, or invite one by e-mail address, to a record the
    actor may edit.

    Usernames are public on the site, so a username adds its account at once and the answer
    names it. An e-mail address is not: whether an account uses it must not show in the
    answer, so the request does the same work whatever the address, and after commit a task
    (collaborator_invitation_send) tells the account that uses it, if any, which joins by
    following the link it is sent. Returns the user added, or None for an address.

    Who may edit is not public content, so adding applies at once even on a published
    record (no pending revision), but it still makes a version and a history entry.
    """
    initiative = initiative_locked(initiative)
    if rules.edit_mode(actor, initiative) is None:
        deny(_("You may not invite collaborators to this initiative."))
    identifier = (identifier or "").strip()
    if "@" in identifier:
        try:
            validate_email(identifier)
        except ValidationError as error:
            raise ValidationError({"identifier": error.messages}) from None
        transaction.on_commit(
            partial(tasks.collaborator_invitation_send.delay, initiative.pk, actor.pk, identifier)
        )
        return None
    users = get_user_model().objects.filter(is_active=True)
    invitee = users.filter(username__iexact=identifier).first() if identifier else None
    if invitee is None:
        raise ValidationError({"identifier": [_("No active account has this username or e-mail address.")]})
    if rules.is_member(invitee, initiative):
        raise ValidationError(
            {"identifier": [_("%(user)s already works on this initiative.") % {"user": invitee}]}
        )
    message = _("Invited %(user)s as a collaborator") % {"user": invitee.get_username()}
    _collaborator_add(initiative=initiative, actor=actor, invitee=invitee, message=message)
    return invitee


def _collaborator_add(*, initiative: Initiative, actor, invitee, message: str) -> None:
    version_bump(initiative=initiative, expected_version=None)
    initiative.collaborators.add(invitee)
    revision_record(initiative=initiative, actor=actor, action=HistoryAction.EDIT, change_message=message)
    event_record(
        initiative=initiative,
        actor=actor,
        action=EventAction.EDIT,
        reason=message,
    )


@transaction.atomic
def collaborator_accept(*, actor, token: str) -> Initiative:
    """Join a record through an invitation sent to one's e-mail address; joining twice
    changes nothing."""
    initiative, inviter = collaborator_invitation_read(actor=actor, token=token)
    initiative = initiative_locked(initiative)
    if not rules.is_member(actor, initiative):
        message = _("Joined as a collaborator, invited by %(user)s") % {"user": inviter.get_username()}
        _collaborator_add(initiative=initiative, actor=actor, invitee=actor, message=message)
    return initiative
