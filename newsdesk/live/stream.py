"""`GET /live/stream`: Server-Sent Events of the feed, served before Django's stack.

A lean ASGI handler, because Django's per-request and per-chunk overhead is what limits a
process to a few thousand live readers (DESIGN.md). It parses the request once at connect,
replays what a reconnecting reader missed (`Last-Event-ID`, or `?after=` for the first
connection from a page that knows the last event it rendered), then streams live events from the
process's hub, with a heartbeat comment every 15 s so proxies keep the connection open.

With the push tier on (`NEWSDESK_PUSH=pushpin`), a request that comes through Pushpin is answered
once instead — the same replay, and GRIP headers telling Pushpin which channel to hold it on
(`live.push`); the built-in hub then holds only readers that reach the app directly.

Never buffered, compressed or cached: the response says so (`Cache-Control: no-store`,
`X-Accel-Buffering: no`) and no Django middleware ever sees it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from urllib.parse import parse_qs

from django.conf import settings

from newsdesk.core import editions
from newsdesk.live import events as live_events
from newsdesk.live import push
from newsdesk.live.hub import Reader, get_hub
from newsdesk.stories import feed_events
from newsdesk.stories.models import Kind, Status, Story, Topic
from newsdesk.stories.queries import possible_slug

logger = logging.getLogger("newsdesk.live.stream")
PATH = "/live/stream"
RETRY_MS = 3000
OPENING = f"retry: {RETRY_MS}\n: connected\n\n".encode()
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store, no-transform"),
    (b"x-accel-buffering", b"no"),
    (b"x-content-type-options", b"nosniff"),
]


class BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def _respond(send, status: int, message: str) -> None:
    body = json.dumps({"error": {"code": status, "message": message}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"cache-control", b"no-store")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _parse(scope) -> tuple[str | None, int | None, str | None, str]:
    if scope["method"] not in {"GET", "HEAD"}:
        raise BadRequest(405, "The live stream only answers GET.")
    try:
        query = parse_qs(scope.get("query_string", b"").decode("utf-8"), max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        raise BadRequest(400, "The query string could not be read.") from None
    topic = (query.get("topic") or [""])[0].strip() or None
    coverage = (query.get("coverage") or [""])[0].strip() or None
    edition = edition_of((query.get("edition") or [""])[0].strip())
    after_text = (query.get("after") or [""])[0].strip()
    for name, value in scope.get("headers", []):
        if name == b"last-event-id":
            after_text = value.decode("latin-1").strip()
    after = None
    if after_text:
        if not (after_text.isascii() and after_text.isdigit()) or len(after_text) > 18:
            raise BadRequest(400, "Last-Event-ID (or ?after=) must be a feed event id (a number).")
        after = int(after_text)
    return topic, after, coverage, edition


def edition_of(name: str) -> str:
    """The edition a reader asked for (`?edition=uk`; none: the edition at /), as a language;
    BadRequest(404) for an edition there is not."""
    if not name:
        return editions.default().language
    edition = editions.by_name(name)
    if edition is None:
        known = ", ".join(e.language for e in editions.every())
        raise BadRequest(404, f"There is no edition {name!r}: the editions are {known}.")
    return edition.language


def _topic_exists(slug: str) -> bool:
    return possible_slug(slug) and Topic.objects.filter(slug=slug).exists()


def _coverage_exists(slug: str) -> bool:
    return (
        possible_slug(slug)
        and Story.objects.filter(slug=slug, kind=Kind.LIVE, status=Status.PUBLISHED).exists()
    )


def _reset(last_id: int) -> bytes:
    return f'id: {last_id}\nevent: reset\ndata: {{"id":{last_id}}}\n\n'.encode()


async def _catch_up(hub, reader: Reader, after: int, snapshot: int) -> bytes:
    """What to send before live events: the missed events, or a reset when too many."""
    if after > snapshot:
        if after > await hub.db(feed_events.latest_event_id):
            return _reset(snapshot)  # an id from another database's history
        reader.skip_upto = after  # it already has these from another process
        hub.check_upto(after)
        return b""
    if after == snapshot:
        return b""
    missed = await hub.db(
        live_events.replay, after, upto=snapshot, limit=settings.LIVE_REPLAY_LIMIT
    )
    if missed is None:
        return _reset(snapshot)
    chunks = []
    for event in missed:
        reader.sent.add(event.id)
        if event.is_for(reader.topic, reader.coverage, reader.edition):
            chunks.append(event.sse)
    hub.check_upto(snapshot)
    return b"".join(chunks)


def _push_tier_replay(
    topic: str | None, after: int | None, edition: str, coverage: str | None = None
) -> tuple[bytes, int]:
    """(the replay for a reader Pushpin will hold, the last event of its channel it covers)."""
    snapshot = feed_events.latest_event_id()
    prev_id = push.last_on_channel(push.reader_channel(topic, edition, coverage), snapshot)
    if after is None or after == snapshot:
        return b"", prev_id
    if after > snapshot:
        return _reset(snapshot), prev_id  # an id from another database's history
    missed = live_events.replay(after, upto=snapshot, limit=settings.LIVE_REPLAY_LIMIT)
    if missed is None:
        return _reset(snapshot), prev_id
    wanted = [e.sse for e in missed if e.is_for(topic, coverage, edition)]
    return b"".join(wanted), prev_id


async def _answer_for_push_tier(
    scope,
    send,
    hub,
    topic: str | None,
    after: int | None,
    edition: str,
    coverage: str | None = None,
) -> None:
    """Answer once and let Pushpin hold the reader (`live.push`): the replay as the body, the
    channel to hold as headers. Pushpin's recovery requests (`Grip-Last`) get the replay after
    the reader's last event, without the opening lines."""
    recovering = push.grip_last_id(scope)
    if recovering is not None:
        after = recovering
    body, prev_id = await hub.db(_push_tier_replay, topic, after, edition, coverage)
    if recovering is None:
        body = OPENING + body
    headers = HEADERS + push.grip_headers(topic, prev_id, edition, coverage)
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def live_stream(scope, receive, send) -> None:
    try:
        topic, after, coverage, edition = _parse(scope)
        hub = get_hub()
        await hub.start()
        if topic is not None and not await hub.db(_topic_exists, topic):
            raise BadRequest(404, f"There is no topic {topic!r}.")
        if coverage is not None and not await hub.db(_coverage_exists, coverage):
            raise BadRequest(404, f"There is no live coverage {coverage!r}.")
    except BadRequest as error:
        await _respond(send, error.status, error.message)
        return

    if push.is_grip_request(scope):
        try:
            await _answer_for_push_tier(scope, send, hub, topic, after, edition, coverage)
        except Exception:
            logger.exception("Answering Pushpin failed")
            await _respond(send, 503, "The live stream is unavailable for a moment; try again.")
        return

    reader = Reader(topic, settings.LIVE_QUEUE_SIZE, coverage, edition)
    snapshot = hub.add(reader)

    async def watch_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        reader.close()

    watcher = asyncio.create_task(watch_disconnect())
    try:
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        if scope["method"] == "HEAD":
            await send({"type": "http.response.body", "body": b""})
            return
        first = OPENING
        if after is not None:
            first += await _catch_up(hub, reader, after, snapshot)
        # Live events now come from the hub, which sends to this connection itself while it
        # keeps up; this task only waits, and ends the response when the reader is dropped
        # (too slow) or disconnects, so a browser reconnects.
        await reader.stream(send, first)
    except (OSError, RuntimeError):
        pass  # the reader went away mid-send
    except Exception:
        logger.exception("Live stream failed")
    finally:
        hub.remove(reader)
        watcher.cancel()
