"""The bus that wakes app processes when feed events are committed.

The bus carries no events, only "look again": each process then reads new rows from the feed
event table once (see `hub`). So a lost message, a Redis restart or a dropped LISTEN connection
delays readers until the next safety poll (NEWSDESK_LIVE_POLL_SECONDS) but loses nothing.

Backends: `memory` (one process), `redis` (pub/sub, NEWSDESK_REDIS_URL), `postgres`
(LISTEN/NOTIFY on the project's own database). `auto` picks Redis when configured, else
PostgreSQL when that is the database, else memory.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable

from django.conf import settings
from django.db import connection

logger = logging.getLogger("newsdesk.live.bus")
CHANNEL = "newsdesk_feed"
RECONNECT_DELAYS = (0.5, 1, 2, 5)

Wake = Callable[[], None]


class Bus:
    name = "base"

    def notify(self) -> None:
        """Tell every process to look for new events (called after commit, from sync code)."""
        raise NotImplementedError

    async def listen(self, wake: Wake) -> None:
        """Call `wake()` on each notification until cancelled; survives outages by itself."""
        raise NotImplementedError


class MemoryBus(Bus):
    """Wakes the listeners of this process only (the default for one process)."""

    name = "memory"

    def __init__(self) -> None:
        self._listeners: list[tuple[asyncio.AbstractEventLoop, Wake]] = []
        self._lock = threading.Lock()

    def notify(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for loop, wake in listeners:
            if not loop.is_closed():
                loop.call_soon_threadsafe(wake)

    async def listen(self, wake: Wake) -> None:
        entry = (asyncio.get_running_loop(), wake)
        with self._lock:
            self._listeners.append(entry)
        try:
            await asyncio.Event().wait()
        finally:
            with self._lock:
                self._listeners.remove(entry)


async def _reconnecting(name: str, session: Callable[[], Awaitable[None]], wake: Wake) -> None:
    """Run `session` for ever, reconnecting with back-off; wake readers after each outage so
    whatever was published meanwhile is read at once."""
    attempt = 0
    while True:
        try:
            await session()
            attempt = 0
        except asyncio.CancelledError:
            raise
        except Exception as error:  # any failure of the outside service
            delay = RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)]
            if attempt == 0:
                logger.warning("%s bus lost (%s); retrying, readers poll meanwhile", name, error)
            attempt += 1
            wake()
            await asyncio.sleep(delay)


class RedisBus(Bus):
    name = "redis"

    def __init__(self, url: str) -> None:
        self.url = url
        self._client = None

    def _sync_client(self):
        if self._client is None:
            import redis

            self._client = redis.Redis.from_url(
                self.url, socket_timeout=0.5, socket_connect_timeout=0.5
            )
        return self._client

    def notify(self) -> None:
        import redis

        try:
            self._sync_client().publish(CHANNEL, b"1")
        except (redis.RedisError, OSError) as error:
            logger.warning("Redis publish failed (%s); readers will catch up by polling", error)

    async def listen(self, wake: Wake) -> None:
        import redis.asyncio as aioredis

        async def session() -> None:
            client = aioredis.Redis.from_url(self.url, socket_connect_timeout=1)
            try:
                pubsub = client.pubsub()
                await pubsub.subscribe(CHANNEL)
                wake()  # catch up on anything published while we were not subscribed
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        wake()
            finally:
                await client.aclose()

        await _reconnecting("Redis", session, wake)


class PostgresBus(Bus):
    name = "postgres"

    def notify(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])
        except Exception as error:
            logger.warning("NOTIFY failed (%s); readers will catch up by polling", error)

    async def listen(self, wake: Wake) -> None:
        import psycopg

        db = settings.DATABASES["default"]
        conninfo = psycopg.conninfo.make_conninfo(
            dbname=db["NAME"],
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
        )

        async def session() -> None:
            async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
                await conn.execute(f"LISTEN {CHANNEL}")
                wake()
                async for _notice in conn.notifies():
                    wake()

        await _reconnecting("PostgreSQL", session, wake)


_bus: Bus | None = None
_bus_lock = threading.Lock()


def choose_backend() -> str:
    if settings.LIVE_BUS != "auto":
        return settings.LIVE_BUS
    if settings.REDIS_URL:
        return "redis"
    if connection.vendor == "postgresql":
        return "postgres"
    return "memory"


def get_bus() -> Bus:
    """The process's bus, made on first use (settings are not read at import time)."""
    global _bus
    with _bus_lock:
        if _bus is None:
            backend = choose_backend()
            if backend == "redis":
                if not settings.REDIS_URL:
                    raise RuntimeError(
                        "NEWSDESK_LIVE_BUS=redis needs NEWSDESK_REDIS_URL, e.g. redis://127.0.0.1:6379/0"
                    )
                _bus = RedisBus(settings.REDIS_URL)
            elif backend == "postgres":
                _bus = PostgresBus()
            else:
                _bus = MemoryBus()
        return _bus
