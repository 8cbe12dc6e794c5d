"""Development: DEBUG on, a fixed insecure key unless one is given."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="concord-local-development-key-not-for-production")
