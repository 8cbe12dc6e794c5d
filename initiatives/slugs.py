"""Slugs: made once from the title, ASCII, unique; Chinese titles are romanised with pinyin.

Every new slug is the title's slug plus a random suffix, whether or not the title's slug
alone is free. Slugs share one namespace with records the creator may not see, so a slug
that stayed bare when free (or counted up, `-2`) would tell its creator that someone's
hidden draft has the same title; a suffix drawn at random says nothing about other records.
"""

import re
import secrets
import string

from django.utils.text import slugify

MAX_LENGTH = 100
SUFFIX_LENGTH = 6
_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
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


def slug_suffix() -> str:
    return "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(SUFFIX_LENGTH))


def slug_unique(title: str, taken) -> str:
    """A free slug for the title: its base and a random suffix; `taken(slug)` tells whether
    a slug is in use. Another draw follows a clash (one in two billion per record held)."""
    base = slug_base(title)[: MAX_LENGTH - SUFFIX_LENGTH - 1].strip("-")
    for _attempt in range(10):
        candidate = f"{base}-{slug_suffix()}"
        if not taken(candidate):
            return candidate
    raise RuntimeError(f"No free slug for {base!r} in ten random draws.")
