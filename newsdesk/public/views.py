"""What readers see. Thin views: every read goes through `stories.queries`."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from newsdesk.cache import headers as cache_headers
from newsdesk.core import editions
from newsdesk.core.errors import InvalidInput, NotFound
from newsdesk.media import queries as media_queries
from newsdesk.public import fragments, navigation, pages, translations
from newsdesk.stories import permissions, queries
from newsdesk.stories.feed_events import latest_event_id
from newsdesk.stories.queries import Cursor
from newsdesk.syndication import jsonld


def _cursor(request: HttpRequest, name: str = "before") -> Cursor | None:
    token = request.GET.get(name, "").strip()
    if not token:
        return None
    try:
        return Cursor.decode(token)
    except InvalidInput:
        raise InvalidInput(
            gettext(
                "That page link is not valid (its '%(name)s' value is damaged). "
                "Start again from the first page."
            )
            % {"name": name}
        ) from None


def _public(response: HttpResponse, request: HttpRequest, *keys: str) -> HttpResponse:
    """Anonymous pages may be kept (our page cache, nginx, a CDN) until the next feed event; an
    editor's never are. Every reader page shows the newest items, so each names `feed`."""
    return cache_headers.public(response, request, ("feed", *keys))


def _bad_request(request: HttpRequest, error: InvalidInput) -> HttpResponse:
    html = render_to_string("public/400.html", {"message": error.message}, request=request)
    return HttpResponseBadRequest(html)


def _read_list(before: Cursor | None, through: Cursor | None, **filters) -> queries.Page:
    """One page of stories older than `before` (or the newest); with `through`, every page down
    to and including the story of that cursor, at most `pages.THROUGH_PAGES` of them (see
    `public.pages`). Each page is the keyset read Show More makes."""
    page = queries.feed_page(before, relations=False, edition=editions.current(), **filters)
    if through is None:
        return page
    bound = (through.published_at, through.story_id)
    items: list = []
    for _ in range(pages.THROUGH_PAGES):
        for story in page.items:
            if (story.published_at, story.pk) < bound:
                return queries.Page(items, Cursor.after(items[-1])) if items else page
            items.append(story)
        if page.next_cursor is None:
            return queries.Page(items, None)
        page = queries.feed_page(
            page.next_cursor, relations=False, edition=editions.current(), **filters
        )
    return queries.Page(items, Cursor.after(items[-1]))


def _newer(before: Cursor | None, page: queries.Page, base_url: str, **filters) -> str:
    """The "Newer" link of a page that is not the first ("" on the first page)."""
    if before is None:
        return ""
    if not page.items:
        return base_url
    start = queries.newer_page_start(
        Cursor.after(page.items[0]), edition=editions.current(), **filters
    )
    return pages.newer_href(start, base_url)


def _feed_list(
    page: queries.Page, base_url: str, *, compact: bool = False, newest_event=None, **params
) -> dict:
    items = fragments.feed_items(page.items, compact=compact, newest_event=newest_event)
    return pages.list_values(
        page.items, items, page.next_cursor, base_url, compact=compact, **params
    )


def _list_cursors(request: HttpRequest) -> tuple[Cursor | None, Cursor | None]:
    return _cursor(request, "before"), _cursor(request, "through")


@require_safe
def feed(request: HttpRequest) -> HttpResponse:
    try:
        before, through = _list_cursors(request)
    except InvalidInput as error:
        return _bad_request(request, error)
    first_page = before is None
    base_url = reverse("public:feed")
    # Where the live stream starts, read before the stories: an event after them is sent to the
    # reader (and replaces its item if the page had it already), never lost between the two.
    live_after = latest_event_id() if first_page else None
    page = _read_list(before, through)
    edition = editions.current()
    pinned = queries.pinned_stories(relations=False, edition=edition) if first_page else []
    drawn = fragments.feed_items([*pinned, *page.items], newest_event=live_after)
    context = {
        "is_first_page": first_page,
        "has_pinned": bool(pinned),
        "pinned_items": pages.joined(drawn[: len(pinned)]),
        "live_after": live_after,
        "live_blog": jsonld.live_blog_script(pinned, page.items, edition=edition),
        "live_coverages": navigation.live_now() if first_page else [],
        **pages.list_values(
            page.items,
            drawn[len(pinned) :],
            page.next_cursor,
            base_url,
            start=before,
            newer=_newer(before, page, base_url),
        ),
    }
    return _public(render(request, "public/feed.html", context), request)


@require_safe
def feed_more(request: HttpRequest) -> HttpResponse:
    """The next items as an HTML fragment, for Show More with JavaScript."""
    try:
        before = _cursor(request)
        topic = queries.topic_by_slug(request.GET["topic"]) if request.GET.get("topic") else None
        author = (
            queries.author_by_slug(request.GET["author"]) if request.GET.get("author") else None
        )
    except InvalidInput as error:
        return HttpResponseBadRequest(error.message, content_type="text/plain; charset=utf-8")
    except NotFound as error:
        raise Http404(error.message) from None
    compact = request.GET.get("compact") == "1"
    page = queries.feed_page(
        before, topic=topic, author=author, relations=False, edition=editions.current()
    )
    subject = topic or author
    base_url = subject.get_absolute_url() if subject else reverse("public:feed")
    context = _feed_list(
        page,
        base_url,
        compact=compact,
        topic=topic.slug if topic else "",
        author=author.slug if author else "",
    )
    return _public(render(request, "public/_feed_more.html", context), request)


@require_safe
def story(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        item = queries.story_by_slug(slug, relations=False)
    except NotFound as error:
        raise Http404(error.message) from None
    edition = editions.current()
    # Live coverage and entries have their own pages; a story of another edition (an address
    # from before editions, /stories/<a Ukrainian story>/) is at its edition's address.
    if item.kind in {"live", "entry"} or item.edition != edition:
        return HttpResponsePermanentRedirect(item.get_absolute_url())
    live_after = latest_event_id()  # before the sidebar's stories, as on the feed
    sidebar = queries.feed_page(
        limit=queries.SIDEBAR_SIZE, include_pinned=True, relations=False, edition=edition
    )
    context = {
        "story": item,
        "parts": fragments.story_parts(item, newest_event=live_after),
        "live_after": live_after,
        **translations.page_values(item),
        **_feed_list(sidebar, reverse("public:feed"), compact=True, newest_event=live_after),
    }
    return _public(render(request, "public/story.html", context), request, f"story-{item.pk}")


def _listing(request: HttpRequest, template: str, key: str, lookup, **filters) -> HttpResponse:
    try:
        subject = lookup(request.resolver_match.kwargs["slug"])
        before, through = _list_cursors(request)
    except NotFound as error:
        raise Http404(error.message) from None
    except InvalidInput as error:
        return _bad_request(request, error)
    live_after = latest_event_id() if before is None and key == "topic" else None  # as on feed
    page = _read_list(before, through, **{key: subject})
    base_url = subject.get_absolute_url()
    context = {
        key: subject,
        "is_first_page": before is None,
        "live_after": live_after,
        **_feed_list(
            page,
            base_url,
            newest_event=live_after,
            start=before,
            newer=_newer(before, page, base_url, **{key: subject}),
            **{key: subject.slug},
        ),
    }
    return _public(render(request, template, context), request, f"{key}-{subject.slug}")


@require_safe
def author(request: HttpRequest, slug: str) -> HttpResponse:
    return _listing(request, "public/author.html", "author", queries.author_by_slug)


@require_safe
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    return _listing(request, "public/topic.html", "topic", queries.topic_by_slug)


# Anonymous readers' copies of a public image: short and revalidated, never `immutable`, so a
# takedown is not outlived by a year-long copy; caches in front of us are purged by key instead.
MEDIA_MAX_AGE = 60
MAX_MEDIA_PATH = 1024  # longer than any name we store: refused before touching the disk


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded images for `make run` and `newsdesk serve` (nginx caches them in front), at
    /media/ only: an image has one address, whatever edition shows it."""
    if not editions.current().is_default:
        raise Http404("No such file.")
    if "\x00" in path or len(path) > MAX_MEDIA_PATH:
        raise Http404("No such file.")
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        target = (root / path).resolve()
        found = root in target.parents and target.is_file()
        stat = target.stat() if found else None
    except (OSError, ValueError):  # a name the file system refuses is no file of ours
        raise Http404("No such file.") from None
    if stat is None:
        raise Http404("No such file.")
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404("No such file.")
    # An upload stays private until a published story or an author uses it (a draft's photo
    # must not leak by its address), and goes private again when they are unpublished; people at
    # the desk see every upload.
    name = target.relative_to(root).as_posix()
    staff = permissions.can_write(request.user)
    keys = None if staff else media_queries.public_file_keys(name)
    if not staff and keys is None:
        raise Http404("No such file.")
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    last_modified = http_date(stat.st_mtime)
    cache_control = "private, no-cache" if staff else f"public, max-age={MEDIA_MAX_AGE}"
    unchanged = get_conditional_response(
        request, etag=etag, last_modified=int(stat.st_mtime), response=None
    )
    if unchanged is not None:  # 304 (or 412 for a failed If-Match)
        response: HttpResponse = unchanged
    else:
        response = FileResponse(target.open("rb"), content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = last_modified
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, ["Cookie"])
    if keys:
        response["Surrogate-Key"] = " ".join(keys)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "public/500.html", status=500)


# ── The way around (issue 16): indexes, the web app manifest, the favicon, the 404 page ──────

NOT_FOUND_LATEST = 5  # stories the 404 page offers
THEME_COLOR = "#0b57d0"  # the accent of newsdesk.css, and of the icons
BACKGROUND_COLOR = "#ffffff"
FAVICON_MAX_AGE = 24 * 60 * 60


@require_safe
def topic_index(request: HttpRequest) -> HttpResponse:
    """Every topic with a published story (`queries.topic_index`). A rename bumps the `names`
    version and a publish the `feed` one, so a cached copy is never older than either."""
    context = {"topics": queries.topic_index(editions.current())}
    return _public(render(request, "public/topic_index.html", context), request, "topics")


@require_safe
def author_index(request: HttpRequest) -> HttpResponse:
    """The newsroom's people (`queries.author_index`), cached like the topic index."""
    context = {"authors": queries.author_index(editions.current())}
    return _public(render(request, "public/author_index.html", context), request, "authors")


@require_safe
def web_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: the newsroom's name, icons and colours for "Add to home screen"."""
    from django.http import JsonResponse
    from django.templatetags.static import static

    manifest = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME[:12],
        "description": jsonld.site_description(),
        "lang": editions.current().language,
        "start_url": reverse("public:feed"),
        "scope": reverse("public:feed"),
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static("newsdesk/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("newsdesk/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("newsdesk/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("newsdesk/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    return cache_headers.public(response, request, ("site",))


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page's icon links say (and feed readers do
    too): sent to the icon among the static files, so no request for it ends in a 404."""
    from django.http import HttpResponseRedirect
    from django.templatetags.static import static

    response = HttpResponseRedirect(static("newsdesk/favicon.ico"))
    response["Cache-Control"] = f"public, max-age={FAVICON_MAX_AGE}"
    return response


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """The 404 page offers a search and the latest stories, so a dead link is not a dead end.
    Only published stories are read (`queries.feed_page`): nothing of what was asked for."""
    latest = queries.feed_page(
        limit=NOT_FOUND_LATEST, include_pinned=True, relations=False, edition=editions.current()
    )
    return render(request, "public/404.html", {"latest": latest.items}, status=404)
