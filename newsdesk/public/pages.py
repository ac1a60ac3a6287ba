"""The parts of a reader page that Django's views and the fast path (`public.fast`) share: which
shell a page is drawn in (`public.shells`), its slots, and its Show More link.

A shell's key names everything its template reads apart from the slots; both ways of answering
compute it here, so the fast path finds exactly the shell a view drew.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from newsdesk.stories.queries import Cursor

FEED_TEMPLATE = "public/feed.html"
FEED_SLOTS = ("pinned_items", "items", "show_more", "live_after", "live_blog")
FEED_SLOTS_LATER = ("pinned_items", "items", "show_more", "live_blog")  # no live stream there
STORY_TEMPLATE = "public/story.html"
STORY_SLOTS = ("sidebar_items", "sidebar_more", "live_after")


def feed_shell_key(
    names: int, *, authenticated: bool, first_page: bool, has_pinned: bool, has_items: bool
) -> tuple:
    return ("feed", names, authenticated, first_page, has_pinned, has_items)


def story_shell_key(story_key: tuple, *, authenticated: bool, has_sidebar: bool) -> tuple:
    """`story_key`: `fragments.story_key`, what the story's own parts were drawn from."""
    return ("story", story_key, authenticated, has_sidebar)


def joined(items: Iterable[str]) -> SafeString:
    return mark_safe("\n".join(items))


def next_cursor(rows: list, limit: int) -> Cursor | None:
    """Where the next page starts, for `limit + 1` rows or stories read (None: no next page)."""
    return Cursor.after(rows[limit - 1]) if len(rows) > limit else None


def show_more_links(cursor: Cursor | None, base_url: str, **params: str) -> dict[str, str]:
    """Links for Show More: a plain next page without JavaScript, a fragment to append with it."""
    if cursor is None:
        return {"more_href": "", "more_fragment": ""}
    query = urlencode({"before": cursor.encode(), **{k: v for k, v in params.items() if v}})
    return {
        "more_href": f"{base_url}?before={cursor.encode()}",
        "more_fragment": f"{reverse('public:feed_more')}?{query}",
    }


def show_more(links: dict[str, str]) -> SafeString:
    if not links["more_href"]:
        return mark_safe("")
    return format_html(
        '<p class="show-more" data-show-more><a class="button" href="{}" data-fragment="{}">'
        'Show More<span class="visually-hidden"> older stories</span></a></p>',
        links["more_href"],
        links["more_fragment"],
    )


def list_values(
    items_html: list[str], cursor: Cursor | None, base_url: str, **params: str
) -> dict[str, object]:
    """What `_feed_list.html` and `_feed_more.html` fill in: the items and their Show More."""
    return {
        "has_items": bool(items_html),
        "items": joined(items_html),
        "show_more": show_more(show_more_links(cursor, base_url, **params)),
    }


def feed_values(
    pinned_html: list[str], items_html: list[str], cursor: Cursor | None, live_after: str,
    live_blog: str,
) -> dict[str, object]:  # fmt: skip
    """The News Feed's slots."""
    return {
        **list_values(items_html, cursor, reverse("public:feed")),
        "pinned_items": joined(pinned_html),
        "live_after": live_after,
        "live_blog": live_blog,
    }


def story_values(sidebar_html: list[str], cursor: Cursor | None, live_after: str) -> dict:
    """A story page's slots: its News Feed sidebar (compact items) and where the stream starts."""
    sidebar = list_values(sidebar_html, cursor, reverse("public:feed"), compact="1")
    return {
        "has_sidebar": sidebar["has_items"],
        "sidebar_items": sidebar["items"],
        "sidebar_more": sidebar["show_more"],
        "live_after": live_after,
    }
