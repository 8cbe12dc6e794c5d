"""People around a record: follows, and collaborators, who join only by accepting
an invitation made by username or e-mail address (the signed link and the mail are
initiatives/invitations.py), and whom the owner may remove.
"""

from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules, tasks
from ..announcements import member_event_announce
from ..choices import EventAction, HistoryAction, MemberEvent, ModerationState, TopicKind
from ..history import revision_record
from ..invitations import collaborator_invitation_read
from ..models import CollaborationInvitation, Initiative, TopicFollow
from ..selectors.follows import topic as topic_named
from .records import deny, event_record, initiative_locked, version_bump

State = ModerationState
Invitation = CollaborationInvitation.State


@transaction.atomic
def follow_create(*, actor, initiative: Initiative) -> TopicFollow:
    """Follow an initiative one may see; following twice changes nothing."""
    if not rules._active(actor) or not actor.has_perm("initiatives.view_initiative", initiative):
        deny(_("Sign in to follow initiatives you can see."))
    follow, _created = TopicFollow.objects.get_or_create(
        user=actor, kind=TopicKind.INITIATIVE, initiative=initiative, defaults={"value": initiative.slug}
    )
    return follow


@transaction.atomic
def follow_delete(*, actor, initiative: Initiative) -> None:
    """Stop following; unfollowing what one does not follow changes nothing."""
    if not rules._active(actor):
        deny(_("Sign in to manage what you follow."))
    TopicFollow.objects.filter(user=actor, kind=TopicKind.INITIATIVE, initiative=initiative).delete()


@transaction.atomic
def topic_follow_create(*, actor, kind: str, value: str) -> TopicFollow:
    """Follow an initiative (by slug), a key task, an action line, a country, a stakeholder or
    a tag; following twice changes nothing. A topic that does not exist, a tag on no record one
    may see, or an initiative one may not see is a ValidationError on `value` that says only
    that there is none."""
    if not rules._active(actor):
        deny(_("Sign in to follow topics."))
    if kind == TopicKind.INITIATIVE:
        initiative = Initiative.objects.visible_to(actor).filter(slug=value).first()
        if initiative is None:
            raise ValidationError({"value": _("There is no such initiative to follow.")})
        return follow_create(actor=actor, initiative=initiative)
    found = topic_named(actor, kind, value)
    if found is None:
        raise ValidationError({"value": _("There is no such topic to follow.")})
    follow, _created = TopicFollow.objects.get_or_create(user=actor, kind=found.kind, value=found.value)
    return follow


@transaction.atomic
def topic_follow_delete(*, actor, kind: str, value: str) -> None:
    """Stop following a topic or an initiative; unfollowing what one does not follow changes
    nothing."""
    if not rules._active(actor):
        deny(_("Sign in to manage what you follow."))
    value = value.upper() if kind == TopicKind.COUNTRY else value
    TopicFollow.objects.filter(user=actor, kind=kind, value=value).delete()


@transaction.atomic
def collaborator_invite(*, actor, initiative: Initiative, identifier: str):
    """Invite a collaborator by username or by e-mail address to a record the actor may edit;
    nobody joins until they accept.

    Usernames are public on the site, so a username makes an open invitation at once, which
    the invitee sees in their workspace and is e-mailed about. An e-mail address is not:
    whether an account uses it must not show in the answer, so the request does the same
    work whatever the address, and after commit a task (collaborator_invitation_send) sends
    the account that uses it, if any, a signed link; following it accepts. Returns the
    invitation, or None for an address. Inviting someone with an open invitation returns it.
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
    return _invitation_open(initiative=initiative, actor=actor, invitee=invitee)


def _invitation_open(*, initiative: Initiative, actor, invitee) -> CollaborationInvitation:
    invitation = CollaborationInvitation.objects.filter(
        initiative=initiative, invitee=invitee, state=Invitation.OPEN
    ).first()
    if invitation is not None:
        return invitation
    invitation = CollaborationInvitation.objects.create(
        initiative=initiative, invitee=invitee, invited_by=actor
    )
    event_record(
        initiative=initiative,
        actor=actor,
        action=EventAction.EDIT,
        reason=_("Invited %(user)s as a collaborator") % {"user": invitee.get_username()},
    )
    transaction.on_commit(partial(tasks.collaborator_invitation_notify.delay, invitation.pk))
    # Only an invitation by username reaches here: an address never says whether it has an account.
    member_event_announce(
        kind=MemberEvent.INVITED,
        initiative=initiative,
        actor=actor,
        key=f"invited:{invitation.pk}",
        invitation=invitation,
    )
    return invitation


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


def _invitation_mine(*, actor, invitation_id) -> CollaborationInvitation:
    """One's own open invitation, locked; anyone else's is as if it did not exist."""
    if not rules._active(actor):
        deny(_("Sign in to answer invitations."))
    invitation = (
        CollaborationInvitation.objects.select_for_update()
        .filter(pk=invitation_id, invitee=actor, state=Invitation.OPEN)
        .first()
    )
    if invitation is None:
        raise CollaborationInvitation.DoesNotExist(_("No open invitation of yours has this number."))
    return invitation


@transaction.atomic
def invitation_accept(*, actor, invitation_id: int) -> CollaborationInvitation:
    """The invitee accepts an open invitation and joins the record; the inviter is e-mailed.
    An invitation whose sender may no longer edit the record has lapsed and is refused."""
    invitation = _invitation_mine(actor=actor, invitation_id=invitation_id)
    initiative = initiative_locked(invitation.initiative)
    inviter = invitation.invited_by
    if not inviter.is_active or rules.edit_mode(inviter, initiative) is None:
        raise ValidationError(_("This invitation has lapsed: whoever sent it may no longer edit the record."))
    _invitation_decide(invitation, Invitation.ACCEPTED)
    if not rules.is_member(actor, initiative):
        message = _("Joined as a collaborator, invited by %(user)s") % {"user": inviter.get_username()}
        _collaborator_add(initiative=initiative, actor=actor, invitee=actor, message=message)
    return invitation


@transaction.atomic
def invitation_decline(*, actor, invitation_id: int) -> CollaborationInvitation:
    """The invitee declines an open invitation; the inviter is e-mailed."""
    invitation = _invitation_mine(actor=actor, invitation_id=invitation_id)
    _invitation_decide(invitation, Invitation.DECLINED)
    event_record(
        initiative=invitation.initiative,
        actor=actor,
        action=EventAction.EDIT,
        reason=_("Declined the invitation to collaborate from %(user)s")
        % {"user": invitation.invited_by.get_username()},
    )
    return invitation


@transaction.atomic
def invitation_withdraw(*, actor, invitation_id: int) -> CollaborationInvitation:
    """Whoever sent an open invitation, or whoever may take collaborators off the record,
    withdraws it: the invitee can no longer accept it, in the workspace, the API or through
    the e-mailed link. One not open, or on a record the actor may not see, does not exist."""
    invitation = (
        CollaborationInvitation.objects.select_for_update(of=("self",))
        .select_related("initiative", "invitee")
        .filter(pk=invitation_id, state=Invitation.OPEN)
        .first()
    )
    if invitation is None or not rules.can_view(actor, invitation.initiative):
        raise CollaborationInvitation.DoesNotExist(_("No open invitation has this number."))
    if not rules.can_withdraw_invitation(actor, invitation):
        deny(_("Only whoever sent an invitation, or the record's owner, withdraws it."))
    invitation.state = Invitation.WITHDRAWN
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["state", "decided_at"])
    event_record(
        initiative=invitation.initiative,
        actor=actor,
        action=EventAction.EDIT,
        reason=_("Withdrew the invitation to %(user)s") % {"user": invitation.invitee.get_username()},
    )
    return invitation


def _invitation_decide(invitation: CollaborationInvitation, state: str) -> None:
    invitation.state = state
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["state", "decided_at"])
    transaction.on_commit(partial(tasks.invitation_decision_send.delay, invitation.pk))


@transaction.atomic
def collaborator_accept(*, actor, token: str) -> Initiative:
    """Join a record through the signed link an invitation e-mail carries: it accepts the
    open invitation it stands for, opening one first when it came to an e-mail address.
    Joining twice changes nothing."""
    initiative, inviter = collaborator_invitation_read(actor=actor, token=token)
    initiative = initiative_locked(initiative)
    if rules.is_member(actor, initiative):
        return initiative
    invitation = CollaborationInvitation.objects.filter(
        initiative=initiative, invitee=actor, state=Invitation.OPEN
    ).first() or CollaborationInvitation.objects.create(
        initiative=initiative, invitee=actor, invited_by=inviter
    )
    invitation_accept(actor=actor, invitation_id=invitation.pk)
    return initiative


@transaction.atomic
def collaborator_remove(*, actor, initiative: Initiative, user) -> None:
    """The owner, a curator or an administrator takes a collaborator off a record; it makes a
    version and a history entry like adding one did. Their open invitations are withdrawn."""
    initiative = initiative_locked(initiative)
    if not actor.has_perm("initiatives.remove_collaborator", initiative):
        deny(_("Only the owner or a curator removes collaborators."))
    if not initiative.collaborators.filter(pk=user.pk).exists():
        raise ValidationError(
            {"username": [_("%(user)s does not collaborate on this initiative.") % {"user": user}]}
        )
    message = _("Removed %(user)s as a collaborator") % {"user": user.get_username()}
    version_bump(initiative=initiative, expected_version=None)
    initiative.collaborators.remove(user)
    CollaborationInvitation.objects.filter(initiative=initiative, invitee=user, state=Invitation.OPEN).update(
        state=Invitation.WITHDRAWN, decided_at=timezone.now()
    )
    revision_record(initiative=initiative, actor=actor, action=HistoryAction.EDIT, change_message=message)
    event_record(initiative=initiative, actor=actor, action=EventAction.EDIT, reason=message)
