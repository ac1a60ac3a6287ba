"""Helpers to read Server-Sent Events: an in-process ASGI client and an SSE parser."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from newsdesk.live.hub import _hubs


@dataclass
class SSEMessage:
    id: str | None = None
    event: str = "message"
    data: str = ""
    comments: list[str] = field(default_factory=list)

    @property
    def json(self) -> dict:
        return json.loads(self.data)


def parse_sse(text: str) -> list[SSEMessage]:
    """Split a stream's text into messages (comment-only blocks included, as event '')."""
    messages = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        message = SSEMessage(event="")
        for line in block.split("\n"):
            if line.startswith(":"):
                message.comments.append(line[1:].strip())
            elif ":" in line:
                key, value = line.split(":", 1)
                value = value[1:] if value.startswith(" ") else value
                if key == "id":
                    message.id = value
                elif key == "event":
                    message.event = value
                elif key == "data":
                    message.data += value
        messages.append(message)
    return messages


class StreamClient:
    """Drives the real ASGI live handler in-process, as a server would, chunk by chunk.

    With `at_once`, `send` behaves as granian's does: a plain call that takes the bytes at once
    when the connection has room and returns a finished future, or, while the "network" is not
    reading, returns a future that finishes (and the bytes arrive) once it reads again. Without
    it, `send` is a coroutine function, as in most ASGI servers."""

    def __init__(
        self, app, path: str = "/live/stream", query: str = "", headers=None, at_once=False
    ):
        self.app = app
        self.at_once = at_once
        self.scope = {
            "type": "http",
            "method": "GET",
            "path": path,
            "query_string": query.encode(),
            "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        }
        self.chunks: asyncio.Queue = asyncio.Queue()
        self.status: int | None = None
        self.headers: dict[bytes, bytes] = {}
        self._disconnect = asyncio.Event()
        self.reading = asyncio.Event()  # cleared: the "network" stops taking bytes
        self.reading.set()
        self.buffer = ""
        self.finished = False

    async def _receive(self):
        await self._disconnect.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message):
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = dict(message.get("headers", []))
        else:
            await self.reading.wait()
            await self.chunks.put(message)

    def _send_at_once(self, message) -> asyncio.Future:
        done = asyncio.get_running_loop().create_future()
        if message["type"] == "http.response.start" or self.reading.is_set():
            if message["type"] == "http.response.start":
                self.status = message["status"]
                self.headers = dict(message.get("headers", []))
            else:
                self.chunks.put_nowait(message)
            done.set_result(None)
            return done

        async def when_reading():
            await self.reading.wait()
            self.chunks.put_nowait(message)
            done.set_result(None)

        self._later.add(task := asyncio.ensure_future(when_reading()))
        task.add_done_callback(self._later.discard)
        return done

    async def __aenter__(self):
        self._later: set[asyncio.Future] = set()
        send = self._send_at_once if self.at_once else self._send
        self.task = asyncio.create_task(self.app(self.scope, self._receive, send))
        return self

    async def __aexit__(self, *exc):
        self._disconnect.set()
        await asyncio.wait_for(self.task, timeout=10)

    def disconnect(self):
        self._disconnect.set()

    async def read_until(self, predicate, timeout: float = 10.0) -> list[SSEMessage]:
        """Read chunks until the messages so far satisfy predicate(messages); return them."""

        async def loop():
            while True:
                messages = parse_sse(self.buffer)
                if predicate(messages):
                    return messages
                if self.finished:
                    raise AssertionError(f"stream ended; got {self.buffer!r}")
                chunk = await self.chunks.get()
                self.buffer += chunk.get("body", b"").decode()
                if not chunk.get("more_body", False):
                    self.finished = True

        return await asyncio.wait_for(loop(), timeout=timeout)


def events(messages: list[SSEMessage]) -> list[SSEMessage]:
    return [m for m in messages if m.event]


@pytest.fixture
def fresh_hubs(settings) -> Iterator[None]:
    """Each test's event loop gets its own hub; wake-ups by bus, safety poll kept short.
    Import it into a test module and add `pytest.mark.usefixtures("fresh_hubs")`."""
    settings.LIVE_POLL_SECONDS = 1
    yield
    for hub in list(_hubs.values()):
        for task in hub._tasks:
            task.cancel()
    _hubs.clear()
