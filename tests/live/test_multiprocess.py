"""Two `newsdesk serve` processes sharing one PostgreSQL database: a publish through process A
reaches a live reader of process B, woken by Redis pub/sub or by PostgreSQL LISTEN/NOTIFY; and
when Redis dies, readers keep their connections and catch up.

These need PostgreSQL at 127.0.0.1:5432 and the `redis-server` program. Without them they skip
with the reason; with CI=true they fail instead. They run in the PostgreSQL pass of `make test`
and skip in the SQLite pass, where they would be the same tests a second time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import psycopg
import pytest
from django.conf import settings as django_settings

from newsdesk.config import env
from tests.servers import (
    DeskSession,
    LiveReader,
    free_port,
    migrated,
    run_newsdesk,
    start_server,
    stop_server,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]
PG = "postgres://postgres@127.0.0.1:5432"
EDITOR = ("wire-editor", "Wire-Editor-Password-42")
# The safety poll is set far longer than any wait below, so a fast delivery proves the bus.
SLOW_POLL = "60"


def unavailable(reason: str):
    if env.is_ci():
        pytest.fail(f"{reason}, and CI=true forbids skipping these tests")
    pytest.skip(reason)


@pytest.fixture
def postgres_url():
    """A fresh migrated database (a copy, see `tests.servers.migrated`). These tests run in the
    PostgreSQL pass of `make test` only: in the SQLite pass they would be the same tests again."""
    if not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("these need PostgreSQL and run in the PostgreSQL pass of `make test`")
    try:
        psycopg.connect(f"{PG}/postgres", connect_timeout=3).close()
    except Exception as error:
        unavailable(f"PostgreSQL is not reachable at 127.0.0.1:5432 ({error})")
    environ = {"NEWSDESK_DATABASE_URL": f"{PG}/postgres"}
    drop = migrated.prepare(environ, "newsdesk_live")
    yield environ["NEWSDESK_DATABASE_URL"]
    drop()


class RedisServer:
    """A private redis-server on its own port, so a test may kill it and bring it back."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        for line in self.process.stdout:
            if "Ready to accept connections" in line:
                return
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def redis_server():
    if shutil.which("redis-server") is None:
        unavailable("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def two_servers(tmp_path, postgres_url):
    """start(extra_env) → (url_a, url_b): two serve processes on one fresh database."""
    processes = []

    def start(extra_env: dict) -> tuple[str, str]:
        environ = {
            **os.environ,
            "NEWSDESK_DATA_DIR": str(tmp_path),
            "NEWSDESK_DATABASE_URL": postgres_url,
            "NEWSDESK_LIVE_POLL_SECONDS": SLOW_POLL,
            **extra_env,
        }
        environ.pop("NEWSDESK_REDIS_URL", None) if "NEWSDESK_REDIS_URL" not in extra_env else None
        run_newsdesk({**environ, "NEWSDESK_PASSWORD": EDITOR[1]}, "createuser", EDITOR[0],
                     "--role", "editor")  # fmt: skip
        urls = []
        for _ in range(2):
            port = free_port()
            processes.append(start_server(environ, port, "--no-scheduler"))
            urls.append(f"http://127.0.0.1:{port}")
        return urls[0], urls[1]

    yield start
    for process in processes:
        stop_server(process)


def publish_and_receive(url_a: str, url_b: str, headline: str, within: float) -> float:
    """Quick-post through A, return seconds until B's reader has it (fails past `within`)."""
    reader = LiveReader(f"{url_b}/live/stream")
    desk = DeskSession(url_a, *EDITOR)
    try:
        started = time.monotonic()
        response = desk.quick_post(headline, "Filed through the other server.")
        assert response.status_code == 302, response.text[:500]
        event = reader.next_event(timeout=within)
        elapsed = time.monotonic() - started
        assert event["event"] == "published"
        assert headline in event["data"]["html"]
        return elapsed
    finally:
        reader.close()


def test_redis_bus_carries_a_publish_from_process_a_to_a_reader_of_process_b(
    two_servers, redis_server
):
    url_a, url_b = two_servers({"NEWSDESK_REDIS_URL": redis_server.url})
    elapsed = publish_and_receive(url_a, url_b, "Across the wire by Redis", within=10)
    assert elapsed < 10


def test_postgres_listen_notify_carries_it_when_there_is_no_redis(two_servers):
    url_a, url_b = two_servers({})
    elapsed = publish_and_receive(url_a, url_b, "Across the wire by NOTIFY", within=10)
    assert elapsed < 10


def test_readers_survive_a_redis_outage_and_catch_up(two_servers, redis_server):
    """Redis dies: the reader keeps its connection, the editor's publish still succeeds, and the
    event arrives by the safety poll; when Redis is back, the bus carries events again."""
    url_a, url_b = two_servers(
        {"NEWSDESK_REDIS_URL": redis_server.url, "NEWSDESK_LIVE_POLL_SECONDS": "2"}
    )
    reader = LiveReader(f"{url_b}/live/stream")
    desk = DeskSession(url_a, *EDITOR)
    try:
        redis_server.stop()
        response = desk.quick_post("Published while Redis is down", "Nothing is lost.")
        assert response.status_code == 302
        event = reader.next_event(timeout=15)
        assert "Published while Redis is down" in event["data"]["html"]
        assert not reader.ended.is_set()

        redis_server.start()
        response = desk.quick_post("Published after Redis returned", "Back to normal.")
        assert response.status_code == 302
        event = reader.next_event(timeout=15)
        assert "Published after Redis returned" in event["data"]["html"]
        assert not reader.ended.is_set()
    finally:
        reader.close()
