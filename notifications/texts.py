"""What a notification says and where it leads, in the active language (the caller wraps it in
`translation.override` for the recipient).

A sentence may quote a comment or a progress note, which keeps its own language: as HTML the
quote is marked with it (`notification_html`), so an English sentence quoting Chinese says so.
"""

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from initiatives.texts import html_lang

from .choices import NotificationKind as Kind

# The values that quote the text of a comment (excerpt) or of a note (its title).
QUOTED = ("excerpt", "note")


def _actor(notification) -> str:
    actor = notification.actor
    return actor.get_username() if actor is not None else _("Someone")


def _sentence(notification) -> tuple[str, dict]:
    """The sentence to fill, in the active language, and the values it is filled with."""
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
    return text, values


def notification_text(notification) -> str:
    """One sentence naming the record, who did it and, where there is one, the reason."""
    text, values = _sentence(notification)
    return text % values


def notification_html(notification) -> SafeString:
    """The sentence as HTML, a quoted comment or note marked with its own language."""
    text, values = _sentence(notification)
    language = html_lang((notification.details or {}).get("language"))
    filled = {key: conditional_escape(value) for key, value in values.items()}
    for key in QUOTED:
        if language and values[key]:
            filled[key] = format_html('<span lang="{}">{}</span>', language, values[key])
    return mark_safe(conditional_escape(text) % filled)  # noqa: S308 -- every part escaped above


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
