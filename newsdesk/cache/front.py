"""The ASGI layer in front of Django that answers anonymous reader pages from `store`.

A hit costs a cache lookup and no Django at all, so the headers sent are the ones Django's
middleware produced when the page was rendered (CSP, X-Content-Type-Options, Referrer-Policy,
X-Frame-Options, Vary, Cache-Control, Surrogate-Key): identical by construction. A miss goes to
Django; what comes back is stored only when it is a 200 marked `public` with a `Surrogate-Key`
(see `headers.public`) and sets no cookie. Requests that carry a session cookie, that are not
GET/HEAD, or that go to the desk, admin, API, live, static or media paths never touch the store.

ETag (a hash of the body) and Last-Modified (when the copy was rendered) are added to every page
that passes here, and conditional requests get a 304.

After a takedown, correction or edit (`versions` names it `purge`) no copy rendered before it is
given to anyone: not as a stale copy while the new one renders, not to a HEAD, not as a 304.
"""

from __future__ import annotations

import asyncio
import logging
import time
from email.utils import parsedate_to_datetime

from django.conf import settings

from newsdesk.cache import store, versions

logger = logging.getLogger("newsdesk.cache")

SKIP_PREFIXES = ("/desk/", "/admin/", "/api/", "/live/", "/static/", "/media/")
STATUS = b"x-newsdesk-cache"
# A reader arriving while the one render of a cold page is under way waits this long for it.
WAIT_SECONDS = 1.0
_NOT_MODIFIED_DROP = {b"content-type", b"content-length"}


def header(scope, name: bytes) -> bytes:
    for key, value in scope["headers"]:
        if key == name:
            return value
    return b""


def has_session(scope) -> bool:
    cookie = header(scope, b"cookie")
    if not cookie:
        return False
    name = settings.SESSION_COOKIE_NAME.encode()
    return any(part.strip().split(b"=", 1)[0] == name for part in cookie.split(b";"))


def _candidate(scope) -> bool:
    return (
        scope["type"] == "http"
        and scope["method"] in {"GET", "HEAD"}
        and not scope["path"].startswith(SKIP_PREFIXES)
        and not has_session(scope)
    )


def _storable(status: int, headers: list[tuple[bytes, bytes]]) -> bool:
    names = {k.lower(): v for k, v in headers}
    return (
        status == 200
        and b"surrogate-key" in names
        and b"public" in names.get(b"cache-control", b"")
        and b"set-cookie" not in names
        and b"etag" not in names  # a view with its own validators (feeds) answers itself
    )


# A copy dated this long after the last purge was rendered after every process had seen it.
PURGE_MARGIN_SECONDS = 2


def _not_modified(scope, entry: store.Entry) -> bool:
    match = header(scope, b"if-none-match")
    if match:
        tags = {t.strip().removeprefix(b"W/") for t in match.split(b",")}
        return entry.etag in tags or b"*" in tags
    since = header(scope, b"if-modified-since")
    if since:
        try:
            when = parsedate_to_datetime(since.decode("latin-1")).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        # Dates are whole seconds: a copy from before a takedown in the same second would match
        # the new copy's date. So the client's copy must also date from after the last purge.
        return when >= int(entry.created) and when >= versions.purged_at() + PURGE_MARGIN_SECONDS
    return False


async def _send_entry(scope, send, entry: store.Entry, status: bytes) -> None:
    extra = [(b"etag", entry.etag), (b"last-modified", entry.last_modified), (STATUS, status)]
    if _not_modified(scope, entry):
        headers = [h for h in entry.headers if h[0].lower() not in _NOT_MODIFIED_DROP]
        await send({"type": "http.response.start", "status": 304, "headers": headers + extra})
        await send({"type": "http.response.body", "body": b""})
        return
    body = b"" if scope["method"] == "HEAD" else entry.body
    await send(
        {"type": "http.response.start", "status": entry.status, "headers": entry.headers + extra}
    )
    await send({"type": "http.response.body", "body": body})


class PageCache:
    """ASGI middleware: `PageCache(django_application)`."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if not settings.PAGE_CACHE or not _candidate(scope):
            return await self.app(scope, receive, send)
        versions.sync.ensure_started()
        key = store.key_for(header(scope, b"host"), scope["path"], scope["query_string"])
        head = scope["method"] == "HEAD"
        try:
            now_versions = versions.current()
            began = time.time()
            entry = store.get(key, now_versions)
            if entry is not None and entry.is_fresh(now_versions, began):
                return await _send_entry(scope, send, entry, b"hit")
            if entry is not None and not entry.may_stand_in(now_versions):
                entry = None  # rendered before a takedown: never given again, in any form
            if head and entry is None:
                return await self.app(scope, receive, send)
            renderer = not head and store.claim_render(key)
        except Exception:  # the cache is an accelerator: without it, Django answers
            logger.exception("page cache unavailable; rendering")
            return await self.app(scope, receive, send)
        if not renderer:
            if entry is not None:  # someone is rendering the new copy: have the last one
                return await _send_entry(scope, send, entry, b"stale")
            entry = await self._wait_for(key, now_versions)
            if entry is not None:
                return await _send_entry(scope, send, entry, b"hit")
        try:
            await self._render(scope, receive, send, key, now_versions, began)
        finally:
            if renderer:
                store.release_render(key)

    async def _wait_for(self, key: str, now_versions) -> store.Entry | None:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            await asyncio.sleep(0.01)
            held = store.rendering(key)  # before the entry: a render stores, then unlocks
            entry = store.get(key)
            if entry is not None and entry.versions == now_versions:
                return entry
            if not held:  # the render ended with nothing kept (a 404 after a takedown)
                return None
        return None

    async def _render(self, scope, receive, send, key: str, now_versions, began: float) -> None:
        """Run Django; store and answer a storable page, stream anything else straight through."""
        start: dict = {}
        chunks: list[bytes] = []
        passing = False

        async def capture(message) -> None:
            nonlocal passing
            if message["type"] == "http.response.start":
                start.update(message)
                passing = scope["method"] != "GET" or not _storable(
                    message["status"], list(message.get("headers", []))
                )
                if passing:
                    await send(message)
                return
            if passing:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                # Dated when rendering began (the versions were read then), not when it ended.
                entry = store.Entry(
                    now_versions,
                    start["status"],
                    list(start["headers"]),
                    b"".join(chunks),
                    created=began,
                )
                try:
                    store.put(key, entry)
                except Exception:
                    logger.exception("could not store a page")
                await _send_entry(scope, send, entry, b"miss")

        await self.app(scope, receive, capture)
