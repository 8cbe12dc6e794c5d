"""Rate limits read from settings at request time, so that tests and deployments can change them."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _LiveRate:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_LiveRate, AnonRateThrottle):
    """Anonymous callers, per address."""


class UserThrottle(_LiveRate, UserRateThrottle):
    """Signed-in callers, per account."""
