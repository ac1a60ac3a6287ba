"""Content versions: what a cached reader page was rendered from, and how to tell it is old.

Three versions cover every reader page:

- `feed`: the id of the newest feed event. Set (not incremented) after each write commits, so
  any number of processes may set it without counting twice; and every process also re-reads it
  from the database every `SYNC_SECONDS`, which repairs a lost or reordered set and is what
  carries a publish between processes whose cache is their own memory (locmem, several workers).
- `names`: a counter bumped when an author or topic is saved (bios, names, descriptions appear on
  pages but record no feed event). Without a shared cache (Redis) other processes see such an
  edit when their copy reaches `store.FRESH_SECONDS`.
- `purge`: a counter bumped once for every committed feed event that takes something away from
  readers or changes what they were told (`PURGE_KINDS`: unpublish, correction, edit). A copy
  rendered before it may never stand in for the current page: not as a stale copy while one
  request re-renders, not as the answer to a HEAD, not as a 304 (`store.Entry.may_stand_in`).
  It is a counter of events seen, not the newest id: two writes may commit out of id order, and
  a takedown whose id is lower than a publish committed a moment before must still count. Each
  event bumps it once per cache (`newsdesk:purged:<id>` marks it done): the writing process at
  commit, and every process's sync thread when it finds the event in the database, so each
  process's own memory cache sees a takedown made in another process within `SYNC_SECONDS`.

Why one `feed` version and not one per story: every reader page shows the newest items (the feed,
topic and author lists, and the News Feed sidebar of every story page), so any feed event can
change any page. Finer names are still sent as `Surrogate-Key`s for a CDN.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque

from django.core.cache import cache
from django.db import close_old_connections, transaction

from newsdesk.core import memory

logger = logging.getLogger("newsdesk.cache")

FEED = "newsdesk:v:feed"
NAMES = "newsdesk:v:names"
PURGE = "newsdesk:v:purge"
# When `purge` last moved (wall clock): a 304 on If-Modified-Since alone is only safe for copies
# dated well after it (see `front._not_modified`).
PURGED_AT = "newsdesk:v:purged-at"
PURGED_MARK = "newsdesk:purged:"
SYNC_SECONDS = 0.5
# How far back (in seconds of events) the sync thread looks for purge events: a write commits
# well within this after its feed event got its id.
PURGE_WINDOW_SECONDS = 60
STARTUP_LOOKBACK = 200  # events: what a process that just started checks for purges

# Feed events after which no copy rendered before may be shown again (see the module docstring).
PURGE_KINDS = ("unpublished", "corrected", "updated")

Versions = tuple[int, int, int]


# A process asks the shared cache for the versions at most this often: with Redis that round
# trip, not the page, was the cost of a hit. A write clears it in the writing process at once.
LOCAL_SECONDS = 0.1
_memo: tuple[float, Versions, float] | None = None


def current() -> Versions:
    """The versions now, from the cache (one round trip, at most every `LOCAL_SECONDS`).
    Raises what the cache raises."""
    global _memo
    now = time.monotonic()
    if _memo is not None and now - _memo[0] < LOCAL_SECONDS:
        return _memo[1]
    found = cache.get_many([FEED, NAMES, PURGE, PURGED_AT])
    versions = int(found.get(FEED, 0)), int(found.get(NAMES, 0)), int(found.get(PURGE, 0))
    _memo = (now, versions, float(found.get(PURGED_AT, 0)))
    return versions


def remembered(key: tuple, make):
    """`make()`, kept per process (`core.memory`) until a content version moves: for a value read
    from what only feed events and renames change. Made afresh when the cache cannot say."""
    try:
        now = current()
    except Exception:
        return make()
    return memory.get_or_set((*key, *now), make)


def purged_at() -> float:
    """When (wall clock) the `purge` version last moved, as of the last `current()`; now when
    the cache cannot say (callers then treat every copy as possibly from before a purge)."""
    if _memo is None:
        try:
            current()
        except Exception:
            return time.time()
    return _memo[2] if _memo is not None else time.time()


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


def purge_event_ids(event_ids: list[int] | None = None, *, after: int | None = None) -> list[int]:
    """Ids of purge events (`PURGE_KINDS`) among `event_ids`, or after id `after`."""
    from newsdesk.stories.models import FeedEvent

    events = FeedEvent.objects.filter(kind__in=PURGE_KINDS)
    if event_ids is not None:
        events = events.filter(id__in=event_ids)
    if after is not None:
        events = events.filter(id__gt=after)
    return list(events.order_by().values_list("id", flat=True))


def bump_purge(event_ids: list[int]) -> bool:
    """Count each of these purge events once in this cache; True when any was new."""
    bumped = False
    for event_id in event_ids:
        if cache.add(f"{PURGED_MARK}{event_id}", 1, timeout=PURGE_WINDOW_SECONDS * 10):
            if not cache.add(PURGE, 1, timeout=None):
                cache.incr(PURGE)
            bumped = True
    if bumped:
        cache.set(PURGED_AT, time.time(), timeout=None)
        forget()
    return bumped


def on_feed_events_committed(sender, event_ids: list[int], **kwargs) -> None:
    """Receiver of `stories.signals.feed_events_committed`: the writing process bumps at once."""
    try:
        from newsdesk.stories.feed_events import latest_event_id

        bump_purge(purge_event_ids(event_ids))
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
    """Per process: keep `feed` equal to the database's newest feed event id, and count every
    purge event committed in the last `PURGE_WINDOW_SECONDS` into `purge` (once per cache)."""

    def __init__(self) -> None:
        self._started = False
        self._lock = threading.Lock()
        # (monotonic time, newest event id then): where the purge look-back starts.
        self._marks: deque[tuple[float, int]] = deque()

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
                self.check_purges(latest)
                if cache.get(FEED) != latest:
                    set_feed(latest)
            except Exception:
                logger.exception("cache version sync failed; retrying")
            time.sleep(SYNC_SECONDS)

    def check_purges(self, latest: int) -> None:
        """Bump `purge` for purge events committed since the last look (by any process): the
        look-back starts at the newest id of `PURGE_WINDOW_SECONDS` ago, so an event committed
        out of id order is still found."""
        now = time.monotonic()
        if not self._marks:  # a new process: look a little way back (extra bumps cost little)
            self._marks.append((now, max(0, latest - STARTUP_LOOKBACK)))
        while len(self._marks) > 1 and now - self._marks[1][0] > PURGE_WINDOW_SECONDS:
            self._marks.popleft()
        if latest != self._marks[-1][1]:
            self._marks.append((now, latest))
        bump_purge(purge_event_ids(after=self._marks[0][1]))


sync = _Sync()
