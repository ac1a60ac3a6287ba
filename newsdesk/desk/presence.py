"""Who has a story open in the desk right now, kept in the cache (never in the database).

The editor page's script calls the heartbeat every few seconds (`HEARTBEAT_SECONDS`); a person is
"here" until `GONE_AFTER_SECONDS` pass without one, or until their page says it is leaving. All
people on one story share one cache entry; two heartbeats at the same moment can drop each
other's update, which the next heartbeat (seconds later) puts back. With Redis the entry is seen
by every app process; with the in-memory cache of a one-process site, by that process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

HEARTBEAT_SECONDS = 5
GONE_AFTER_SECONDS = 3 * HEARTBEAT_SECONDS


@dataclass(frozen=True)
class Present:
    user_id: int
    name: str
    typing: bool
    seconds_ago: int


def _key(story_id: int) -> str:
    return f"desk:presence:{story_id}"


def heartbeat(story_id: int, user, *, typing: bool = False, leaving: bool = False) -> list[Present]:
    """Note that `user` has the story open (or is leaving it); the others who have it open."""
    now = time.time()
    entries: dict = cache.get(_key(story_id)) or {}
    entries = {
        uid: entry for uid, entry in entries.items() if now - entry["seen"] < GONE_AFTER_SECONDS
    }
    entries.pop(user.pk, None)
    if not leaving:
        name = user.get_full_name() or user.get_username()
        entries[user.pk] = {"name": name, "seen": now, "typing": typing}
    cache.set(_key(story_id), entries, timeout=GONE_AFTER_SECONDS)
    return [
        Present(uid, entry["name"], entry["typing"], int(now - entry["seen"]))
        for uid, entry in sorted(entries.items(), key=lambda item: item[1]["name"])
        if uid != user.pk
    ]


def others(story_id: int, user) -> list[Present]:
    """Who else has the story open, without counting `user` in."""
    now = time.time()
    entries: dict = cache.get(_key(story_id)) or {}
    return [
        Present(uid, entry["name"], entry["typing"], int(now - entry["seen"]))
        for uid, entry in sorted(entries.items(), key=lambda item: item[1]["name"])
        if uid != user.pk and now - entry["seen"] < GONE_AFTER_SECONDS
    ]
