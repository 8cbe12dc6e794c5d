"""Discussion on a record: comments and one level of replies, edited by their authors for a
short while (each earlier wording kept), deleted by them, reported by readers, and hidden or
kept visible by moderators.

A comment reported by COMMENT_REPORTS_TO_HIDE different people is hidden at once, marked as
hidden by reports, until a moderator keeps it visible (the reports are resolved and it shows
again) or hides it (the reports are resolved and it stays hidden with the moderator's reason).

A comment carries the language it is written in: the one its author gives, or the one its
body shows (search.text_language).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import rules
from ..announcements import member_event_announce, public_event_announce
from ..choices import MemberEvent, ModerationState, PublicEvent
from ..markup import render_comment
from ..mentions import mentioned_users
from ..models import Comment, CommentEdit, CommentReport, Initiative
from ..search import text_language
from .records import deny

REPORT_REASON_MAX_LENGTH = 1000
Resolution = CommentReport.Resolution


def _comment_locked(comment: Comment) -> Comment:
    return Comment.objects.select_for_update(of=("self",)).select_related("initiative").get(pk=comment.pk)


def _comment_seen(actor, comment: Comment) -> None:
    """Refuse a comment on a record the actor may not see, or one they may not read."""
    if not actor.has_perm("initiatives.view_initiative", comment.initiative) or not rules.can_read_comment(
        actor, comment
    ):
        deny(_("There is no such comment, or not one you may see."))


def _body_clean(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write something first.")]})
    return body


@transaction.atomic
def comment_create(
    *,
    actor,
    initiative: Initiative,
    body: str,
    parent: Comment | None = None,
    language: str | None = None,
) -> Comment:
    """A signed-in user comments on a published initiative, or replies to one of its
    top-level comments; the people around the record and those it mentions may be told.
    Without a `language` the comment is taken to be in the one its body shows."""
    if not rules._active(actor):
        deny(_("Sign in to comment."))
    if not actor.has_perm("initiatives.view_initiative", initiative):
        deny(_("There is no such initiative, or not one you may see."))
    if initiative.moderation_state != ModerationState.PUBLISHED:
        deny(_("Only published initiatives take comments."))
    body = _body_clean(body)
    if parent is not None:
        # As it is now: it may have been deleted or hidden since the reply form was shown.
        parent = Comment.objects.filter(pk=parent.pk).first()
        if (
            parent is None
            or parent.initiative_id != initiative.pk
            or parent.parent_id is not None
            or not rules.can_read_comment(actor, parent)
        ):
            raise ValidationError({"parent": [_("Reply to a top-level comment of this initiative.")]})
    comment = Comment(
        initiative=initiative,
        author=actor,
        body=body,
        parent=parent,
        language=language or text_language(body),
    )
    comment.full_clean(exclude=["initiative", "author", "parent"])
    comment.body_html = render_comment(body)
    comment.save()
    public_event_announce(event=PublicEvent.COMMENT_ADDED, initiative=initiative)
    member_event_announce(
        kind=MemberEvent.COMMENT_POSTED,
        initiative=initiative,
        actor=actor,
        key=f"comment:{comment.pk}",
        comment=comment,
        mentioned=mentioned_users(body),
    )
    return comment


@transaction.atomic
def comment_edit(*, actor, comment: Comment, body: str, language: str | None = None) -> Comment:
    """The author changes their comment within COMMENT_EDIT_MINUTES of posting it; the wording
    it had is kept as a CommentEdit. The same wording again changes nothing (but a language
    given for it). Without a `language` the new wording is taken to be in the one it shows."""
    comment = _comment_locked(comment)
    _comment_seen(actor, comment)
    if not actor.has_perm("initiatives.delete_own_comment", comment):
        deny(_("Only its author changes a comment."))
    if not actor.has_perm("initiatives.edit_own_comment", comment):
        deny(
            ngettext(
                "A comment can be changed only in the first %(minutes)d minute after it is posted.",
                "A comment can be changed only in the first %(minutes)d minutes after it is posted.",
                settings.COMMENT_EDIT_MINUTES,
            )
            % {"minutes": settings.COMMENT_EDIT_MINUTES}
        )
    body = _body_clean(body)
    if body == comment.body:
        if language and language != comment.language:
            comment.language = language
            comment.full_clean(exclude=["initiative", "author", "parent"])
            comment.save(update_fields=["language"])
        return comment
    now, earlier = timezone.now(), comment.body
    comment.body = body
    comment.language = language or text_language(body)
    comment.full_clean(exclude=["initiative", "author", "parent"])
    CommentEdit.objects.create(comment=comment, body=earlier, edited_by=actor, edited_at=now)
    comment.body_html = render_comment(body)
    comment.edited_at = now
    comment.save(update_fields=["body", "body_html", "edited_at", "language"])
    return comment


@transaction.atomic
def comment_delete(*, actor, comment: Comment) -> Comment:
    """The author deletes their comment: it goes, or stays as a placeholder for its replies."""
    comment = _comment_locked(comment)
    if comment.deleted_at is not None and comment.author_id == getattr(actor, "pk", None):
        return comment
    _comment_seen(actor, comment)
    if not actor.has_perm("initiatives.delete_own_comment", comment):
        deny(_("Only its author deletes a comment; moderators hide one."))
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    return comment


@transaction.atomic
def comment_report(*, actor, comment: Comment, reason: str) -> CommentReport:
    """A signed-in reader reports a comment they did not write, with a reason; reporting it
    again changes nothing. Enough different reporters hide it until a moderator decides."""
    if not rules._active(actor):
        deny(_("Sign in to report a comment."))
    comment = _comment_locked(comment)
    _comment_seen(actor, comment)
    if not actor.has_perm("initiatives.report_comment", comment):
        deny(_("You cannot report your own comment."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say what is wrong with this comment.")]})
    if len(reason) > REPORT_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    _("Keep the reason under %(n)d characters.") % {"n": REPORT_REASON_MAX_LENGTH},
                ]
            }
        )
    report, created = CommentReport.objects.get_or_create(
        comment=comment, reporter=actor, defaults={"reason": reason}
    )
    if created and comment.hidden_at is None:
        reporters = CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).count()
        if reporters >= settings.COMMENT_REPORTS_TO_HIDE:
            comment.hidden_at = timezone.now()
            comment.hidden_by = None
            comment.hidden_by_reports = True
            comment.hidden_reason = _("Reported by %(n)d people; hidden until a moderator decides.") % {
                "n": reporters
            }
            comment.save(update_fields=["hidden_at", "hidden_by", "hidden_by_reports", "hidden_reason"])
    return report


def _reports_resolve(*, actor, comment: Comment, resolution: str) -> int:
    return CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=resolution
    )


@transaction.atomic
def comment_reports_dismiss(*, actor, comment: Comment) -> int:
    """A moderator keeps a reported comment visible: its open reports are resolved, and if the
    reports had hidden it, it shows again. Returns how many reports were resolved."""
    if not actor.has_perm("initiatives.hide_comment"):
        deny(_("Only moderators decide on reported comments."))
    comment = _comment_locked(comment)
    resolved = _reports_resolve(actor=actor, comment=comment, resolution=Resolution.KEPT)
    if comment.hidden_by_reports:
        comment.hidden_at = None
        comment.hidden_by = None
        comment.hidden_reason = ""
        comment.hidden_by_reports = False
        comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "hidden_by_reports"])
    return resolved


@transaction.atomic
def comment_hide(*, actor, comment: Comment, reason: str) -> Comment:
    """A moderator hides a comment with a reason; its author still sees it, marked hidden.
    Its open reports are resolved by this decision."""
    if not actor.has_perm("initiatives.hide_comment"):
        deny(_("Only moderators hide comments."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give a reason, so the author knows why.")]})
    comment = _comment_locked(comment)
    comment.hidden_at = timezone.now()
    comment.hidden_by = actor
    comment.hidden_reason = reason.strip()
    comment.hidden_by_reports = False
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "hidden_by_reports"])
    _reports_resolve(actor=actor, comment=comment, resolution=Resolution.HIDDEN)
    return comment
