"""Redis connections that outlive a request.

Django builds its cache objects per thread, and under ASGI every request runs in a thread
of its own: with redis-py's default pool each request opened (and greeted) a new Redis
connection just to read its session. Measured with `benchmarks/load.py --pages`: the
connection set-up was the largest single cost of a page-part request.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import redis

__all__ = ["SharedConnectionPool"]


class SharedConnectionPool(redis.ConnectionPool):
    """One pool per Redis URL and options in a process, whichever thread asks.

    Used as the cache's `pool_class`. redis-py pools are thread-safe and reset
    themselves in a forked child, so sharing them is what they are made for.
    """

    _shared: ClassVar[dict[tuple[str, str], SharedConnectionPool]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **options: Any) -> SharedConnectionPool:
        key = (url, repr(sorted(options.items(), key=lambda item: item[0])))
        with cls._shared_lock:
            pool = cls._shared.get(key)
            if pool is None:
                pool = cls._shared[key] = super().from_url(url, **options)
        return pool


def delete_matching(url: str, pattern: str) -> int:
    """Delete the Redis keys matching `pattern`, in batches: SCAN, never KEYS or FLUSHDB,
    because the server and its database may hold others' keys. Returns how many went."""
    deleted = 0
    with redis.Redis.from_url(url) as client:
        batch: list[bytes] = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) == 500:
                deleted += int(client.unlink(*batch))
                batch = []
        if batch:
            deleted += int(client.unlink(*batch))
    return deleted
