"""Test settings: fast hashing, in-memory mail unless a test points elsewhere."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="concord-test-key")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True
# Tests read the catalogue generation on every request: a Celery worker or a live server
# thread may change the catalogue between two reads a test makes.
API_ANSWER_RECHECK_SECONDS = 0
# What the services send after commit goes nowhere unless a test starts a worker (and points
# the app at Redis itself): never into var/broker, which `make run`'s worker reads.
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
