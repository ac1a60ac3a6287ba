"""What readers see. Thin views: every read goes through `stories.queries`."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from newsdesk.cache import headers as cache_headers
from newsdesk.live.events import latest_event_id
from newsdesk.media import queries as media_queries
from newsdesk.public import fragments
from newsdesk.stories import permissions, queries
from newsdesk.stories.errors import InvalidInput, NotFound
from newsdesk.stories.queries import Cursor

SIDEBAR_ITEMS = 8


def _cursor(request: HttpRequest, name: str = "before") -> Cursor | None:
    token = request.GET.get(name, "").strip()
    return Cursor.decode(token) if token else None


def _public(response: HttpResponse, request: HttpRequest, *keys: str) -> HttpResponse:
    """Anonymous pages may be kept (our page cache, nginx, a CDN) until the next feed event; an
    editor's never are. Every reader page shows the newest items, so each names `feed`."""
    return cache_headers.public(response, request, ("feed", *keys))


def _bad_request(request: HttpRequest, error: InvalidInput) -> HttpResponse:
    html = render_to_string("public/400.html", {"message": error.message}, request=request)
    return HttpResponseBadRequest(html)


def _show_more(page: queries.Page, base_url: str, **params: str) -> dict[str, str]:
    """Links for Show More: a plain next page without JavaScript, a fragment to append with it."""
    if not page.has_more:
        return {"more_href": "", "more_fragment": ""}
    query = urlencode(
        {"before": page.next_cursor.encode(), **{k: v for k, v in params.items() if v}}
    )
    return {
        "more_href": f"{base_url}?before={page.next_cursor.encode()}",
        "more_fragment": f"{reverse('public:feed_more')}?{query}",
    }


@require_safe
def feed(request: HttpRequest) -> HttpResponse:
    try:
        before = _cursor(request)
    except InvalidInput as error:
        return _bad_request(request, error)
    page = queries.feed_page(before, relations=False)
    context = {
        "page": page,
        "pinned": queries.pinned_stories(relations=False) if before is None else [],
        "is_first_page": before is None,
        "live_after": latest_event_id() if before is None else None,
        **_show_more(page, reverse("public:feed")),
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
    page = queries.feed_page(before, topic=topic, author=author, relations=False)
    subject = topic or author
    base_url = subject.get_absolute_url() if subject else reverse("public:feed")
    links = _show_more(
        page,
        base_url,
        topic=topic.slug if topic else "",
        author=author.slug if author else "",
        compact="1" if compact else "",
    )
    context = {"page": page, "compact": compact, **links}
    return _public(render(request, "public/_feed_more.html", context), request)


@require_safe
def story(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        item = queries.story_by_slug(slug, relations=False)
    except NotFound as error:
        raise Http404(error.message) from None
    sidebar = queries.feed_page(limit=SIDEBAR_ITEMS, include_pinned=True, relations=False)
    context = {
        "story": item,
        "parts": fragments.story_parts(item),  # the article and its head metadata
        "sidebar": sidebar,
        "sidebar_links": _show_more(sidebar, reverse("public:feed"), compact="1"),
        "live_after": latest_event_id(),
    }
    return _public(render(request, "public/story.html", context), request, f"story-{item.pk}")


def _listing(request: HttpRequest, template: str, key: str, lookup, **filters) -> HttpResponse:
    try:
        subject = lookup(request.resolver_match.kwargs["slug"])
        before = _cursor(request)
    except NotFound as error:
        raise Http404(error.message) from None
    except InvalidInput as error:
        return _bad_request(request, error)
    page = queries.feed_page(before, relations=False, **{key: subject})
    context = {
        key: subject,
        "page": page,
        "is_first_page": before is None,
        "live_after": latest_event_id() if before is None and key == "topic" else None,
        **_show_more(page, subject.get_absolute_url(), **{key: subject.slug}),
    }
    return _public(render(request, template, context), request, f"{key}-{subject.slug}")


@require_safe
def author(request: HttpRequest, slug: str) -> HttpResponse:
    return _listing(request, "public/author.html", "author", queries.author_by_slug)


@require_safe
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    return _listing(request, "public/topic.html", "topic", queries.topic_by_slug)


@require_safe
def media(request: HttpRequest, path: str) -> FileResponse:
    """Uploaded images for `make run`; behind nginx, nginx serves /media/ itself."""
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404("No such file.")
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404("No such file.")
    # An upload stays private until a published story or an author uses it (a draft's photo
    # must not leak by its address); people at the desk see every upload.
    name = target.relative_to(root).as_posix()
    staff = permissions.can_write(request.user)
    if not staff and not media_queries.is_public_file(name):
        raise Http404("No such file.")
    response = FileResponse(target.open("rb"), content_type=content_type)
    if staff:
        response["Cache-Control"] = "private, no-cache"
    else:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "public/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "public/500.html", status=500)
