"""The way around every reader page: the header's sections, the logo, the footer's feeds and links.

What the header shows is the same on every page, so it is read once per content version and
remembered (`core.memory`): a page pays nothing for it until a publish or a rename.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static

from newsdesk.cache import versions
from newsdesk.core import editions, memory
from newsdesk.core.addresses import path_to
from newsdesk.stories import queries
from newsdesk.syndication.feeds import FORMAT_LABELS, FORMATS

# Topics named in the header; the rest are one click away on /topics/.
NAV_TOPICS = 12
DEFAULT_LOGO = "newsdesk/icon.svg"


@dataclass(frozen=True)
class FeedLink:
    label: str
    href: str


def reader_topics() -> list:
    """The topics readers can find stories in (`queries.topic_index`), remembered until the
    next feed event or rename; read afresh when the cache cannot say. The header names the
    first few, the feed page's topic list and the search form all of them."""
    edition = editions.current()
    try:
        feed, names, _purge = versions.current()
    except Exception:
        return queries.topic_index(edition)
    key = ("reader_topics", edition.language, feed, names)
    return memory.get_or_set(key, lambda: queries.topic_index(edition))


# Live coverage named in the header (the News Feed's "Live now" box lists up to `LIVE_NOW`).
NAV_LIVE = 2
LIVE_NOW = 3


def live_now() -> list:
    """Live coverage running now (`queries.live_coverages`, newest first, at most `LIVE_NOW`),
    remembered until the next feed event: starting, ending or taking one down records one, and
    a takedown is a purge, so a page never names a coverage readers can no longer open."""
    edition = editions.current()
    return versions.remembered(
        ("live_now", edition.language),
        lambda: queries.live_coverages(limit=LIVE_NOW, edition=edition),
    )


def nav_topics() -> list:
    """The first `NAV_TOPICS` of `reader_topics`, for the header."""
    return reader_topics()[:NAV_TOPICS]


def logo_url() -> str:
    """NEWSDESK_SITE_LOGO as an address: a URL or a site path as given, else a static file."""
    logo = settings.SITE_LOGO or DEFAULT_LOGO
    if logo.startswith(("/", "http://", "https://")):
        return logo
    return _static(logo)


@functools.lru_cache(maxsize=16)
def _static(path: str) -> str:
    return static(path)


def site_feeds() -> list[FeedLink]:
    """The whole site's feeds, for the footer (readers who use a feed reader look there); the
    `<link rel="alternate">` tags in each page's head carry the absolute ones."""
    return [FeedLink(FORMAT_LABELS[fmt], path_to(f"syndication:site_{fmt}")) for fmt in FORMATS]
