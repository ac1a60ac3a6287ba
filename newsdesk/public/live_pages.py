"""The reader's live page of a live coverage, and each entry's permanent address.

`/live/<slug>/` shows what we know (the summary), the key events as jump links, the pinned
entry, then the entries newest first (`?order=oldest` for oldest first) with Show More by
keyset (`?before=`). `/live/<slug>/entries/<id>/` is an entry's own address: the live page
starting at that entry (so it works however far down the entry has moved), with the entry's
own title, description and OpenGraph image. Every read goes through `stories.queries`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from newsdesk.cache import headers as cache_headers
from newsdesk.core import editions
from newsdesk.core.errors import InvalidInput, NotFound
from newsdesk.public import fragments, pages, translations
from newsdesk.stories import queries
from newsdesk.stories.feed_events import latest_event_id
from newsdesk.stories.models import Story
from newsdesk.stories.queries import OLDEST, Cursor
from newsdesk.syndication import live_jsonld


def _order(request: HttpRequest) -> str:
    return OLDEST if request.GET.get("order") == OLDEST else ""


def _before(request: HttpRequest) -> Cursor | None:
    token = request.GET.get("before", "").strip()
    return Cursor.decode(token) if token else None


def _coverage(slug: str) -> Story:
    try:
        return queries.coverage_by_slug(slug)
    except NotFound as error:
        raise Http404(error.message) from None


def _page_url(coverage: Story, order: str, before: Cursor | None = None, more=False) -> str:
    params = {}
    if before is not None:
        params["before"] = before.encode()
    if order:
        params["order"] = order
    base = reverse("public:live_more" if more else "public:live", kwargs={"slug": coverage.slug})
    return f"{base}?{urlencode(params)}" if params else base


def _entries_values(coverage: Story, page: queries.Page, order: str, drawn=None) -> dict:
    more_href = more_fragment = ""
    if page.next_cursor is not None:
        more_href = _page_url(coverage, order, page.next_cursor)
        more_fragment = _page_url(coverage, order, page.next_cursor, more=True)
    if drawn is None:
        drawn = fragments.live_entries(page.items)
    return {
        "entries": pages.joined(drawn),
        "has_entries": bool(page.items),
        "more_href": more_href,
        "more_fragment": more_fragment,
    }


def _live(request: HttpRequest, coverage: Story, before: Cursor | None, entry=None):
    order = _order(request)
    live_after = latest_event_id()  # before the entries: nothing is lost between the two
    # Light rows: only what the fragments are keyed by; what must be drawn is read in bulk.
    page = queries.coverage_entries(coverage, before, order=order, relations=False)
    first_page = before is None
    newer = ""
    if (
        not first_page
        and page.items
        and queries.newer_entries_exist(coverage, page.items[0], order)
    ):
        newer = _page_url(coverage, order)
    pinned = queries.pinned_entry(coverage, relations=False)
    # The pinned entry and the page's entries drawn together: what is missing is read at once.
    whole: dict = {}
    drawn = fragments.live_entries(
        [*([pinned] if pinned is not None else []), *page.items], whole=whole
    )
    pinned_html = drawn.pop(0) if pinned is not None else ""
    context = {
        "coverage": coverage,
        "entry": entry,
        "order": order,
        "is_first_page": first_page,
        "newer_href": newer,
        "pinned": pinned_html,
        "key_events": queries.key_events(coverage),
        "live_after": live_after,
        "order_newest_href": _page_url(coverage, ""),
        "order_oldest_href": _page_url(coverage, OLDEST),
        "live_blog": live_jsonld.live_blog_script(
            coverage,
            [whole.get(item.pk, item) for item in page.items],
            whole.get(pinned.pk, pinned) if pinned is not None else None,
        ),
        **translations.page_values(entry or coverage),
        **_entries_values(coverage, page, order, drawn),
    }
    response = render(request, "public/live.html", context)
    return cache_headers.public(response, request, ("feed", f"story-{coverage.pk}"))


def _elsewhere(request: HttpRequest, page: Story) -> HttpResponse | None:
    """A 301 to a live page or entry of another edition at its own address (an address from
    before editions: /live/<a Ukrainian coverage>/ is at /uk/live/…), keeping the query."""
    if page.edition == editions.current():
        return None
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(page.get_absolute_url() + (f"?{query}" if query else ""))


@require_safe
def live(request: HttpRequest, slug: str) -> HttpResponse:
    coverage = _coverage(slug)
    if (moved := _elsewhere(request, coverage)) is not None:
        return moved
    try:
        before = _before(request)
    except InvalidInput as error:
        return _bad(request, error)
    return _live(request, coverage, before)


@require_safe
def live_more(request: HttpRequest, slug: str) -> HttpResponse:
    """The next entries as an HTML fragment, for Show More with JavaScript."""
    coverage = _coverage(slug)
    if coverage.edition != editions.current():
        raise Http404("There is no live coverage at this address.")
    try:
        before = _before(request)
    except InvalidInput as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    order = _order(request)
    # Light rows: only what the fragments are keyed by; what must be drawn is read in bulk.
    page = queries.coverage_entries(coverage, before, order=order, relations=False)
    response = render(request, "public/_live_more.html", _entries_values(coverage, page, order))
    return cache_headers.public(response, request, ("feed", f"story-{coverage.pk}"))


@require_safe
def live_entry(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    coverage = None
    try:
        coverage = queries.coverage_by_slug(slug)
        entry = queries.entry_of_coverage(coverage, entry_id)
    except NotFound:
        try:  # an address with an old or wrong coverage slug: send it to the right one
            entry = queries.entry_by_id(entry_id)
        except NotFound as error:
            raise Http404(error.message) from None
        return HttpResponsePermanentRedirect(entry.get_absolute_url())
    if (moved := _elsewhere(request, entry)) is not None:
        return moved
    before = None
    if entry.pk != coverage.pinned_entry_id:
        before = queries.cursor_at(entry, _order(request))
    return _live(request, coverage, before, entry=entry)


def _bad(request: HttpRequest, error: InvalidInput) -> HttpResponse:
    from django.http import HttpResponseBadRequest
    from django.template.loader import render_to_string

    html = render_to_string("public/400.html", {"message": error.message}, request=request)
    return HttpResponseBadRequest(html)
