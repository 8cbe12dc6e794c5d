"""`@username` in comments: who a text names, found the same way by the renderer and the
notifications."""

import re

from django.contrib.auth import get_user_model
from django.db.models import Q

# A mention starts a word and runs over the characters Django allows in a username.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]*[\w+-])", re.UNICODE)
MENTIONS_PER_TEXT = 20


def mentioned_usernames(text: str) -> list[str]:
    """The distinct usernames a text mentions, in order, at most MENTIONS_PER_TEXT."""
    seen: dict[str, str] = {}
    for match in MENTION.finditer(text or ""):
        name = match.group(1)
        seen.setdefault(name.casefold(), name)
        if len(seen) == MENTIONS_PER_TEXT:
            break
    return list(seen.values())


def mentioned_users(text: str):
    """The active accounts a text mentions (usernames compare without case)."""
    names = {name.casefold() for name in mentioned_usernames(text)}
    if not names:
        return []
    named = Q()
    for name in sorted(names):
        named |= Q(username__iexact=name)
    return list(get_user_model().objects.filter(named, is_active=True).order_by("username"))


# Tags inside which a mention is left as written: code shows text as is, a link is a link.
_KEEP_AS_WRITTEN = {"a", "code", "pre"}
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"</?([a-zA-Z0-9]+)")


def mentions_marked(html: str, usernames) -> str:
    """Safe HTML with each mention of one of `usernames` wrapped in `<span class="mention">`.

    `html` is the cleaned output of the renderer: its text is escaped, and a username holds
    none of the characters HTML escapes, so wrapping a match keeps the page safe."""
    known = {name.casefold() for name in usernames}
    if not known:
        return html
    parts, inside = [], 0
    for part in _TAG.split(html):
        if part.startswith("<"):
            name = _TAG_NAME.match(part)
            if name and name.group(1).lower() in _KEEP_AS_WRITTEN:
                inside += -1 if part.startswith("</") else 1
            parts.append(part)
        elif inside > 0:
            parts.append(part)
        else:
            parts.append(
                MENTION.sub(
                    lambda m: (
                        f'<span class="mention">@{m.group(1)}</span>'
                        if m.group(1).casefold() in known
                        else m.group(0)
                    ),
                    part,
                )
            )
    return "".join(parts)
