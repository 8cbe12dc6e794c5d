"""config/cache.py against a real Redis: the cache works, and reuses one client per pool."""

import os

import pytest
import redis

from config.cache import RedisCache

REDIS_URL = os.environ.get("CACHE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def cache():
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": "concord-test"})
    backend.clear()
    yield backend
    backend.clear()


@pytest.mark.integration
def test_the_redis_cache_keeps_counts_and_expires(cache):
    cache.set("answer", (b"{}", {"ETag": '"x"'}), 60)
    assert cache.get("answer") == (b"{}", {"ETag": '"x"'})
    assert cache.add("answer", "other") is False
    cache.set("hits", 1)
    assert cache.incr("hits", 2) == 3
    cache.set("short", "gone", timeout=-1)
    assert cache.get("short") is None
    cache.delete("answer")
    assert cache.get("answer") is None
    # Everything went to the Redis server itself, not to process memory.
    assert redis.Redis.from_url(REDIS_URL).exists(cache.make_key("hits")) == 1


@pytest.mark.integration
def test_one_client_serves_every_operation(cache):
    client = cache._cache.get_client(write=True)
    cache.set("a", 1)
    cache.get("a")
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads use the same pool
