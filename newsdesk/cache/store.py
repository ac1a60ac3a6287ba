"""Rendered anonymous pages, one per URL, with the versions they were rendered at.

An entry is *fresh* while the versions it was rendered at are current and it is younger than
`FRESH_SECONDS`; it is kept `KEEP_SECONDS` so that, when it goes stale, readers can be given it
while one request renders the new copy (`claim_render` is a lock in the cache that expires after
`LOCK_SECONDS`, so a crashed render holds no one up for long and no reader ever gets a copy more
than about a second older than the last publish). A copy rendered before a takedown, correction or
edit (the `purge` version moved) never stands in that way (`Entry.may_stand_in`): readers wait for
the one render instead.

Each process also keeps the last `LOCAL_ENTRIES` pages it saw in its own memory: when the shared
cache (Redis) says the versions are still those of the local copy, the page body is not fetched
again, so a hit costs one small round trip for the versions instead of moving the whole page.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from email.utils import formatdate

from django.core.cache import cache

from newsdesk.cache.versions import Versions

FRESH_SECONDS = 60
KEEP_SECONDS = 600
LOCK_SECONDS = 1
LOCAL_ENTRIES = 256

_local: OrderedDict[str, Entry] = OrderedDict()


@dataclass
class Entry:
    versions: Versions
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    created: float = field(default_factory=time.time)
    etag: bytes = b""
    last_modified: bytes = b""

    def __post_init__(self) -> None:
        if not self.etag:
            self.etag = (
                b'"' + hashlib.blake2b(self.body, digest_size=12).hexdigest().encode() + b'"'
            )
        if not self.last_modified:
            self.last_modified = formatdate(self.created, usegmt=True).encode()

    def is_fresh(self, versions: Versions, now: float) -> bool:
        return self.versions == versions and now - self.created < FRESH_SECONDS

    def may_stand_in(self, versions: Versions) -> bool:
        """True when this old copy may be given (stale, to a HEAD, or as a 304) while the current
        page is rendered: nothing was taken away or corrected since it was rendered."""
        return len(self.versions) == len(versions) and self.versions[-1] == versions[-1]


def key_for(host: bytes, path: str, query: bytes) -> str:
    """One entry per host, path and query string (the host too: Django checks it on a miss)."""
    raw = b"|".join((host, path.encode("utf-8", "surrogateescape"), query))
    return "newsdesk:page:" + hashlib.blake2b(raw, digest_size=16).hexdigest()


def _remember(key: str, entry: Entry) -> None:
    _local[key] = entry
    _local.move_to_end(key)
    while len(_local) > LOCAL_ENTRIES:
        _local.popitem(last=False)


def get(key: str, versions: Versions | None = None) -> Entry | None:
    """The stored page; this process's own copy when it was rendered at `versions`."""
    entry = _local.get(key)
    if entry is not None and versions is not None and entry.versions == versions:
        return entry
    entry = cache.get(key)
    if entry is not None:
        _remember(key, entry)
    return entry


def put(key: str, entry: Entry) -> None:
    cache.set(key, entry, timeout=KEEP_SECONDS)
    _remember(key, entry)


def claim_render(key: str) -> bool:
    """True for the one request that should render this page now."""
    return cache.add(key + ":lock", 1, timeout=LOCK_SECONDS)


def rendering(key: str) -> bool:
    """True while some request holds the render lock of this page."""
    return cache.get(key + ":lock") is not None


def release_render(key: str) -> None:
    cache.delete(key + ":lock")
