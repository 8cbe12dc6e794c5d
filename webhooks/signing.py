"""The bytes of one attempt and their signature."""

import hashlib
import hmac
import json
from datetime import UTC

from django.utils import timezone


def delivery_body(*, event: str, representation: dict) -> bytes:
    """The raw body of one attempt: the event, when it left (UTC), the record."""
    delivered_at = timezone.now().astimezone(UTC).isoformat().replace("+00:00", "Z")
    document = {"event": event, "delivered_at": delivered_at, "initiative": representation}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def signature(*, secret: str, body: bytes) -> str:
    """The X-Concord-Signature header: HMAC-SHA256 of the raw body with the webhook's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
