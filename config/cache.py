"""Django's Redis cache, with one client per connection pool instead of one per operation.

Django's client builds a new `redis.Redis` for every get or set; with redis-py 5 and later
that costs more than the round trip itself (its response callbacks are set up each time).
A `redis.Redis` is safe to share between threads, so one per pool is kept.
"""

from django.core.cache.backends import redis as django_redis


class _Client(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
