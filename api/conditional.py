"""ETags on every GET, If-None-Match answered with 304 Not Modified, a stale If-Match with 412."""

import hashlib
import json

from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "The record changed since you read it (If-Match does not match its ETag); nothing was changed."
    )
    default_code = "precondition_failed"


def caller_fingerprint(user) -> str:
    """What about the caller changes a representation: who they are and their roles."""
    if user is None or not user.is_authenticated:
        return "anon"
    return f"{user.pk}:{int(user.is_superuser)}{int(user.is_curator)}{int(user.is_moderator)}"


def etag_of(*parts) -> str:
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]
    return quote_etag(digest)


def etag_matches(header: str | None, etag: str) -> bool:
    """Weak comparison, as RFC 9110 prescribes for If-None-Match."""
    if not header:
        return False
    tags = parse_etags(header)
    bare = etag.removeprefix("W/")
    return "*" in tags or any(tag.removeprefix("W/") == bare for tag in tags)


class ConditionalGetMixin:
    """Every 200 answer to a GET gets an ETag; a matching If-None-Match gets an empty 304.

    Views may set an ETag of their own (from versions); otherwise it is a digest of the
    data, the caller and the media type. A view's `keep_answer(request, response)`, if it
    has one, sees every 200 with its ETag before it may become a 304.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return response
        patch_vary_headers(response, ("Authorization", "Cookie", "Accept"))
        if response.status_code != 200 or getattr(response, "data", None) is None:
            return response
        etag = response.get("ETag")
        if not etag:
            media_type = getattr(request, "accepted_media_type", "")
            body = json.dumps(response.data, sort_keys=True, default=str)
            etag = etag_of(body, caller_fingerprint(request.user), media_type)
            response["ETag"] = etag
        keep = getattr(self, "keep_answer", None)
        if keep is not None:
            keep(request, response)
        if etag_matches(request.headers.get("If-None-Match"), etag):
            response.status_code = 304
            response.data = None
            if response.is_rendered:
                response.content = b""
        return response

    def not_modified(self, etag: str) -> Response | None:
        """An empty 304 when the caller already holds `etag`, before anything is serialised."""
        if not etag_matches(self.request.headers.get("If-None-Match"), etag):
            return None
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})


class IfMatchMixin:
    """A write sent with If-Match changes nothing unless the record still has that ETag.

    The view says what a record's ETag is: `etag(record)`.
    """

    def check_if_match(self, record) -> None:
        header = self.request.headers.get("If-Match")
        if header is not None and not etag_matches(header, self.etag(record)):
            raise PreconditionFailed()
