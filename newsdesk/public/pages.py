"""The lists on reader pages: their items' HTML with a heading for each day, and the links
around them (Show More, Newer) that work with and without JavaScript.

Day headings are put between items here, never inside an item's HTML (`public.fragments` keeps
that per story version, and it must not change at midnight). The server writes each heading as
a date ("27 November 2026"), in the newsroom's time zone; `newsdesk.js` regroups the items in the
reader's zone and says "Today" and "Yesterday". The server never writes those two words: a page is
kept by caches until the next publish, which on a quiet night can be after midnight, and a date is
right whenever it is read.

Where a list stands is kept in its address, so that a page can be drawn again as the reader left
it (Back after Show More, a reload, a shared link), with keyset cursors (`stories.queries.Cursor`):

- `?before=C`: the stories older than C (one page; what Show More links to without JavaScript);
- `?through=C`: from the top (or from `before`) down to and including the story of C, at most
  `THROUGH_PAGES` pages: the address `newsdesk.js` gives a list after Show More
  (`history.replaceState`), so that Back draws every item the reader had loaded;
- "Newer", on every page but the first: the page of the stories just newer than its first item,
  read with a keyset query the other way (`queries.newer_page_start`), or the first page when
  fewer than a page's worth are newer. Pages are not fixed: after new publishes "Newer" shows the
  twenty stories just above, which may not be the page the reader came from, but never skips one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from newsdesk.public import times
from newsdesk.stories.models import Story
from newsdesk.stories.queries import Cursor

THROUGH_PAGES = 10  # a `?through=` list draws at most this many pages (200 stories)


def joined(items: Iterable[str]) -> SafeString:
    return mark_safe("\n".join(items))


def day_heading(story: Story, level: int) -> SafeString:
    day = times.local_day(story.published_at)
    return format_html(
        '<h{} class="feed-day" data-feed-day="{}"><time datetime="{}">{}</time></h{}>',
        level,
        day.isoformat(),
        day.isoformat(),
        times.day(day),
        level,
    )


def with_day_headings(
    stories: Sequence[Story], items_html: Sequence[str], *, level: int = 2
) -> list[str]:
    """The items' HTML with a heading before the first item of each day (newsroom's zone)."""
    out: list[str] = []
    last = None
    for story, html in zip(stories, items_html, strict=True):
        day = times.local_day(story.published_at)
        if day != last:
            out.append(day_heading(story, level))
            last = day
        out.append(html)
    return out


def show_more_links(cursor: Cursor | None, base_url: str, **params: str) -> dict[str, str]:
    """Links for Show More: a plain next page without JavaScript, a fragment to append with it."""
    if cursor is None:
        return {"more_href": "", "more_fragment": ""}
    query = urlencode({"before": cursor.encode(), **{k: v for k, v in params.items() if v}})
    return {
        "more_href": f"{base_url}?before={cursor.encode()}",
        "more_fragment": f"{reverse('public:feed_more')}?{query}",
    }


def newer_href(start: Cursor | None, base_url: str) -> str:
    """The "Newer" link of a page that is not the first: `start` from `queries.newer_page_start`."""
    return f"{base_url}?before={start.encode()}" if start is not None else base_url


def newer_link(href: str) -> SafeString:
    if not href:
        return mark_safe("")
    return format_html(
        '<a class="button button--quiet" href="{}" rel="prev">{}'
        '<span class="visually-hidden"> {}</span></a>',
        href,
        gettext("Newer"),
        gettext("stories"),
    )


def show_more(links: dict[str, str], newer: str = "") -> SafeString:
    if not links["more_href"] and not newer:
        return mark_safe("")
    more = ""
    if links["more_href"]:
        more = format_html(
            '<a class="button" href="{}" data-fragment="{}" rel="next">'
            '{}<span class="visually-hidden"> {}</span></a>',
            links["more_href"],
            links["more_fragment"],
            gettext("Show More"),
            gettext("older stories"),
        )
    return format_html('<p class="show-more" data-show-more>{}{}</p>', newer_link(newer), more)


def list_values(
    stories: Sequence[Story],
    items_html: Sequence[str],
    cursor: Cursor | None,
    base_url: str,
    *,
    compact: bool = False,
    start: Cursor | None = None,
    newer: str = "",
    **params: str,
) -> dict[str, object]:
    """What a list of feed items (`feed_list` in `_macros.html`, `_feed_more.html`) shows: the
    items under their day headings, Show More and, on a page that is not the first, Newer.
    `start` is the page's `before` cursor (None on the first page) and `list_end` the cursor of
    its last story: with them `newsdesk.js` writes the list's `?through=` address."""
    level = 3 if compact else 2
    return {
        "has_items": bool(items_html),
        "items": joined(with_day_headings(stories, items_html, level=level)),
        "show_more": show_more(
            show_more_links(cursor, base_url, **params, compact="1" if compact else ""), newer
        ),
        "newer": newer_link(newer),
        "list_start": start.encode() if start is not None else "",
        "list_end": Cursor.after(stories[-1]).encode() if stories else "",
    }
