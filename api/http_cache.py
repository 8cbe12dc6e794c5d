"""Cache-Control for shared caches: what nginx or a CDN in front may store and serve again.

Anonymous readers of the public pages and of the API all get the same answer for the same
address, language and media type, so a shared cache may answer repeat readers for a few
seconds (`HTTP_CACHE_MAX_AGE`) and keep serving a stale copy while it fetches a fresh one
(`HTTP_CACHE_STALE_SECONDS`). Every other answer is `private`: a signed-in caller's (by
session or token), an error, a redirect, the answer to a write, the admin, the workspace,
and any answer that sets a cookie (a CSRF token or a session handed to everyone would be
everyone's). Public answers vary on what picks their language (the language cookie,
Accept-Language) and on what would make the caller someone (Cookie, Authorization).

One middleware decides for the whole site by URL name and caller, so views stay free of
caching decorators; a view that sets Cache-Control itself (`never_cache`) is left alone.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers

# The pages every anonymous reader sees alike, by URL name.
PUBLIC_PAGES = frozenset(
    {
        "initiatives:home",
        "initiatives:list",
        "initiatives:calendar",
        "initiatives:calendar_feed",
        "initiatives:detail",
        "initiatives:key_task",
        "initiatives:countries",
        "initiatives:country",
        "initiatives:stakeholders",
        "initiatives:stakeholder",
        "initiatives:tags",
        "initiatives:tag",
        "initiatives:statistics",
        "initiatives:statistics_csv",
        "digests:archive",
        "digests:feed",
    }
)
API_PREFIX = "/api/"
# What makes one public answer differ from another besides its address.
PUBLIC_VARY = ("Cookie", "Authorization", "Accept-Language")


def _route(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else None


def _public_route(request) -> bool:
    """A public page, or a read of the API (answered from a kept answer before any URL is
    resolved). A cursor walk's first page says when the walk started: never shared."""
    if request.path_info.startswith(API_PREFIX):
        return not (request.GET.get("mode") == "cursor" and "cursor" not in request.GET)
    return _route(request) in PUBLIC_PAGES


def _anonymous(request) -> bool:
    """Nobody by session or by token (DRF puts the token's user on the request too)."""
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def is_public(request, response) -> bool:
    return (
        settings.HTTP_CACHE_MAX_AGE > 0
        and request.method in ("GET", "HEAD")
        and response.status_code in (200, 304)
        and not response.cookies
        and _anonymous(request)
        and _public_route(request)
    )


class CacheControlMiddleware:
    """Public Cache-Control on anonymous reads of public pages and of the API; private on the rest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if is_public(request, response):
            directives = {"public": True, "max_age": settings.HTTP_CACHE_MAX_AGE}
            if settings.HTTP_CACHE_STALE_SECONDS > 0:
                directives["stale_while_revalidate"] = settings.HTTP_CACHE_STALE_SECONDS
            patch_cache_control(response, **directives)
        else:
            # The browser keeps it but asks again (a 304 when the ETag still matches).
            patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, PUBLIC_VARY)
        return response
