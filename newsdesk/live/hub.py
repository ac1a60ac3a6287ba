"""One hub per process: reads new feed events once per wake-up and fans them out to readers.

However many readers a process holds, a publish costs it one database read and one render; each
reader then only gets bytes put on its own bounded queue. A reader whose queue is full (it stopped
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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections

from newsdesk.live import events as live_events
from newsdesk.live.bus import get_bus
from newsdesk.stories import feed_events
from newsdesk.stories.models import FeedEvent

logger = logging.getLogger("newsdesk.live.hub")
FETCH_LIMIT = 500
GAP_PATIENCE_SECONDS = 30.0
HEARTBEAT = b": heartbeat\n\n"


class Reader:
    """One connected reader: the bytes waiting for it, and what it already has.

    A plain list and one future instead of an `asyncio.Queue` and a timeout per message: with
    10,000 readers every microsecond spent per reader per event shows in the latency.
    """

    __slots__ = (
        "buffer", "closed", "coverage", "edition", "limit", "sent", "skip_upto", "topic", "waiter",
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
        self.limit = size
        self.buffer: list[bytes] = []
        self.waiter: asyncio.Future | None = None
        self.closed = False
        self.sent: set[int] = set()  # ids sent during replay, not to be sent twice
        self.skip_upto = 0  # ids this reader got from another process before reconnecting

    def wants(self, event: live_events.EncodedEvent) -> bool:
        if not event.for_edition(self.edition):
            return False
        if self.topic is not None and self.topic not in event.topics:
            return False
        if self.coverage is not None and self.coverage != event.coverage:
            return False
        return event.id > self.skip_upto and event.id not in self.sent

    def push(self, data: bytes) -> bool:
        """Queue bytes for this reader; False when it is too far behind (it must be dropped)."""
        if len(self.buffer) >= self.limit:
            return False
        self.buffer.append(data)
        self._wake()
        return True

    def close(self) -> None:
        """End this reader's stream, dropping what it has not read."""
        self.closed = True
        self.buffer.clear()
        self._wake()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def take(self) -> bytes | None:
        """Everything waiting, as one chunk; None once the reader is closed."""
        while not self.buffer:
            if self.closed:
                return None
            self.waiter = asyncio.get_running_loop().create_future()
            await self.waiter
            self.waiter = None
        if self.closed:
            return None
        chunk = b"".join(self.buffer)
        self.buffer.clear()
        return chunk


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
        self.last_id = 0
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
        return self.last_id

    def remove(self, reader: Reader) -> None:
        self.readers.discard(reader)

    def fan_out(self, event: live_events.EncodedEvent) -> None:
        for reader in list(self.readers):
            if not reader.wants(event):
                continue
            if not reader.push(event.sse):
                logger.info("Dropping a live reader that stopped reading")
                self.readers.discard(reader)
                reader.close()

    async def check_now(self) -> int:
        """Read and deliver new events; returns how many were delivered."""
        result = await self.db(_fetch, self.last_id, dict(self.gaps))
        self.last_id = max(self.last_id, result.last_id)
        self.gaps = result.gaps
        for event in result.events:
            self.fan_out(event)
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
                if not reader.buffer:
                    reader.push(HEARTBEAT)


_hubs: dict[asyncio.AbstractEventLoop, Hub] = {}


def get_hub() -> Hub:
    """The hub of the running event loop (one per worker process)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub()
    return hub
