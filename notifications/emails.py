"""The notification e-mail and the digest's per-person part, in the recipient's language."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation

from .texts import notification_html, notification_path, notification_text


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _language(user) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def _subject(context: dict) -> str:
    """One line of plain text: nothing escaped, no control character that could end the header."""
    subject = get_template("emails/notification_subject.txt").template.render(
        Context(context, autoescape=False)
    )
    return " ".join("".join(c if c.isprintable() else " " for c in subject).split())


def notification_message(*, notification, connection=None) -> EmailMultiAlternatives:
    """One notification as an e-mail; its Message-ID is the notification's, so a copy sent
    again would be recognisable as the same message."""
    recipient = notification.recipient
    with translation.override(_language(recipient)):
        context = {
            "recipient": recipient,
            "kind": notification.get_kind_display(),
            "text": notification_text(notification),
            "text_html": notification_html(notification),
            "url": site_url(notification_path(notification)),
            "settings_url": site_url(reverse("notifications:settings")),
            "site_url": settings.SITE_URL.rstrip("/"),
        }
        subject = _subject(context)
        text = render_to_string("emails/notification.txt", context)
        html = render_to_string("emails/notification.html", context)
    domain = urlsplit(settings.SITE_URL).hostname or "concord.invalid"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        connection=connection,
        headers={
            "Message-ID": f"<notification.{notification.pk}@{domain}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def digest_part(*, notifications, language: str) -> tuple[str, str]:
    """The per-person section of a digest (text, HTML): what this person chose to get there."""
    if not notifications:
        return "", ""
    with translation.override(language):
        items = [
            {
                "text": notification_text(n),
                "html": notification_html(n),
                "url": site_url(notification_path(n)),
                "at": n.created_at,
            }
            for n in notifications
        ]
        context = {"items": items, "list_url": site_url(reverse("notifications:list"))}
        return (
            render_to_string("emails/digest_notifications.txt", context),
            render_to_string("emails/digest_notifications.html", context),
        )
