"""Settings for `make bench` only: production settings plus the floor views and a query counter.

Never used to serve the site: the floor views and the X-Query-Count header exist only here.
"""

from config.settings.production import *  # noqa: F403
from config.settings.production import MIDDLEWARE

ROOT_URLCONF = "bench.floor_urls"
# First, so that the queries of every other middleware (sessions, auth) are counted too.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
