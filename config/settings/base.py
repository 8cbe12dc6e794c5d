"""Settings shared by every environment; values come from the environment (django-environ)."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "taggit",
    "django_celery_beat",
    "axes",
    # Registers each app's rules.py: the permissions of initiatives/rules.py.
    "rules.apps.AutodiscoverRulesConfig",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "governance",
    "initiatives",
    "digests",
    "webhooks",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost after static files, so it sees every cookie and Vary the others add: public
    # (for nginx or a CDN) or private Cache-Control (api/http_cache.py).
    "api.http_cache.CacheControlMiddleware",
    # Which database a request reads: the replica, or the primary after the caller wrote.
    "governance.replica.ReplicaReadsMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After (governance/outage.py).
    "governance.outage.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "governance.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "api.middleware.SingleValuedParametersMiddleware",
    # Last, so that every header the middleware above adds is added to kept answers too.
    "api.answers.KeptAnswerMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'concord.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A streaming replica of the same database for the reads of web and API requests (config/
# db_routers.py). Unset: everything reads the primary. A caller who wrote reads the primary
# for DATABASE_REPLICA_PIN_SECONDS after (governance/replica.py); tasks and commands always do.
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=5)
DATABASE_ROUTERS = []
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    # Tests read the replica alias from the test database itself (tests/ops/test_replica.py
    # points it at a real replica).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.db_routers.PrimaryReplicaRouter"]
# While the database cannot be reached, requests get 503 and this many seconds in Retry-After.
DATABASE_UNAVAILABLE_RETRY_AFTER = env.int("DATABASE_UNAVAILABLE_RETRY_AFTER", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "governance.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so that a locked-out login is refused before any backend checks a password.
    "axes.backends.AxesStandaloneBackend",
    # Answers permissions only (initiatives/rules.py); authenticates nobody.
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Signing in lands on the workspace, where what waits for the person is; a `next` wins.
LOGIN_REDIRECT_URL = "initiatives:workspace"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

# E-mail: EMAIL_URL such as smtp://127.0.0.1:1025; by default a readable file outbox.
EMAIL_FILE_PATH = VAR_DIR / "outbox"
_email = env.email_url("EMAIL_URL", default="filemail://")
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend":
    _email["EMAIL_FILE_PATH"] = str(EMAIL_FILE_PATH)
vars().update(_email)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Concord <concord@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Public address used in e-mails and feeds, where no request is at hand.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# The most records the calendar's iCalendar feed and a month of its page hold: those that
# start last (docs/api.md, "Calendar feed").
CALENDAR_FEED_MAX_EVENTS = env.int("CALENDAR_FEED_MAX_EVENTS", default=2000)

# Open sign-up; set to False so that only administrators create accounts.
CONCORD_SIGNUP_OPEN = env.bool("CONCORD_SIGNUP_OPEN", default=True)

# How long someone counts as editing a record after their edit form last said it was open
# (the form says so every minute while it stays open); saving ends it at once.
EDIT_PRESENCE_SECONDS = env.int("EDIT_PRESENCE_SECONDS", default=300)

# The nightly open-data dump (the Open data page): where its files are written, and the
# licence they are published under (an SPDX identifier, e.g. CC-BY-4.0, CC0-1.0, ODbL-1.0).
OPENDATA_ROOT = Path(env("OPENDATA_ROOT", default=str(VAR_DIR / "opendata")))
OPENDATA_LICENCE = env("OPENDATA_LICENCE", default="CC-BY-4.0")
# How long after posting a comment its author may still change its wording.
COMMENT_EDIT_MINUTES = env.int("COMMENT_EDIT_MINUTES", default=15)

# How many different people reporting a comment hide it until a moderator decides.
COMMENT_REPORTS_TO_HIDE = env.int("COMMENT_REPORTS_TO_HIDE", default=3)

# Imports (docs/api.md, "Import"): the largest file taken, and the most rows imported while
# the caller waits; a larger file is imported by a Celery task whose progress can be watched.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_SYNC_MAX_ROWS = env.int("IMPORT_SYNC_MAX_ROWS", default=500)

# Celery: an embedded, file-based broker when nothing is configured (see README).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {}
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Digests (see docs/digests.md): subscribers per batch task, how long a worker may hold a
# claimed delivery before another may take it over, and how far behind "now" a digest's
# window closes so that transactions still committing are not missed.
DIGESTS_BATCH_SIZE = env.int("DIGESTS_BATCH_SIZE", default=100)
DIGESTS_LEASE_SECONDS = env.int("DIGESTS_LEASE_SECONDS", default=900)
DIGESTS_SETTLE_SECONDS = env.int("DIGESTS_SETTLE_SECONDS", default=60)
DIGESTS_UNSUBSCRIBE_MAX_AGE_DAYS = env.int("DIGESTS_UNSUBSCRIBE_MAX_AGE_DAYS", default=120)

# The map page's country shapes: Natural Earth at 1:110m from the npm package world-atlas,
# installed by `make shapes`; without them the page shows its tables alone.
WORLD_SHAPES_PATH = env.path(
    "WORLD_SHAPES_PATH", default=str(VAR_DIR / "npm/node_modules/world-atlas/countries-110m.json")
)

# Webhooks (docs/api.md): how long a receiver may take to answer, how many attempts a
# delivery gets, and the first wait before a retry (doubled each time, up to the maximum).
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=10)
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=6)
WEBHOOKS_RETRY_BACKOFF_SECONDS = env.int("WEBHOOKS_RETRY_BACKOFF_SECONDS", default=30)
WEBHOOKS_RETRY_BACKOFF_MAX_SECONDS = env.int("WEBHOOKS_RETRY_BACKOFF_MAX_SECONDS", default=3600)

# The API (docs/api.md): hashed tokens or the browser session (CSRF enforced); rates per
# anonymous address and per signed-in account, e.g. "100/minute".
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenMayWrite"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonThrottle",
        "api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/minute"),
        "user": env("API_THROTTLE_USER", default="1200/minute"),
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.schema.ConcordAutoSchema",
    # JSON nested beyond reason is a 400, not a RecursionError (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
# Caches: the default one holds the API's throttle counters, in each process's memory unless
# CACHE_URL points at a shared server, e.g. redis://127.0.0.1:6379/1. Anonymous API answers
# (api/answers.py) are kept in each process's memory, at most API_ANSWER_CACHE_MB,
# unless API_ANSWER_CACHE_URL names a shared cache. docs/deployment.md weighs the two.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://concord")}
API_ANSWER_CACHE = None
if env("API_ANSWER_CACHE_URL", default=""):
    CACHES["answers"] = env.cache("API_ANSWER_CACHE_URL")
    API_ANSWER_CACHE = "answers"
API_ANSWER_CACHE_MB = env.float("API_ANSWER_CACHE_MB", default=64)
for _alias in CACHES.values():
    if _alias["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        _alias["BACKEND"] = "config.cache.RedisCache"  # one client per pool (config/cache.py)
# How long an anonymous answer is kept at most (0 turns keeping off). A change to what
# anonymous readers see retires the kept answers sooner (see the next setting).
API_ANSWER_CACHE_SECONDS = env.int("API_ANSWER_CACHE_SECONDS", default=600)
# How often a process reads the catalogue generation again: a change made by another process
# reaches anonymous readers of this one within this time (0: read it on every request).
API_ANSWER_RECHECK_SECONDS = env.float("API_ANSWER_RECHECK_SECONDS", default=1.0)
# Shared caches (nginx, a CDN): anonymous reads of public pages and of the API may be served
# again by them for HTTP_CACHE_MAX_AGE seconds, and while stale for up to
# HTTP_CACHE_STALE_SECONDS more while they fetch a fresh copy (0 turns public caching off).
HTTP_CACHE_MAX_AGE = env.int("HTTP_CACHE_MAX_AGE", default=30)
HTTP_CACHE_STALE_SECONDS = env.int("HTTP_CACHE_STALE_SECONDS", default=30)
# How far behind "now" a cursor walk over the initiatives stops, so that writes still
# committing when it starts are left for the next pass instead of being skipped.
API_SYNC_SETTLE_SECONDS = env.int("API_SYNC_SETTLE_SECONDS", default=5)

SPECTACULAR_SETTINGS = {
    "TITLE": "Concord API",
    "DESCRIPTION": (
        "Cyberspace cooperation initiatives, filed under the four key tasks. See docs/api.md. "
        "The [API root](/api/v1/) lists every collection with its URL."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "governance.choices.Language",
        "RevisionStateEnum": "initiatives.choices.RevisionState",
        "UpdateStateEnum": "initiatives.choices.UpdateState",
        "StakeholderKindEnum": "governance.choices.StakeholderKind",
        "InitiativeKindEnum": "initiatives.choices.InitiativeKind",
        "UpdateKindEnum": "initiatives.choices.UpdateKind",
        "PublicEventEnum": "initiatives.choices.PublicEvent",
    },
    # Request bodies are documented as JSON, the API's one encoding for programs (forms are
    # read too, for the browsable API, but lists and nulls have no agreed form encoding).
    "PARSER_WHITELIST": ["api.parsers.BoundedJSONParser"],
}

# Content-Security-Policy (django-csp) on every response: scripts, styles, fonts and
# images only from this site, so markup that slips into a page cannot run. Inline <script>
# and style="" are refused; the admin and the API docs (drf-spectacular-sidecar) serve
# their assets locally. Images may be data: URIs because the Swagger UI stylesheet draws
# its icons that way; an image cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Sign-in throttling (django-axes): failures are counted per account, whatever address they
# come from, so spreading guesses over many addresses buys nothing (docs/security.md weighs
# this against an attacker locking a real user out for the cool-off).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns when lockout can be escaped by changing user agent or cookies while the
# address stays; counting per account is not escaped by changing anything, addresses included.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"

TAGGIT_CASE_INSENSITIVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
AXES_VERBOSE = False
# Before the lockout, the web sign-in answers repeated failures more slowly: from the
# third failure on, STEP seconds doubling each time, at most MAX.
LOGIN_SLOWDOWN_AFTER = env.int("LOGIN_SLOWDOWN_AFTER", default=3)
LOGIN_SLOWDOWN_STEP_SECONDS = env.float("LOGIN_SLOWDOWN_STEP_SECONDS", default=0.5)
LOGIN_SLOWDOWN_MAX_SECONDS = env.float("LOGIN_SLOWDOWN_MAX_SECONDS", default=2.0)
FORMS_URLFIELD_ASSUME_HTTPS = True

# Page-number answers of the initiatives API count the matches exactly up to this many and
# give PostgreSQL's estimate past it, saying so in count_is_estimate (docs/api.md).
API_EXACT_COUNT_UP_TO = env.int("API_EXACT_COUNT_UP_TO", default=10_000)
