"""Rate limits: read from settings at request time, and counted per window in O(1).

DRF's own throttles keep, per client, the list of every request's time within the period
and pickle it to and from the cache on each request: the cost grows with the rate (at
1,000 requests a minute, two lists of 1,000 floats per request). These count requests in
fixed windows of the period instead: one counter per client and window, incremented once.
A client may send up to twice the rate across the boundary of two windows; a refused
request counts too, so a client that keeps hammering stays refused until the window ends.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _LiveRate:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class _Windowed:
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        window = int(self.timer() // self.duration)
        self.window_ends = (window + 1) * self.duration
        return self._count(f"{self.key}:{window}") <= self.num_requests

    def _count(self, key: str) -> int:
        try:
            return self.cache.incr(key)
        except ValueError:  # the window's first request (or its counter was evicted)
            if self.cache.add(key, 1, self.duration + 1):
                return 1
            return self.cache.incr(key)

    def wait(self):
        return max(0.0, self.window_ends - self.timer())


class AnonThrottle(_LiveRate, _Windowed, AnonRateThrottle):
    """Anonymous callers, per address."""


class UserThrottle(_LiveRate, _Windowed, UserRateThrottle):
    """Signed-in callers, per account."""
