"""What a notification says and where it leads, in the active language (the caller wraps it in
`translation.override` for the recipient)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .choices import NotificationKind as Kind


def _actor(notification) -> str:
    actor = notification.actor
    return actor.get_username() if actor is not None else _("Someone")


def notification_text(notification) -> str:
    """One sentence naming the record, who did it and, where there is one, the reason."""
    details = notification.details or {}
    title = notification.initiative.title if notification.initiative is not None else _("a record")
    values = {
        "title": title,
        "actor": _actor(notification),
        "reason": details.get("reason", ""),
        "excerpt": details.get("excerpt", ""),
        "note": details.get("title", ""),
    }
    kind = notification.kind
    if kind == Kind.SUBMISSION_APPROVED:
        text = _("“%(title)s” was approved and is published.")
    elif kind == Kind.SUBMISSION_REJECTED:
        text = _("“%(title)s” was rejected: %(reason)s")
    elif kind == Kind.REVISION_APPROVED:
        text = _("Your change to “%(title)s” was approved and is published.")
    elif kind == Kind.REVISION_REJECTED:
        text = _("Your change to “%(title)s” was rejected: %(reason)s")
    elif kind == Kind.COMMENT:
        text = _("%(actor)s commented on “%(title)s”: %(excerpt)s")
    elif kind == Kind.REPLY:
        text = _("%(actor)s replied to your comment on “%(title)s”: %(excerpt)s")
    elif kind == Kind.MENTION:
        text = _("%(actor)s mentioned you on “%(title)s”: %(excerpt)s")
    elif kind == Kind.INVITATION:
        text = _("%(actor)s invited you to collaborate on “%(title)s”.")
    elif kind == Kind.FOLLOWED_UPDATE:
        if "update" in details:
            text = _("“%(title)s” has a new progress note: %(note)s")
        else:
            text = _("A new version of “%(title)s” is published.")
    elif "revision" in details:
        text = _("%(actor)s proposed a change to “%(title)s”; it waits for review.")
    elif "update" in details:
        text = _("%(actor)s added a progress note to “%(title)s”; it waits for review: %(note)s")
    else:
        text = _("%(actor)s submitted “%(title)s” for review.")
    return text % values


def notification_path(notification) -> str:
    """The page the notification is about: the comment, the workspace for an invitation, or the record."""
    details = notification.details or {}
    if notification.kind == Kind.INVITATION:
        return reverse("initiatives:workspace")
    if notification.initiative is None:
        return reverse("notifications:list")
    path = notification.initiative.get_absolute_url()
    if "comment" in details:
        return f"{path}#comment-{details['comment']}"
    if "update" in details and notification.kind == Kind.FOLLOWED_UPDATE:
        return f"{path}#updates"
    return path
