"""The e-mails: subject and bodies from templates/emails/, in the recipient's language.

The Message-ID is derived from the delivery row, so a message sent again after a worker
died between the mail server's acceptance and the ledger update carries the same id
and the duplicate is recognisable by any mail client or audit.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation

from .choices import SubscriptionKind
from .tokens import unsubscribe_token


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def message_id_for(delivery) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "concord.invalid"
    period = delivery.period_key.replace(":", ".")
    return f"<{delivery.kind}.{delivery.pk}.{period}@{domain}>"


def unsubscribe_url(subscription) -> str:
    return site_url(reverse("digests:unsubscribe", kwargs={"token": unsubscribe_token(subscription)}))


def _subject(name: str, context: dict) -> str:
    """One line of plain text: a header is not HTML, so nothing in it is escaped.

    Line breaks and other control characters (a saved search's name may hold any) become
    spaces, so a subject can never end its header and start another.
    """
    template = get_template(f"emails/{name}_subject.txt").template
    subject = template.render(Context(context, autoescape=False))
    return " ".join("".join(c if c.isprintable() else " " for c in subject).split())


def _render(name: str, context: dict) -> tuple[str, str, str]:
    text = render_to_string(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    return _subject(name, context), text, html


def _message(*, delivery, name: str, context: dict, connection, headers: dict | None = None):
    language = delivery.recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "recipient": delivery.recipient,
            "site_url": settings.SITE_URL.rstrip("/"),
            "settings_url": site_url(reverse("digests:settings")),
            "language": language,
            **context,
        }
        subject, text, html = _render(name, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.email or delivery.recipient.email],
        connection=connection,
        headers={"Message-ID": message_id_for(delivery), **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    return message


def digest_message(*, delivery, sections, connection=None) -> EmailMultiAlternatives:
    """A subscriber's digest with RFC 8058 one-click unsubscribe headers."""
    subscription = delivery.subscription
    unsubscribe = unsubscribe_url(subscription)
    context = {
        "subscription": subscription,
        "is_search": subscription.kind == SubscriptionKind.SEARCH,
        "sections": sections,
        "item_count": sum(len(section.items) for section in sections),
        "unsubscribe_url": unsubscribe,
        "window_start": delivery.window_start,
        "window_end": delivery.window_end,
    }
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Concord digest <digest.{urlsplit(settings.SITE_URL).hostname or 'concord.invalid'}>",
        "Auto-Submitted": "auto-generated",
    }
    return _message(delivery=delivery, name="digest", context=context, connection=connection, headers=headers)


def reminder_message(*, delivery, initiatives, connection=None) -> EmailMultiAlternatives:
    """A moderator's reminder of submissions waiting too long."""
    context = {
        "initiatives": initiatives,
        "queue_url": site_url(reverse("admin:index")),
    }
    return _message(
        delivery=delivery,
        name="reminder",
        context=context,
        connection=connection,
        headers={"Auto-Submitted": "auto-generated"},
    )


def nudge_message(*, delivery, initiatives, connection=None) -> EmailMultiAlternatives:
    """An owner's nudge about active initiatives with no recent update."""
    return _message(
        delivery=delivery,
        name="nudge",
        context={"initiatives": initiatives},
        connection=connection,
        headers={"Auto-Submitted": "auto-generated"},
    )
