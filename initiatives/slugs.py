"""Slugs: made once from the title, ASCII, unique; Chinese titles are romanised with pinyin."""

import re
import secrets

from django.utils.text import slugify

MAX_LENGTH = 100
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def slug_base(title: str) -> str:
    """An ASCII slug for a title in any language; never empty."""
    text = title
    if _CJK.search(text):
        # Imported here: its dictionaries take about 60 MB, which a process that only
        # reads (most web workers, most of the time) never needs.
        from pypinyin import lazy_pinyin

        # Romanise Chinese characters; Latin words and digits pass through unchanged.
        text = " ".join(lazy_pinyin(text, errors=lambda chars: chars))
    base = slugify(text)[:MAX_LENGTH].strip("-")
    return base or "initiative"


def slug_unique(title: str, taken) -> str:
    """The first free slug for the title; `taken(slug)` tells whether a slug is in use."""
    base = slug_base(title)
    if not taken(base):
        return base
    for number in range(2, 50):
        candidate = f"{base[: MAX_LENGTH - 4]}-{number}"
        if not taken(candidate):
            return candidate
    return f"{base[: MAX_LENGTH - 9]}-{secrets.token_hex(4)}"
