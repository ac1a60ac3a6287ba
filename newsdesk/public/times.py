"""How reader pages write times: one format for item times, "(Updated: …)" labels, corrections
and day headings, so a reader never meets two ways of writing the same moment.

- a day: "27 November 2026", in the edition's language ("27 листопада 2026"; with JavaScript,
  "Today" and "Yesterday" for the two nearest days:
  those words depend on the reader's clock, so only the browser writes them);
- a time of day: "21:40", or "9:40 PM" with `NEWSDESK_CLOCK=12`;
- both: "27 November 2026, 21:40".

Without JavaScript times are in the newsroom's zone (`settings.TIME_ZONE`, as the footer says);
`newsdesk.js` rewrites them in the reader's zone with the same words. Machine-readable values
(`<time datetime>`) are UTC to the millisecond: HTML allows no finer.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.translation import pgettext

CLOCK_FORMATS = {24: "H:i", 12: "g:i A"}


def local(value: dt.datetime) -> dt.datetime:
    """`value` in the current (the newsroom's) time zone."""
    return timezone.localtime(value) if timezone.is_aware(value) else value


def iso(value: dt.datetime | None) -> str:
    """A valid HTML `datetime` value: UTC, milliseconds at most."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = value.astimezone(dt.UTC)
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def clock_hours() -> int:
    return settings.CLOCK_HOURS


def clock(value: dt.datetime) -> str:
    """The time of day: "21:40" or "9:40 PM"."""
    return dateformat.format(local(value), CLOCK_FORMATS[clock_hours()])


def local_day(value: dt.datetime) -> dt.date:
    """The newsroom's calendar day of a moment."""
    return local(value).date()


def day(value: dt.datetime | dt.date) -> str:
    """The day, written out: "27 November 2026"."""
    if isinstance(value, dt.datetime):
        value = local(value)
    # Translated per language: Ukrainian writes "j E Y" (the month as in "27 листопада 2026").
    return dateformat.format(value, pgettext("day format", "j F Y"))


def day_and_clock(value: dt.datetime) -> str:
    return f"{day(value)}, {clock(value)}"


def update_text(value: dt.datetime, since: dt.datetime | None) -> str:
    """An "(Updated: …)" time: the time alone on the day the story was published, with its day
    after that."""
    if since is not None and local_day(value) == local_day(since):
        return clock(value)
    return day_and_clock(value)
