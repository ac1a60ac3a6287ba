"""The push tier: Pushpin holds the live readers, the app answers each once and publishes to it.

With `NEWSDESK_PUSH=pushpin` a reader's `GET /live/stream` that comes through Pushpin (it carries
`Grip-Sig`) is answered once, by the same lean handler (`live.stream`): the replay it computes
from `Last-Event-ID` / `?after=` out of the database, and GRIP headers telling Pushpin to hold
the connection on the reader's channel. After each feed event commits, `Publisher` sends it to
Pushpin's publish endpoint from a background thread; Pushpin writes it to every held reader.
A request straight to the app (no Pushpin in front, `newsdesk serve` alone) is served by the
built-in hub as before.

Channels: `feed` (every event: the News Feed), `topic-<slug>` (the events of stories in that
topic) and `live-<slug>` (a live page: the events of the coverage and of its entries; a published
coverage's slug never changes). The channels of an edition other than the one at / carry its
language in front (`uk:feed`, `uk:topic-<slug>`, `uk:live-<slug>`): each edition's readers get
only its stories, chained by the ids of its own events.

Exactly once, in order (Pushpin's "reliable" streaming):
- every item carries `id` = the feed event's id and `prev-id` = the id of the event before it on
  the same channel, read from the database (`feed_events.last_event_id_upto`), so two app
  processes publishing agree. Pushpin drops an id it already has (two publishers, a retry) and
  holds an item whose predecessor has not arrived yet (up to `message_wait`, 5 s).
- the answer to a reader names the last event of its channel that its replay covered
  (`Grip-Channel: feed; prev-id=N`) and a `Grip-Link: <…>; rel=next`. Whenever the next item a
  reader gets does not follow the one before (a publish lost while Pushpin was away, an event
  published between our answer and Pushpin's subscribing), Pushpin asks that link again with
  `Grip-Last: feed; last-id=<the reader's last id>` and writes our replay from the database.
So nothing depends on a publish arriving: a lost one costs a replay, never an event.

Publishing never waits on readers or on Pushpin: the editor's request only puts event ids on this
process's queue (`on_feed_events_committed`). A Pushpin that is down costs the publisher a few
retries (`BACKOFF`), then the batch is given up (logged); readers held by that Pushpin lost their
connections anyway and replay from the database when they reconnect with `Last-Event-ID`.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import queue
import re
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import quote

from django.conf import settings
from django.db import close_old_connections

from newsdesk.core import editions
from newsdesk.live import events as live_events
from newsdesk.stories import feed_events
from newsdesk.stories.models import FeedEvent

logger = logging.getLogger("newsdesk.live.push")

FEED_CHANNEL = "feed"
TOPIC_PREFIX = "topic-"
LIVE_PREFIX = "live-"
BACKOFF = (0.2, 0.5, 1.0)  # seconds before each retry of a publish; then it is given up
TIMEOUT_SECONDS = 2
BATCH_MAX = 200  # events in one publish request
EXIT_FLUSH_SECONDS = 5  # a process that published waits this long at exit for the publisher
_LAST_ID = re.compile(r"last-id=([0-9]{1,18})")


# ── channels ──


def _edition_prefix(edition: str | None) -> str:
    if edition is None or edition == editions.default().language:
        return ""
    return f"{edition}:"


def reader_channel(
    topic: str | None, edition: str | None = None, coverage: str | None = None
) -> str:
    """The channel a reader of the News Feed, of one topic or of one live page of `edition` is
    held on."""
    if coverage is not None:
        channel = f"{LIVE_PREFIX}{coverage}"
    else:
        channel = FEED_CHANNEL if topic is None else f"{TOPIC_PREFIX}{topic}"
    return _edition_prefix(edition) + channel


def channels_of(event: live_events.EncodedEvent) -> list[str]:
    """Every channel an event goes to: its edition's feed, the channel of each topic of its
    story in that edition, and its live page's when it is a live coverage or one of its
    entries."""
    prefix = _edition_prefix(event.edition)
    topics = (f"{prefix}{TOPIC_PREFIX}{slug}" for slug in sorted(event.topics))
    channels = [f"{prefix}{FEED_CHANNEL}", *topics]
    if event.coverage is not None:
        channels.append(f"{prefix}{LIVE_PREFIX}{event.coverage}")
    return channels


def _parts(channel: str) -> tuple[str | None, str | None, str | None]:
    """(the channel's edition, None for the one at /; its topic; its live page's slug)."""
    edition, _, name = channel.rpartition(":")
    topic = name.removeprefix(TOPIC_PREFIX) if name.startswith(TOPIC_PREFIX) else None
    coverage = name.removeprefix(LIVE_PREFIX) if name.startswith(LIVE_PREFIX) else None
    return edition or None, topic, coverage


def last_on_channel(channel: str, upto: int) -> int:
    """The id of the newest event on `channel` with id ≤ upto (0 for none): a `prev-id`."""
    edition, topic, coverage = _parts(channel)
    found = (editions.by_name(edition) if edition else None) or editions.default()
    return feed_events.last_event_id_upto(upto, topic=topic, coverage=coverage, edition=found)


# ── answering a reader that Pushpin holds ──


def is_grip_request(scope) -> bool:
    """True when the push tier is on and this stream request came through Pushpin: its first
    request carries `Grip-Sig`, its recovery requests `Grip-Last`."""
    if settings.PUSH != "pushpin" or scope["method"] != "GET":
        return False
    return any(name in {b"grip-sig", b"grip-last"} for name, _ in scope.get("headers", []))


def grip_last_id(scope) -> int | None:
    """The reader's last event id from Pushpin's `Grip-Last: <channel>; last-id=N`, if any."""
    for name, value in scope.get("headers", []):
        if name == b"grip-last":
            found = _LAST_ID.search(value.decode("latin-1"))
            if found:
                return int(found.group(1))
    return None


def grip_headers(
    topic: str | None, prev_id: int, edition: str | None = None, coverage: str | None = None
) -> list[tuple[bytes, bytes]]:
    """Hold the stream on the reader's channel, chained at `prev_id`, with a heartbeat comment
    every 15 s when nothing else was sent, and the link to ask again after a gap."""
    channel = reader_channel(topic, edition, coverage)
    heartbeat = settings.LIVE_HEARTBEAT_SECONDS  # as the built-in hub
    query = []
    if coverage is not None:
        query.append(f"coverage={quote(coverage)}")
    elif topic is not None:
        query.append(f"topic={quote(topic)}")
    if edition is not None and _edition_prefix(edition):
        query.append(f"edition={quote(edition)}")
    link = "/live/stream" + (f"?{'&'.join(query)}" if query else "")
    return [
        (b"grip-hold", b"stream"),
        (b"grip-channel", f"{channel}; prev-id={prev_id}".encode()),
        (b"grip-link", f"<{link}>; rel=next".encode()),
        (b"grip-keep-alive", f": heartbeat\\n\\n; format=cstring; timeout={heartbeat}".encode()),
    ]


# ── publishing ──


def publish_urls() -> list[str]:
    urls = []
    for url in re.split(r"[\s,]+", settings.PUSHPIN_PUBLISH_URL or ""):
        if url.startswith(("http://", "https://")):
            urls.append(url)
        elif url:
            logger.error("NEWSDESK_PUSHPIN_PUBLISH_URL: %r is not an http(s) URL", url)
    return urls


def items_for(event_ids: list[int]) -> list[dict]:
    """Pushpin publish items for these committed events, oldest first, one per channel each."""
    rows = list(FeedEvent.objects.filter(pk__in=event_ids).order_by("pk"))
    items = []
    for event in live_events.encode(rows):
        content = event.sse.decode()
        for channel in channels_of(event):
            items.append(
                {
                    "channel": channel,
                    "id": str(event.id),
                    "prev-id": str(last_on_channel(channel, event.id - 1)),
                    "formats": {"http-stream": {"content": content}},
                }
            )
    return items


def send(url: str, items: list[dict]) -> None:
    """POST items to one Pushpin; raises OSError (URLError) when it fails."""
    body = json.dumps({"items": items}, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 (publish_urls keeps http(s) only)
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (the same)
        response.read()


class Publisher:
    """One per process: a queue of committed event ids and a thread that publishes them."""

    def __init__(self) -> None:
        self.queue: queue.SimpleQueue[list[int]] = queue.SimpleQueue()
        self._submitted = 0
        self._done = 0
        self._idle = threading.Condition()
        self.thread = threading.Thread(target=self._run, name="newsdesk-push", daemon=True)
        self.thread.start()

    def submit(self, event_ids: list[int]) -> None:
        """Called after commit, in the writer's thread: never blocks."""
        with self._idle:
            self._submitted += 1
        self.queue.put(list(event_ids))

    def flush(self, timeout: float) -> bool:
        """Wait until everything submitted was handed to Pushpin (or given up); False on timeout.
        A command that publishes (`newsdesk import`, a scheduler run) calls it before exiting."""
        with self._idle:
            return self._idle.wait_for(lambda: self._done >= self._submitted, timeout)

    def _take_batch(self) -> tuple[list[int], int]:
        ids = set(self.queue.get())
        taken = 1
        while len(ids) < BATCH_MAX:
            try:
                ids.update(self.queue.get_nowait())
            except queue.Empty:
                break
            taken += 1
        return sorted(ids), taken

    def _run(self) -> None:
        while True:
            ids, taken = self._take_batch()
            try:
                self._publish(ids)
            finally:
                with self._idle:
                    self._done += taken
                    self._idle.notify_all()

    def _publish(self, ids: list[int]) -> None:
        try:
            close_old_connections()
            items = items_for(ids)
        except Exception:
            logger.exception("Could not read feed events %s to publish; readers will replay", ids)
            return
        finally:
            close_old_connections()
        for url in publish_urls():
            self._send_with_retries(url, items, ids)

    @staticmethod
    def _send_with_retries(url: str, items: list[dict], ids: list[int]) -> None:
        for attempt, delay in enumerate((0.0, *BACKOFF)):
            if delay:
                time.sleep(delay)  # a background thread backing off; nobody waits for it
            try:
                send(url, items)
                return
            except (OSError, ValueError) as error:
                if attempt == len(BACKOFF):
                    logger.warning(
                        "Pushpin at %s did not take feed events %s (%s); its readers will "
                        "replay them from the database",
                        url,
                        ids,
                        error,
                    )


_publisher: Publisher | None = None
_publisher_pid = 0
_lock = threading.Lock()


def get_publisher() -> Publisher:
    """This process's publisher, started on first use (and again in a forked worker)."""
    global _publisher, _publisher_pid
    with _lock:
        if _publisher is None or _publisher_pid != os.getpid():
            _publisher, _publisher_pid = Publisher(), os.getpid()
            atexit.register(_publisher.flush, EXIT_FLUSH_SECONDS)
        return _publisher


def on_feed_events_committed(sender, event_ids: list[int], **kwargs) -> None:
    """Receiver of `stories.signals.feed_events_committed` when `NEWSDESK_PUSH=pushpin`."""
    if event_ids:
        get_publisher().submit(event_ids)
