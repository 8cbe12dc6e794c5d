"""Slugs for the frame and the records: made once, ASCII, unique; Chinese is romanised with pinyin.

Every new initiative's slug is the title's slug plus a random suffix, whether or not the title's slug
alone is free. Slugs share one namespace with records the creator may not see, so a slug
that stayed bare when free (or counted up, `-2`) would tell its creator that someone's
hidden draft has the same title; a suffix drawn at random says nothing about other records.
"""

import itertools
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


def slug_unique(base: str, taken, *, counted: bool = False, max_length: int = MAX_LENGTH) -> str:
    """A free slug made from `base` (a slug already, e.g. slug_base's); `taken(slug)` tells
    whether a slug is in use.

    By default the base and a random suffix, drawn again after a clash (one in two billion
    per record held). `counted` is for namespaces where every entry is public (organisations,
    tags), so a readable slug tells nobody anything: the base alone while it is free, then
    `-2`, `-3`…
    """
    if counted:
        slug = base[:max_length]
        for number in itertools.count(2):
            if not taken(slug):
                return slug
            suffix = f"-{number}"
            slug = base[: max_length - len(suffix)].strip("-") + suffix
    base = base[: max_length - SUFFIX_LENGTH - 1].strip("-")
    for _attempt in range(10):
        candidate = f"{base}-{slug_suffix()}"
        if not taken(candidate):
            return candidate
    raise RuntimeError(f"No free slug for {base!r} in ten random draws.")
