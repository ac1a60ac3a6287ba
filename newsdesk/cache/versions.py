"""Content versions: what a cached reader page was rendered from, and how to tell it is old.

Two versions cover every reader page:

- `feed`: the id of the newest feed event. Set (not incremented) after each write commits, so
  any number of processes may set it without counting twice; and every process also re-reads it
  from the database every `SYNC_SECONDS`, which repairs a lost or reordered set and is what
  carries a publish between processes whose cache is their own memory (locmem, several workers).
- `names`: a counter bumped when an author or topic is saved (bios, names, descriptions appear on
  pages but record no feed event). Without a shared cache (Redis) other processes see such an
  edit when their copy reaches `store.FRESH_SECONDS`.

Why one `feed` version and not one per story: every reader page shows the newest items (the feed,
topic and author lists, and the News Feed sidebar of every story page), so any feed event can
change any page. Finer names are still sent as `Surrogate-Key`s for a CDN.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache import cache
from django.db import close_old_connections, transaction

logger = logging.getLogger("newsdesk.cache")

FEED = "newsdesk:v:feed"
NAMES = "newsdesk:v:names"
SYNC_SECONDS = 0.5

Versions = tuple[int, int]


# A process asks the shared cache for the versions at most this often: with Redis that round
# trip, not the page, was the cost of a hit. A write clears it in the writing process at once.
LOCAL_SECONDS = 0.1
_memo: tuple[float, Versions] | None = None


def current() -> Versions:
    """The versions now, from the cache (one round trip, at most every `LOCAL_SECONDS`).
    Raises what the cache raises."""
    global _memo
    now = time.monotonic()
    if _memo is not None and now - _memo[0] < LOCAL_SECONDS:
        return _memo[1]
    found = cache.get_many([FEED, NAMES])
    versions = int(found.get(FEED, 0)), int(found.get(NAMES, 0))
    _memo = (now, versions)
    return versions


def names_or_none() -> int | None:
    """The `names` version, or None when the cache cannot say (an outage): callers then make
    what they need afresh instead of remembering it."""
    try:
        return current()[1]
    except Exception:
        logger.warning("cache versions unavailable; nothing is remembered for this request")
        return None


def forget() -> None:
    global _memo
    _memo = None


def set_feed(event_id: int) -> None:
    cache.set(FEED, event_id, timeout=None)
    forget()


def on_feed_events_committed(sender, event_ids: list[int], **kwargs) -> None:
    """Receiver of `stories.signals.feed_events_committed`: the writing process bumps at once."""
    try:
        from newsdesk.stories.feed_events import latest_event_id

        set_feed(max([latest_event_id(), *event_ids]))
    except Exception:  # a cache outage must not fail a write; the sync thread repairs it
        logger.exception("could not bump the feed version")


def on_names_changed(sender, **kwargs) -> None:
    """An author or topic changed: after commit, every page that names one is old."""

    def bump() -> None:
        try:
            if not cache.add(NAMES, 1, timeout=None):
                cache.incr(NAMES)
            forget()
        except Exception:
            logger.exception("could not bump the names version")

    transaction.on_commit(bump)


class _Sync:
    """Per process: keep `feed` equal to the database's newest feed event id."""

    def __init__(self) -> None:
        self._started = False
        self._lock = threading.Lock()

    def ensure_started(self) -> None:
        if self._started:
            return
        with self._lock:
            if not self._started:
                self._started = True
                threading.Thread(target=self._run, name="newsdesk-cache-sync", daemon=True).start()

    def _run(self) -> None:
        from newsdesk.stories.feed_events import latest_event_id

        while True:
            try:
                close_old_connections()
                latest = latest_event_id()
                if cache.get(FEED) != latest:
                    set_feed(latest)
            except Exception:
                logger.exception("cache version sync failed; retrying")
            time.sleep(SYNC_SECONDS)


sync = _Sync()
