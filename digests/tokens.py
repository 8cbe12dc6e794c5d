"""Signed unsubscribe tokens: one per subscription, expiring, refused when tampered with.

The token is what a mail client POSTs to for RFC 8058 one-click unsubscribe, so it must
identify the subscription without a session and must not be guessable or reusable for
another subscription.
"""

import datetime

from django.conf import settings
from django.core import signing

SALT = "concord.digests.unsubscribe"


class TokenInvalid(Exception):
    """The token was altered, has expired, or names no subscription."""


def unsubscribe_token(subscription) -> str:
    return signing.dumps({"s": subscription.pk, "u": subscription.user_id}, salt=SALT, compress=True)


def unsubscribe_token_read(token: str) -> dict:
    max_age = datetime.timedelta(days=settings.DIGESTS_UNSUBSCRIBE_MAX_AGE_DAYS)
    try:
        value = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature as error:  # SignatureExpired is a BadSignature too
        raise TokenInvalid(str(error)) from error
    if not isinstance(value, dict) or not isinstance(value.get("s"), int):
        raise TokenInvalid("malformed token")
    return value
