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
