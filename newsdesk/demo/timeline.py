"""When the demo's stories went out: a few quiet days, then a busy breaking-news night.

Times are spread over the last `days` days, with a share packed into the last `night_hours`
hours as on a night of breaking news. They are drawn as offsets back from "now" that depend only
on the random source, so a seed gives the same newsroom whatever the time of day it is built;
only the clock times move. They come oldest first and at least a second apart, so creating
stories in this order gives ids that follow publication time, and the feed's keyset order
(published_at, id) agrees with the order of the feed events.
"""

from __future__ import annotations

import datetime as dt
import random


def publication_times(
    count: int,
    now: dt.datetime,
    rng: random.Random,
    *,
    days: int = 5,
    night_hours: int = 8,
    night_share: float = 0.3,
) -> list[dt.datetime]:
    """`count` distinct past times, oldest first, the newest a few minutes before `now`."""
    night = round(count * night_share)
    night_span = night_hours * 3600
    offsets = [rng.randint(180, night_span) for _ in range(night)]
    offsets += [rng.randint(night_span, days * 86400) for _ in range(count - night)]
    offsets.sort(reverse=True)
    for i in range(1, len(offsets)):
        offsets[i] = min(offsets[i], offsets[i - 1] - 1)
    return [now - dt.timedelta(seconds=offset) for offset in offsets]


def follow_up(
    published: dt.datetime, now: dt.datetime, rng: random.Random, *, most: int
) -> dt.datetime:
    """A time after `published` (by up to `most` minutes) and still before `now`."""
    room = (now - published).total_seconds() - 30
    low, high = min(room / 2, most * 30), min(room, most * 60)
    return published + dt.timedelta(seconds=max(1.0, rng.uniform(low, high)))
