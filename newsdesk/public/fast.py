"""The reader fast path: the News Feed and story pages for anonymous readers, without Django's
request cycle, when this process already holds every drawn part of them.

Why: with the page cache off (or on a miss), an anonymous feed or story page cost Django's
request cycle (request object, middleware, URL resolving, response) plus a handful of ORM
queries, while the page itself was mostly parts this process had drawn before
(`public.fragments`, `public.shells`). Here each request still reads the database for what is
current (the newest stories, the pinned ones, the story, where the live stream starts; prepared
reads, `stories.prepared`), then joins the parts kept under the keys those rows give. Nothing is
served that the database does not say is current and published.

When anything is missing (a part not drawn yet, an unknown story, a card whose links this process
has not read, a cache outage, a query string, a session cookie, HEAD) the request goes to Django,
which draws and keeps what was missing; so does any error. The headers are the ones Django's
middleware sent (CSP, X-Frame-Options, Vary, Cache-Control, …), remembered from its last anonymous
200 for the same kind of page and the same Host, scheme and forwarding headers: so the fast path
answers nothing Django has not accepted (an unknown Host gets Django's 400, plain HTTP under
`NEWSDESK_HTTPS` its redirect). `NEWSDESK_FAST_PATH=false` turns it off.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections
from django.urls import reverse

from newsdesk.cache import versions
from newsdesk.cache.front import has_session, header
from newsdesk.public import fragments, pages, shells
from newsdesk.stories import queries
from newsdesk.stories.feed_events import latest_event_id
from newsdesk.syndication import jsonld

logger = logging.getLogger("newsdesk.public")

STATUS = b"x-newsdesk-path"
_OWN_HEADERS = {b"content-length", b"surrogate-key"}


def feed_page() -> tuple[str, str] | None:
    """(HTML, Surrogate-Key) of the first page of the News Feed, or None."""
    names = versions.names_or_none()
    if names is None:
        return None
    live_after = str(latest_event_id())  # first: an event after the rows is sent, not lost
    pinned, rows = queries.front_page_rows()
    items = rows[: queries.PAGE_SIZE]
    try:
        cards = fragments.linked_versions([*pinned, *items])
    except KeyError:
        return None
    pinned_html = fragments.kept_items(pinned, compact=False, names=names, cards=cards)
    items_html = fragments.kept_items(items, compact=False, names=names, cards=cards)
    live_blog = jsonld.live_blog_script(pinned, items, kept_only=True)
    key = pages.feed_shell_key(
        names, authenticated=False, first_page=True, has_pinned=bool(pinned), has_items=bool(items)
    )
    shell = shells.kept(key)
    if any(part is None for part in (pinned_html, items_html, live_blog, shell)):
        return None
    cursor = pages.next_cursor(rows, queries.PAGE_SIZE)
    values = pages.feed_values(pinned_html, items_html, cursor, live_after, live_blog)
    return shell.fill(values), "feed"


def story_page(slug: str) -> tuple[str, str] | None:
    """(HTML, Surrogate-Key) of a published story's page, or None."""
    names = versions.names_or_none()
    story = queries.story_row(slug) if names is not None else None
    if story is None:
        return None
    live_after = str(latest_event_id())
    rows = queries.sidebar_rows()
    sidebar = rows[: queries.SIDEBAR_SIZE]
    try:
        cards = fragments.linked_versions([story, *sidebar])
    except KeyError:
        return None
    sidebar_html = fragments.kept_items(sidebar, compact=True, names=names, cards=cards)
    story_key = fragments.story_key(story, story.image_texts, names, cards)
    shell = shells.kept(
        pages.story_shell_key(story_key, authenticated=False, has_sidebar=bool(sidebar))
    )
    if sidebar_html is None or shell is None:
        return None
    cursor = pages.next_cursor(rows, queries.SIDEBAR_SIZE)
    values = pages.story_values(sidebar_html, cursor, live_after)
    return shell.fill(values), f"feed story-{story.pk}"


def _render(kind: str, slug: str) -> tuple[str, str] | None:
    # What Django does before and after each request: drop a broken or old connection, and hand
    # a pooled one back (PostgreSQL with NEWSDESK_DATABASE_POOL).
    close_old_connections()
    try:
        return feed_page() if kind == "feed" else story_page(slug)
    except Exception:  # the fast path is an accelerator: on any error Django answers
        logger.exception("reader fast path failed; Django answers")
        return None
    finally:
        close_old_connections()


def _origin(scope) -> tuple:
    """What Django's middleware decides on before any view runs (ALLOWED_HOSTS, the HTTPS
    redirect): the scheme, Host and the proxy's forwarding headers."""
    return (
        scope.get("scheme", "http"),
        header(scope, b"host"),
        header(scope, b"x-forwarded-proto"),
        header(scope, b"x-forwarded-host"),
    )


class FastReader:
    """ASGI middleware in front of Django: `FastReader(django_application)`."""

    MAX_REMEMBERED = 256  # (kind, origin) pairs; Django accepts few hosts, so this never fills

    def __init__(self, app) -> None:
        self.app = app
        self._headers: dict[tuple, list[tuple[bytes, bytes]]] = {}
        self._story_prefix = ""
        # Its own few threads, like Django's (config.asgi), each keeping one database connection.
        self._threads = ThreadPoolExecutor(settings.DJANGO_THREADS, "newsdesk-fast")

    def _route(self, scope) -> tuple[str, str] | None:
        """("feed" | "story", slug) for a request the fast path may answer."""
        if not settings.READER_FAST_PATH or scope["type"] != "http" or scope["method"] != "GET":
            return None
        if scope["query_string"] or has_session(scope):
            return None
        if not self._story_prefix:
            self._story_prefix = reverse("public:story", kwargs={"slug": "-"})[:-2]
        path = scope["path"]
        if path == "/":
            return "feed", ""
        if path.startswith(self._story_prefix) and path.endswith("/"):
            slug = path[len(self._story_prefix) : -1]
            if slug and "/" not in slug:
                return "story", slug
        return None

    async def __call__(self, scope, receive, send) -> None:
        route = self._route(scope)
        if route is None:
            return await self.app(scope, receive, send)
        kind, slug = route
        remembered = (kind, _origin(scope))
        headers = self._headers.get(remembered)
        found = None
        if headers:
            loop = asyncio.get_running_loop()
            found = await loop.run_in_executor(self._threads, _render, kind, slug)
        if found is None:
            return await self.app(scope, receive, self._remembering(remembered, send))
        html, surrogate_key = found
        body = html.encode()
        own = [
            (b"content-length", str(len(body)).encode()),
            (b"surrogate-key", surrogate_key.encode()),
            (STATUS, b"fast"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers + own})
        await send({"type": "http.response.body", "body": body})

    def _remembering(self, remembered: tuple, send):
        """`send`, remembering the headers of Django's anonymous 200 for this kind and origin."""

        async def remembering_send(message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"set-cookie" for name, _ in headers):
                    if len(self._headers) >= self.MAX_REMEMBERED:
                        self._headers.clear()
                    self._headers[remembered] = [
                        h for h in headers if h[0].lower() not in _OWN_HEADERS
                    ]
            await send(message)

        return remembering_send
