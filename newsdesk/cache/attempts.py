"""Counting attempts in the cache atomically, for limits that must hold under parallel requests.

A limit checked with get-then-set lets a burst of parallel requests all read the same count and
all pass. Here an attempt is *reserved* before the work it limits (a password hash check, a token
lookup): `cache.add` creates the counter once for the window and `cache.incr` raises it, both
atomic in Redis and in Django's memory cache, so of N parallel attempts exactly `allowed` get a
number within the limit, whatever the timing. The window runs from the first attempt.

When the cache is unreachable the attempt is let through (`None`) and the outage logged: see
`newsdesk/cache/outage.py` for why a cache outage must not lock the newsroom out.
"""

from __future__ import annotations

import time

from django.core.cache import cache

from newsdesk.cache.outage import or_default


def _since_key(key: str) -> str:
    return f"{key}:since"


def _reserve(key: str, window: int, timed: bool) -> int:
    number = 0
    for _ in range(3):
        cache.add(key, 0, window)
        try:
            number = cache.incr(key)
            break
        except ValueError:  # the window ended between add and incr: start a new one
            continue
    if timed:
        if number == 1:  # this attempt opened the window
            cache.set(_since_key(key), time.time(), window)
        else:
            cache.add(_since_key(key), time.time(), window)
    return number


def reserve(key: str, window: int, *, timed: bool = False) -> int | None:
    """Count one attempt under `key`; its number in the current window (1 for the first).

    None when the cache is unreachable (the attempt is not counted). With `timed`, the window's
    start is kept too, for `seconds_left`."""
    return or_default(lambda: _reserve(key, window, timed), None, f"counting an attempt ({key})")


def release(key: str) -> None:
    """Give back one reserved attempt (it turned out not to be a failure)."""

    def give_back() -> None:
        try:
            if cache.decr(key) < 0:
                cache.delete(key)
        except ValueError:  # already expired
            pass

    or_default(give_back, None, f"releasing an attempt ({key})")


def clear(key: str) -> None:
    """Forget every attempt under `key`."""
    or_default(lambda: cache.delete_many([key, _since_key(key)]), None, f"clearing {key}")


def count(key: str) -> int:
    """Attempts counted under `key` in the current window (0 when unknown or the cache is out)."""
    return or_default(lambda: cache.get(key, 0), 0, f"reading attempts ({key})") or 0


def seconds_left(key: str, window: int) -> int:
    """Seconds until the window of `key` ends (the whole window when its start is unknown)."""
    since = or_default(lambda: cache.get(_since_key(key)), None, f"reading {key}")
    if since is None:
        return window
    return max(0, int(since + window - time.time()))
