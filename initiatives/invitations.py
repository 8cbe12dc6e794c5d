"""The signed invitation to work on a record: its link made, mailed and read back, and the
inviter told of the answer.

The link names who invites whom to which record and expires; whether an account uses an
address never shows to the inviter (services.collaboration.collaborator_invite), and the
mail goes out from a task (tasks.collaborator_invitation_send) after the request commits.
"""

import datetime
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import rules
from .models import CollaborationInvitation, Initiative

INVITATION_SALT = "concord.initiatives.invitation"
INVITATION_MAX_AGE = 14 * 86400


def collaborator_invitation_token(*, initiative: Initiative, invitee, inviter) -> str:
    """The signed, expiring link text of one invitation: who invites whom to which record,
    and when (an invitation withdrawn since no longer opens)."""
    payload = {"i": initiative.pk, "u": invitee.pk, "by": inviter.pk, "at": time.time()}
    return signing.dumps(payload, salt=INVITATION_SALT, compress=True)


def collaborator_invitation_send(*, initiative_id: int, inviter_id: int, email: str) -> bool:
    """E-mail an invitation to the one active account that uses this address, if there is one
    and it does not already work on the record; False when nothing was sent."""
    users = get_user_model().objects.filter(is_active=True)
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    inviter = users.filter(pk=inviter_id).first()
    if initiative is None or inviter is None or rules.edit_mode(inviter, initiative) is None:
        return False
    matches = list(users.filter(email__iexact=email)[:2])
    if len(matches) != 1 or rules.is_member(matches[0], initiative):
        return False
    _invitation_mail(initiative=initiative, inviter=inviter, invitee=matches[0])
    return True


def collaborator_invitation_notify(*, invitation_id: int) -> bool:
    """E-mail the invitee of an invitation that is still open, with the same signed link;
    False when it is no longer open or the invitee has no address."""
    invitation = (
        CollaborationInvitation.objects.select_related("initiative", "invitee", "invited_by")
        .filter(pk=invitation_id, state=CollaborationInvitation.State.OPEN, invitee__is_active=True)
        .first()
    )
    if invitation is None or not invitation.invitee.email:
        return False
    _invitation_mail(
        initiative=invitation.initiative, inviter=invitation.invited_by, invitee=invitation.invitee
    )
    return True


def invitation_decision_send(*, invitation_id: int) -> bool:
    """Tell whoever sent an invitation that it was accepted or declined, in their language."""
    invitation = (
        CollaborationInvitation.objects.select_related("initiative", "invitee", "invited_by")
        .filter(
            pk=invitation_id,
            state__in=[CollaborationInvitation.State.ACCEPTED, CollaborationInvitation.State.DECLINED],
        )
        .first()
    )
    inviter = invitation.invited_by if invitation else None
    if inviter is None or not inviter.is_active or not inviter.email:
        return False
    context = {
        "invitation": invitation,
        "inviter": inviter,
        "invitee": invitation.invitee,
        "initiative": invitation.initiative,
        "accepted": invitation.state == CollaborationInvitation.State.ACCEPTED,
        "link": settings.SITE_URL.rstrip("/") + invitation.initiative.get_absolute_url(),
    }
    with translation.override(inviter.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string("emails/invitation_decided_subject.txt", context)
        body = render_to_string("emails/invitation_decided.txt", context)
    send_mail(
        subject=" ".join(subject.split()), message=body, from_email=None, recipient_list=[inviter.email]
    )
    return True


def _invitation_mail(*, initiative: Initiative, inviter, invitee) -> None:
    token = collaborator_invitation_token(initiative=initiative, invitee=invitee, inviter=inviter)
    path = reverse("initiatives:invitation", kwargs={"token": token})
    context = {
        "invitee": invitee,
        "inviter": inviter,
        "initiative": initiative,
        "link": settings.SITE_URL.rstrip("/") + path,
        "days": INVITATION_MAX_AGE // 86400,
    }
    with translation.override(invitee.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string("emails/collaborator_invitation_subject.txt", context)
        body = render_to_string("emails/collaborator_invitation.txt", context)
    send_mail(
        subject=" ".join(subject.split()), message=body, from_email=None, recipient_list=[invitee.email]
    )


def collaborator_invitation_read(*, actor, token: str) -> tuple[Initiative, object]:
    """The record and the inviter of an invitation made out to the actor; refuses a forged,
    expired or lapsed one (its sender may no longer edit the record)."""
    invalid = _("This invitation link is invalid or has expired.")
    try:
        payload = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(invalid) from None
    if not rules._active(actor) or payload.get("u") != actor.pk:
        raise PermissionDenied(_("This invitation was sent to another account."))
    initiative = Initiative.objects.filter(pk=payload.get("i")).first()
    inviter = get_user_model().objects.filter(pk=payload.get("by"), is_active=True).first()
    if initiative is None or inviter is None:
        raise ValidationError(invalid)
    if rules.edit_mode(inviter, initiative) is None:
        raise ValidationError(_("This invitation has lapsed: whoever sent it may no longer edit the record."))
    if _withdrawn_since(initiative=initiative, invitee=actor, issued=payload.get("at", 0)):
        raise ValidationError(_("This invitation is no longer open: it was withdrawn."))
    return initiative, inviter


def _withdrawn_since(*, initiative: Initiative, invitee, issued: float) -> bool:
    """Whether an invitation of this person to this record was withdrawn after the link was
    made, and none is open now. A link made before the links said when counts as the oldest."""
    invitations = CollaborationInvitation.objects.filter(initiative=initiative, invitee=invitee)
    if invitations.filter(state=CollaborationInvitation.State.OPEN).exists():
        return False
    issued = issued if isinstance(issued, int | float) and not isinstance(issued, bool) else 0
    since = datetime.datetime.fromtimestamp(issued, tz=datetime.UTC)
    return invitations.filter(state=CollaborationInvitation.State.WITHDRAWN, decided_at__gt=since).exists()
