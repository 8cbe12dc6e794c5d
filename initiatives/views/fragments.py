"""Parts of the public pages that are the same for every reader, rendered once.

A page's rows, its count and its pagination, and the options of the browse page's filters,
depend only on the catalogue, the address and the language, never on who reads them. The
templates keep them with `{% cache %}` under `shared_key`: the catalogue generation
(initiatives/catalogue.py), the language and the address, so a change to the records
retires them all at once. What is the reader's own (the header with their name, the
moderation-state filter, a member's drafts) stays outside these fragments.

The key also carries a token drawn again whenever this process forgets what it remembered
(`forget_remembered`): a database that starts again, as each test's does, hands out the
same generations again, and must not meet the fragments of the one before.
"""

import hashlib
import uuid

from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from ..catalogue import generation, remembered
from .paging import exact_up_to


def catalogue_key() -> str:
    """The key of a fragment built from the catalogue alone, in the reader's language."""
    token = remembered("fragment-token", lambda: uuid.uuid4().hex)
    return f"{token}:{generation()}:{get_language()}:{exact_up_to()}"


def shared_key(request, *parts) -> str:
    """The key of a fragment the same for every reader of this address in this language."""
    query = sorted((key, value) for key in request.GET for value in request.GET.getlist(key))
    address = hashlib.sha256(repr((request.path, query, parts)).encode()).hexdigest()
    # Read once per request: the fragments of one page belong to the same generation.
    if getattr(request, "_catalogue_key", None) is None:
        request._catalogue_key = catalogue_key()
    return f"{request._catalogue_key}:{address}"


def once(build):
    """What `build` returns, built the first time something asks for it (never, when the
    fragment that would ask is already kept), and only once."""
    return SimpleLazyObject(build)
