"""One Redis connection pool per process for the cache (and the sessions kept in it).

Django builds a cache object per thread and request context, and each RedisCache object
builds its own redis-py connection pool: under ASGI, where every request runs in a new thread,
that was a new TCP connection to Redis for every request that touched the cache (py-spy:
redis `Connection._connect` in the queue page). redis-py's pool is thread-safe and re-made
after a fork, so one per server address and process serves them all.
"""

import threading

from redis import ConnectionPool

_pools: dict[str, ConnectionPool] = {}
_lock = threading.Lock()


class SharedConnectionPool(ConnectionPool):
    @classmethod
    def from_url(cls, url, **kwargs):
        pool = _pools.get(url)
        if pool is None:
            with _lock:
                pool = _pools.get(url)
                if pool is None:
                    pool = _pools[url] = super().from_url(url, **kwargs)
        return pool
