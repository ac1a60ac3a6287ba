"""A per-process cache (bounded, in memory) for values that are costly to make and cheap to key.

Its verbs are Django's cache API (`get`, `set`, `get_or_set`), so a reader of the calling code
knows a value may be missing or old.

Why not the shared cache: the values here (a rendered feed item, the topic index, a page's
JSON-LD) are asked for many times per page, where a round trip to Redis would cost what making
them costs. Why it is safe: the caller's key names everything the value was made from (a story's
version, the `names` version, …), so a changed input is a new key, never a stale hit; old keys
simply age out. Entries also expire after `MAX_AGE_SECONDS`, which bounds how long a change that
no key can see (a rename made in another process without a shared cache) stays unseen.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

MAX_ENTRIES = 5000
MAX_AGE_SECONDS = 60

_entries: OrderedDict[tuple, tuple[float, Any]] = OrderedDict()
_lock = threading.Lock()


def get(key: tuple) -> Any | None:
    """The value cached under `key`, or None."""
    now = time.monotonic()
    with _lock:
        found = _entries.get(key)
        if found is None:
            return None
        if now - found[0] > MAX_AGE_SECONDS:
            del _entries[key]
            return None
        _entries.move_to_end(key)
        return found[1]


def set(key: tuple, value: Any) -> None:
    with _lock:
        _entries[key] = (time.monotonic(), value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def get_or_set(key: tuple, make: Callable[[], Any]) -> Any:
    """The value cached under `key`, else `make()`, cached (keys start with the caller's name)."""
    found = get(key)
    if found is None:
        found = make()
        set(key, found)
    return found


def clear() -> None:
    """Forget everything (tests: each starts a new newsroom, where ids and versions restart)."""
    with _lock:
        _entries.clear()
