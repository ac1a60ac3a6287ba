"""Django's Redis cache with a circuit breaker: when Redis cannot be reached, stop asking.

Why: everything that uses the cache treats it as an accelerator and carries on without it (pages
are rendered, items drawn afresh), but each call to an unreachable or hung Redis first waits for
its socket timeout. Under a spike that is every request paying the timeout, several times over.
After one connection failure or timeout this client refuses every call at once for
`OPEN_SECONDS`, raising the same `redis.ConnectionError` the callers already handle; then one call
tries Redis again. Refused calls are counted in the log once per opening, not per call.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("newsdesk.cache")

OPEN_SECONDS = 2.0
_FAILURES = (redis.ConnectionError, redis.TimeoutError)


class CacheUnreachable(redis.ConnectionError):
    """Redis failed moments ago; not asked again until the breaker closes."""


class _Breaker:
    def __init__(self) -> None:
        self._open_until = 0.0
        self._lock = threading.Lock()

    def check(self) -> None:
        if time.monotonic() < self._open_until:
            raise CacheUnreachable(
                "Redis was unreachable moments ago; the cache is skipped for a few seconds."
            )

    def failed(self, error: BaseException) -> None:
        with self._lock:
            was_closed = time.monotonic() >= self._open_until
            self._open_until = time.monotonic() + OPEN_SECONDS
        if was_closed:
            logger.warning("Redis unreachable (%s); cache skipped for %.0f s", error, OPEN_SECONDS)


def _guarded(method):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        self.breaker.check()
        try:
            return method(self, *args, **kwargs)
        except _FAILURES as error:
            self.breaker.failed(error)
            raise

    return call


_breakers: dict[tuple, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(servers) -> _Breaker:
    """One breaker per Redis per process: Django keeps a cache object per thread, and each
    thread paying its own timeout is what the breaker is there to stop."""
    with _breakers_lock:
        return _breakers.setdefault(tuple(servers), _Breaker())


class BreakerClient(RedisCacheClient):
    def __init__(self, servers, **options) -> None:
        super().__init__(servers, **options)
        self.breaker = _breaker_for(servers)


for _name in (
    "add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many",
    "delete_many", "clear",
):  # fmt: skip
    setattr(BreakerClient, _name, _guarded(getattr(RedisCacheClient, _name)))


class BreakerRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` whose client has the breaker."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = BreakerClient
