"""When the demo's stories went out: a few quiet days, then a busy breaking-news night.

Times are spread over the last `days` days, thinner in the small hours, with a share packed into
the last `night_hours` hours as on a night of breaking news. They are returned oldest first and
at least a second apart, so creating stories in this order gives ids that follow publication
time, and the feed's keyset order (published_at, id) agrees with the order of the feed events.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

QUIET_HOURS = range(0, 6)


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
    span = dt.timedelta(days=days).total_seconds()
    night_span = dt.timedelta(hours=night_hours).total_seconds()
    offsets: list[float] = [rng.uniform(180, night_span) for _ in range(night)]
    while len(offsets) < count:
        offset = rng.uniform(night_span, span)
        local_hour = timezone.localtime(now - dt.timedelta(seconds=offset)).hour
        if local_hour in QUIET_HOURS and rng.random() < 0.75:
            continue
        offsets.append(offset)
    times = sorted(now - dt.timedelta(seconds=round(o)) for o in offsets)
    for i in range(1, len(times)):
        if times[i] <= times[i - 1]:
            times[i] = times[i - 1] + dt.timedelta(seconds=1)
    return times


def follow_up(
    published: dt.datetime, now: dt.datetime, rng: random.Random, *, most: int
) -> dt.datetime:
    """A time after `published` (by up to `most` minutes) and still before `now`."""
    room = (now - published).total_seconds() - 30
    if room <= 2:
        return published + dt.timedelta(seconds=1)
    low, high = min(room / 2, most * 30), min(room, most * 60)
    return published + dt.timedelta(seconds=rng.uniform(low, high))
