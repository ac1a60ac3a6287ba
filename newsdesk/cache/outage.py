"""What to do with a cache call when the cache (Redis) is unreachable: carry on without it.

Login and API-token throttling count failures in the cache. When Redis is down, refusing every
login would lock the newsroom out of publishing in the middle of a story, so the count is
skipped (and the outage logged) instead: throttling is a brake on guessing, not the lock itself
(passwords are Argon2 hashes behind it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger("newsdesk.cache")


def or_default[T](call: Callable[[], T], default: T, what: str) -> T:
    """`call()`, or `default` when the cache raises (an outage; the message is logged)."""
    try:
        return call()
    except Exception as error:
        logger.warning("cache unavailable while %s (%s); carrying on without it", what, error)
        return default
