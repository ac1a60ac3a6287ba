"""A Redis that hangs (accepts connections, never answers) must not hold readers up.

Expected: a real `newsdesk serve` whose `NEWSDESK_REDIS_URL` points at such a server answers every
page, and after the first timeout stops asking Redis for a while (the breaker in
`newsdesk.cache.breaker`) instead of making each request wait out the socket timeout again.
Editors can still log in and publish (throttling counts are skipped, `newsdesk.cache.outage`),
and a bad API token is still a 401, not a 500.
"""

from __future__ import annotations

import socket
import threading

import httpx
import pytest

from tests.scale.conftest import EDITOR
from tests.servers import DeskSession, free_port, start_server, stop_server

pytestmark = [pytest.mark.timeout(120)]

PAGES = 12


class HungRedis:
    """Accepts TCP connections and never reads or writes: a Redis stuck or behind a dead link."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.listener.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def hung_redis():
    server = HungRedis()
    yield server
    server.close()


def test_pages_keep_coming_while_redis_hangs_and_redis_is_not_asked_each_time(site, hung_redis):
    environ = {
        **site.environ,
        "NEWSDESK_REDIS_URL": f"redis://127.0.0.1:{hung_redis.port}/0",
        "NEWSDESK_LIVE_BUS": "memory",  # this test is about the cache; the bus has its own
    }
    port = free_port()
    process = start_server(environ, port, "--no-scheduler")
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            statuses = [client.get("/").status_code for _ in range(PAGES)]
            asked = len(hung_redis.accepted)
            bad_token = client.get(
                "/api/v1/stories/1", headers={"Authorization": "Bearer not-a-real-token"}
            )
        editor = DeskSession(f"http://127.0.0.1:{port}", *EDITOR)  # raises if login fails
        posted = editor.quick_post("Posted while Redis hangs", "The desk still works.")
        front = httpx.get(f"http://127.0.0.1:{port}/", timeout=30).text
    finally:
        stop_server(process)
    assert statuses == [200] * PAGES
    # Without the breaker every page opens new connections (each timed-out one is dropped):
    # at least one per page. With it, a couple in the whole run.
    assert asked <= 4, f"Redis was asked {asked} times for {PAGES} pages"
    assert bad_token.status_code == 401
    assert posted.status_code < 400
    assert "Posted while Redis hangs" in front
