"""The e-mails: subject and bodies from templates/emails/, in the recipient's language.

The Message-ID is derived from the delivery row, so a message sent again after a worker
died between the mail server's acceptance and the ledger update carries the same id
and the duplicate is recognisable by any mail client or audit.
"""

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from .choices import SubscriptionKind
from .tokens import unsubscribe_token


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def message_id_parts(*, kind: str, period_key: str) -> tuple[str, str]:
    """What comes before and after the delivery's id in its Message-ID."""
    domain = urlsplit(settings.SITE_URL).hostname or "concord.invalid"
    period = period_key.replace(":", ".")
    return f"<{kind}.", f".{period}@{domain}>"


def message_id_for(delivery) -> str:
    prefix, suffix = message_id_parts(kind=delivery.kind, period_key=delivery.period_key)
    return f"{prefix}{delivery.pk}{suffix}"


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


# Per-person values are rendered into a shared digest as these markers and put in at send time.
# Private-use characters: no template filter, escaping or translation touches them.
_NAME, _UNSUBSCRIBE, _PERSONAL = "\ue000name\ue001", "\ue000unsubscribe\ue001", "\ue000personal\ue001"
# The header markers are plain ASCII so that the MIME generator writes them unchanged.
_TO = "slot.to@concord.invalid"
_MESSAGE_ID = "<slot.message-id@concord.invalid>"
_UNSUBSCRIBE_HEADER = "https://slot.unsubscribe.invalid/"
_PART = {"text": 0, "html": 1}


def _fill(parts: list, values: dict):
    """Join a template split at its markers, putting each marker's value in its place."""
    return parts[0][:0].join(values[p] if i % 2 else p for i, p in enumerate(parts))


def _split(content, markers):
    pattern = b"|".join(re.escape(m) for m in markers) if isinstance(content, bytes) else None
    if pattern is None:
        return re.split("(" + "|".join(re.escape(m) for m in markers) + ")", content)
    return re.split(b"(" + pattern + b")", content)


class _Prerendered:
    """The MIME form of one recipient's digest, written from the shared one by substitution."""

    def __init__(self, message):
        self.message = message

    def as_bytes(self, unixfrom=False, linesep="\n", policy=None):
        parts = self.message.edition.skeleton(linesep)
        if parts is None:
            return self.message.encoded().as_bytes(linesep=linesep)
        return _fill(parts, self.message.values)

    def as_string(self, unixfrom=False, linesep="\n", policy=None):
        return self.as_bytes(linesep=linesep).decode("utf-8")

    def get_charset(self):
        return None


class DigestMessage(EmailMultiAlternatives):
    """One recipient's copy of a shared digest; its MIME form is the edition's with their parts in."""

    def __init__(self, *, edition, values, **kwargs):
        super().__init__(**kwargs)
        self.edition, self.values = edition, values

    def encoded(self):
        """This copy encoded on its own, as any other message is."""
        return super().message()

    def message(self):
        return _Prerendered(self) if self.values else self.encoded()


class DigestEdition:
    """One distinct digest (same items, language and kind), rendered once for all who get it.

    What differs per person (greeting, unsubscribe link, address, Message-ID, and a
    per-person section after the shared items, empty today) is filled in by `message_for`.
    """

    def __init__(self, *, language: str, subscription, sections):
        self.language = language
        self.item_count = sum(len(section.items) for section in sections)
        stand_in = SimpleNamespace(get_full_name=_NAME, username=_NAME)
        with translation.override(language):
            context = {
                "recipient": stand_in,
                "site_url": settings.SITE_URL.rstrip("/"),
                "settings_url": site_url(reverse("digests:settings")),
                "language": language,
                "subscription": subscription,
                "is_search": subscription.kind == SubscriptionKind.SEARCH,
                "sections": sections,
                "item_count": self.item_count,
                "unsubscribe_url": _UNSUBSCRIBE,
                "personal": _PERSONAL,
            }
            self.subject, text, html = _render("digest", context)
        markers = (_NAME, _UNSUBSCRIBE, _PERSONAL)
        self.text, self.html = _split(text, markers), _split(html, markers)
        self._skeletons: dict[str, list | None] = {}

    def skeleton(self, linesep: str) -> list | None:
        """The MIME bytes shared by every copy, split at the markers; None when the encoder
        has changed a marker (a body line over 998 bytes is quoted-printable), so each copy
        is then encoded on its own."""
        if linesep not in self._skeletons:
            text = _fill(self.text, {_NAME: "\ue010", _UNSUBSCRIBE: "\ue011", _PERSONAL: "\ue012"})
            html = _fill(self.html, {_NAME: "\ue013", _UNSUBSCRIBE: "\ue014", _PERSONAL: "\ue015"})
            shared = EmailMultiAlternatives(
                subject=self.subject,
                body=text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[_TO],
                headers=self._headers(message_id=_MESSAGE_ID, unsubscribe=_UNSUBSCRIBE_HEADER),
            )
            shared.attach_alternative(html, "text/html")
            content = shared.message().as_bytes(linesep=linesep)
            markers = [m.encode() for m in ("\ue010", "\ue011", "\ue012", "\ue013", "\ue014", "\ue015")]
            markers += [_TO.encode(), _MESSAGE_ID.encode(), _UNSUBSCRIBE_HEADER.encode()]
            parts = _split(content, markers)
            found = set(parts[1::2])
            self._skeletons[linesep] = parts if found == set(markers) else None
        return self._skeletons[linesep]

    def _headers(self, *, message_id: str, unsubscribe: str) -> dict:
        return {
            "Message-ID": message_id,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"Concord digest <digest.{urlsplit(settings.SITE_URL).hostname or 'concord.invalid'}>",
            "Auto-Submitted": "auto-generated",
        }

    def message_for(
        self, *, delivery, connection=None, personal_text: str = "", personal_html: str = ""
    ) -> DigestMessage:
        """This recipient's copy: the shared digest with their own parts put in."""
        recipient = delivery.recipient
        name = recipient.get_full_name() or recipient.username
        unsubscribe = unsubscribe_url(delivery.subscription)
        address = delivery.email or recipient.email
        message_id = message_id_for(delivery)
        text = _fill(self.text, {_NAME: name, _UNSUBSCRIBE: unsubscribe, _PERSONAL: personal_text})
        html_values = {_NAME: escape(name), _UNSUBSCRIBE: escape(unsubscribe), _PERSONAL: personal_html}
        html = _fill(self.html, html_values)
        values = {}
        if unsubscribe.isascii():
            values = {
                b"\xee\x80\x90": name.encode(),
                b"\xee\x80\x91": unsubscribe.encode(),
                b"\xee\x80\x92": personal_text.encode(),
                b"\xee\x80\x93": str(html_values[_NAME]).encode(),
                b"\xee\x80\x94": str(html_values[_UNSUBSCRIBE]).encode(),
                b"\xee\x80\x95": personal_html.encode(),
                _TO.encode(): sanitize_address(address, settings.DEFAULT_CHARSET).encode(),
                _MESSAGE_ID.encode(): message_id.encode(),
                _UNSUBSCRIBE_HEADER.encode(): unsubscribe.encode(),
            }
        message = DigestMessage(
            edition=self,
            values=values,
            subject=self.subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            connection=connection,
            headers=self._headers(message_id=message_id, unsubscribe=unsubscribe),
        )
        message.attach_alternative(html, "text/html")
        return message


def digest_message(*, delivery, sections, connection=None) -> EmailMultiAlternatives:
    """A subscriber's digest with RFC 8058 one-click unsubscribe headers."""
    language = delivery.recipient.preferred_language or settings.LANGUAGE_CODE
    edition = DigestEdition(language=language, subscription=delivery.subscription, sections=sections)
    return edition.message_for(delivery=delivery, connection=connection)


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
