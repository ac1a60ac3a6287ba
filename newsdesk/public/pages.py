"""The lists on reader pages: their items' HTML joined, and Show More links that work with and
without JavaScript."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from newsdesk.stories.queries import Cursor


def joined(items: Iterable[str]) -> SafeString:
    return mark_safe("\n".join(items))


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
    """What a list of feed items (`feed_list` in `_macros.html`, `_feed_more.html`) shows: the
    items and their Show More."""
    return {
        "has_items": bool(items_html),
        "items": joined(items_html),
        "show_more": show_more(show_more_links(cursor, base_url, **params)),
    }
