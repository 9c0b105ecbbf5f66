"""The Redis cache backend, with one `redis.Redis` client per connection pool instead of one per call,
and a counter in one round trip (`count`).

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation, and building
one sets up its response callbacks (about 90 µs of CPU here). A request makes several cache calls (its
session, rate limits, fragments, roles), so this was a measurable part of posting a comment. A client is
thread-safe and holds nothing but its pool, which redis-py makes fork-safe itself.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count(self, key: str, timeout: int) -> int:
        """Add one to the counter `key`, made with `timeout` if new; its new value, in one round trip
        (SET NX EX, then INCR, pipelined). The rate limiter's counter (`initiative.ratelimit`)."""
        key = self.make_and_validate_key(key)
        pipe = self._cache.get_client(key, write=True).pipeline(transaction=False)
        pipe.set(key, 0, ex=timeout, nx=True)
        pipe.incr(key)
        return pipe.execute()[1]
