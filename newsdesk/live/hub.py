"""One hub per process: reads new feed events once per wake-up and fans them out to readers.

However many readers a process holds, a publish costs it one database read and one render. What
each reader then costs is kept to one call into the server: readers are grouped by channel (the
News Feed, a topic, a live page, in an edition), each channel's bytes for a wake-up are joined
once, and the hub hands that same bytes object, in the same message, to every reader of the
channel by calling its ASGI `send` itself. granian takes a chunk that fits in the connection's
buffer at once, so no reader's task wakes up and nothing is formatted per reader
(docs/benchmarks.md, "Live fan-out").

A reader whose connection does not take the bytes at once is handed back to its own task, which
waits for the connection and then sends what piled up meanwhile, joined; the hub queues for it in
the meantime, up to LIVE_QUEUE_SIZE chunks. A reader that stays behind past that (it stopped
reading) is dropped rather than grown: its browser reconnects with `Last-Event-ID` and replays.

Ids committed out of order (possible on PostgreSQL, where two transactions take ids before either
commits) are not lost: ids skipped over are remembered as gaps and looked for again for a while.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections

from newsdesk.core import editions
from newsdesk.live import events as live_events
from newsdesk.live.bus import get_bus
from newsdesk.stories import feed_events
from newsdesk.stories.models import FeedEvent

logger = logging.getLogger("newsdesk.live.hub")
FETCH_LIMIT = 500
GAP_PATIENCE_SECONDS = 30.0
HEARTBEAT = b": heartbeat\n\n"

# (edition, topic, live page): what a reader asked to follow; None: any
Channel = tuple[str | None, str | None, str | None]


def body(data: bytes, more: bool = True) -> dict:
    """The ASGI message that sends `data` on a streaming response."""
    return {"type": "http.response.body", "body": data, "more_body": more}


HEARTBEAT_MESSAGE = body(HEARTBEAT)


def _already_sent(result) -> bool:
    """Whether what `send` returned says the bytes are already with the server.

    granian hands a chunk to the connection's buffer inside `send` and returns an empty awaitable
    (`PyEmptyAwaitable`) when it fits; when it does not, it returns an awaitable that must be
    awaited for the write to happen. Other servers (and test clients) return a coroutine, or a
    future that may already be done. Anything not known to be finished is awaited by the
    reader's own task, so any ASGI server stays correct; granian's answer is what makes the
    hub's direct sends fast."""
    if type(result).__name__ == "PyEmptyAwaitable":
        return True
    return isinstance(result, asyncio.Future) and result.done()


def channels_of(event: live_events.EncodedEvent) -> Iterator[Channel]:
    """Every channel whose readers get `event` (a reader may ask for a topic and a live page, in
    its edition). A deleted story's event names no edition and goes to every one."""
    if event.edition is not None:
        languages = (None, event.edition)
    else:
        languages = (None, *(edition.language for edition in editions.every()))
    for language in languages:
        yield language, None, None
        for topic in event.topics:
            yield language, topic, None
        if event.coverage is not None:
            yield language, None, event.coverage
            for topic in event.topics:
                yield language, topic, event.coverage


class Reader:
    """One connected reader: its channel, its connection's `send`, and what waits for it.

    While `direct` is true the connection has taken everything so far and the hub may call
    `send` itself. Otherwise the reader's own task owns the connection (it is sending the
    opening replay, or waiting for a write the connection did not take at once) and the hub
    only appends to `pending`.
    """

    __slots__ = (
        "blocked", "channel", "closed", "coverage", "direct", "edition", "limit", "pending", "send",
        "sent", "skip_upto", "topic", "waiter",
    )  # fmt: skip

    def __init__(
        self,
        topic: str | None,
        size: int,
        coverage: str | None = None,
        edition: str | None = None,
    ) -> None:
        self.topic = topic
        self.edition = edition  # an edition's language: only its stories' events (None: all)
        self.coverage = coverage  # a live page's slug: only its coverage and entries
        self.channel: Channel = (edition, topic, coverage)
        self.limit = size
        self.pending: list[bytes] = []
        self.send = None  # the connection's ASGI send, once the stream has opened
        self.direct = False
        self.blocked = None  # a send the connection did not take at once, to be awaited
        self.waiter: asyncio.Future | None = None
        self.closed = False
        self.sent: set[int] = set()  # ids sent during replay, not to be sent twice
        self.skip_upto = 0  # ids this reader got from another process before reconnecting

    def wants(self, event: live_events.EncodedEvent) -> bool:
        if not event.is_for(self.topic, self.coverage, self.edition):
            return False
        return event.id > self.skip_upto and event.id not in self.sent

    def offer(self, data: bytes, message: dict) -> bool:
        """Give this reader `data` (`message` is `body(data)`, shared by all readers of the
        chunk); False when it is too far behind and must be dropped."""
        if self.direct:
            try:
                result = self.send(message)
            except Exception:  # the connection is finished or gone: its task ends the stream
                self.close()
                return True
            if not _already_sent(result):
                self.direct = False
                self.blocked = result
                self._wake()
            return True
        if self.closed:
            return True
        if len(self.pending) >= self.limit:
            return False
        self.pending.append(data)
        return True

    def close(self) -> None:
        """End this reader's stream, dropping what it has not read."""
        self.closed = True
        self.direct = False
        self.pending.clear()
        self._wake()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def stream(self, send, opening: bytes) -> None:
        """Send `opening` (the replay), then what the hub gives this reader until it is closed;
        then end the response, so a browser reconnects."""
        self.send = send
        await send(body(opening))
        loop = asyncio.get_running_loop()
        while True:
            if self.blocked is not None:
                blocked, self.blocked = self.blocked, None
                await blocked
            elif self.pending:
                chunk = b"".join(self.pending)
                self.pending.clear()
                await send(body(chunk))
            elif self.closed:
                break
            else:
                self.direct = True  # from here the hub sends, until a write is not taken
                self.waiter = loop.create_future()
                await self.waiter
                self.waiter = None
        await send(body(b"", more=False))


@dataclass
class FetchResult:
    events: list[live_events.EncodedEvent]
    last_id: int
    gaps: dict[int, float] = field(default_factory=dict)


def _fetch(last_id: int, gaps: dict[int, float]) -> FetchResult:
    """Runs in the hub's database thread: new events after last_id, plus late-committed gaps."""
    rows = feed_events.events_after(last_id, limit=FETCH_LIMIT)
    found_gaps = list(FeedEvent.objects.filter(pk__in=list(gaps))) if gaps else []
    now = time.monotonic()
    gaps = {
        gap: since
        for gap, since in gaps.items()
        if now - since < GAP_PATIENCE_SECONDS and gap not in {r.pk for r in found_gaps}
    }
    expected = last_id + 1
    for row in rows:
        for missing in range(expected, row.pk):
            gaps[missing] = now
        expected = row.pk + 1
    new_last = rows[-1].pk if rows else last_id
    return FetchResult(live_events.encode(found_gaps + rows), new_last, gaps)


def _in_db_thread(function, *args, **kwargs):
    close_old_connections()
    return function(*args, **kwargs)


class Hub:
    def __init__(self) -> None:
        self.readers: set[Reader] = set()
        self.channels: dict[Channel, set[Reader]] = {}
        self.last_id = 0
        # Events up to this id may already be with some reader (replayed to it, or sent to it by
        # another process before it reconnected here): those are checked reader by reader.
        self.checked_upto = 0
        self.gaps: dict[int, float] = {}
        self._wake = asyncio.Event()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-live-db")
        self._started: asyncio.Future | None = None
        self._tasks: list[asyncio.Task] = []

    async def db(self, function, *args, **kwargs):
        """Run a sync database function on the hub's own thread (one connection per process)."""
        loop = asyncio.get_running_loop()
        call = functools.partial(_in_db_thread, function, *args, **kwargs)
        return await loop.run_in_executor(self._executor, call)

    async def start(self) -> None:
        if self._started is None:
            self._started = asyncio.get_running_loop().create_future()
            try:
                self.last_id = await self.db(feed_events.latest_event_id)
                bus = await self.db(get_bus)
                self._tasks = [
                    asyncio.create_task(bus.listen(self.wake), name="newsdesk-live-bus"),
                    asyncio.create_task(self._run(), name="newsdesk-live-hub"),
                    asyncio.create_task(self._heartbeat(), name="newsdesk-live-heartbeat"),
                ]
                self._started.set_result(True)
            except BaseException as error:
                self._started.set_exception(error)
                self._started = None
                raise
        await self._started

    def wake(self) -> None:
        self._wake.set()

    def add(self, reader: Reader) -> int:
        """Register a reader; returns the last event id it will not get live (its replay bound)."""
        self.readers.add(reader)
        self.channels.setdefault(reader.channel, set()).add(reader)
        return self.last_id

    def remove(self, reader: Reader) -> None:
        self.readers.discard(reader)
        group = self.channels.get(reader.channel)
        if group is not None:
            group.discard(reader)
            if not group:
                del self.channels[reader.channel]

    def check_upto(self, event_id: int) -> None:
        """A reader may already have events up to `event_id`: check those one by one."""
        self.checked_upto = max(self.checked_upto, event_id)

    def _drop(self, reader: Reader) -> None:
        logger.info("Dropping a live reader that stopped reading")
        self.remove(reader)
        reader.close()

    def fan_out(self, events: list[live_events.EncodedEvent]) -> None:
        """Deliver events in order: each run of ordinary (new) events joined per channel and
        handed to each of the channel's readers at once; an event some reader may already have
        (a late-committed gap, or one a reconnected reader got elsewhere) reader by reader."""
        run: list[live_events.EncodedEvent] = []
        for event in events:
            if event.id > self.checked_upto:
                run.append(event)
                continue
            self._fan_out_joined(run)
            run = []
            message = body(event.sse)
            for reader in [r for r in self.readers if r.wants(event)]:
                if not reader.offer(event.sse, message):
                    self._drop(reader)
        self._fan_out_joined(run)

    def _fan_out_joined(self, events: list[live_events.EncodedEvent]) -> None:
        chunks: dict[Channel, list[bytes]] = {}
        for event in events:
            for channel in channels_of(event):
                if channel in self.channels:
                    chunks.setdefault(channel, []).append(event.sse)
        for channel, parts in chunks.items():
            data = b"".join(parts)
            message = body(data)
            behind = [r for r in self.channels[channel] if not r.offer(data, message)]
            for reader in behind:
                self._drop(reader)

    async def check_now(self) -> int:
        """Read and deliver new events; returns how many were delivered."""
        result = await self.db(_fetch, self.last_id, dict(self.gaps))
        self.last_id = max(self.last_id, result.last_id)
        self.gaps = result.gaps
        self.fan_out(result.events)
        return len(result.events)

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=settings.LIVE_POLL_SECONDS)
            self._wake.clear()
            try:
                while await self.check_now() >= FETCH_LIMIT:
                    pass
            except Exception:
                logger.exception("Reading feed events failed; will try again")

    async def _heartbeat(self) -> None:
        """A comment line to every reader now and then, so proxies keep idle streams open."""
        while True:
            await asyncio.sleep(settings.LIVE_HEARTBEAT_SECONDS)
            for reader in list(self.readers):
                if not reader.pending:
                    reader.offer(HEARTBEAT, HEARTBEAT_MESSAGE)


_hubs: dict[asyncio.AbstractEventLoop, Hub] = {}


def get_hub() -> Hub:
    """The hub of the running event loop (one per worker process)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub()
    return hub
