"""Django's Redis cache, with one client object per connection pool.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every cache call,
and its constructor fills a table of about 170 response callbacks: four cache calls of an
API request (throttle, count, token use) spent more time building clients than talking to
Redis. A `redis.Redis` is safe to share, since it takes a connection from its pool per
command, so each pool keeps one client. Everything else is Django's backend.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _PooledClientCache(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _PooledClientCache
