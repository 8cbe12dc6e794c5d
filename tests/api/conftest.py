import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from governance import services as governance_services


@pytest.fixture(autouse=True)
def _api_settings(settings):
    # Throttle counters live in the cache; each test starts with none. Cursor walks see
    # records made a moment ago.
    cache.clear()
    settings.API_SYNC_SETTLE_SECONDS = 0
    yield
    cache.clear()


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def client_for(db):
    """An API client authenticated with a fresh token of the given user."""

    def make(user, *, write=True):
        _token, key = governance_services.api_token_create(user=user, name="test", write=write)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        client.token_key = key
        return client

    return make
