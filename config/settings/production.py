"""Production: every secret from the environment, HTTPS everywhere, nothing inline.

The site runs behind a reverse proxy (nginx, see docs/deployment.md) that terminates TLS and
sets X-Forwarded-Proto and X-Forwarded-For; `manage.py check --deploy --fail-level WARNING`
passes with these settings and is run in CI.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False

# No default: a missing or empty key stops the process instead of signing with a known one.
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY.strip():
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable.")
# Rotation: put the new key in SECRET_KEY and the old one here (comma-separated) until every
# session and signed link made with it has expired, then drop it (docs/security.md).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Only for other origins that post here; the site's own forms pass the same-origin check.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS: the proxy says which scheme the browser used; everything else is redirected.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Cookies: only over HTTPS, out of reach of page scripts, not sent on cross-site posts.
# The __Host- prefix makes the browser refuse them unless they are Secure, for this host
# only and for the whole path, so a sibling subdomain cannot plant or read them.
SESSION_COOKIE_NAME = "__Host-sessionid"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# The proxy in front replaces X-Forwarded-For with the address it saw (docs/deployment.md),
# so sign-in records name the client rather than the proxy.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

ADMINS = [("Concord operators", address) for address in env.list("ADMINS", default=[])]
