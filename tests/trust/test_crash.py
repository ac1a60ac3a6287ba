"""A server killed with SIGKILL in the middle of a stream of publishes loses nothing it
confirmed and leaves nothing half-written; a live reader resumes with Last-Event-ID.

A real `newsdesk serve` (SQLite, and PostgreSQL when it is reachable) takes API publishes from
a client thread; a live reader follows the stream. The whole server (every process) is killed
at once while publishes are in flight, then started again on the same data. Every publish that
got a 200 is published with its revision and its feed event; no story lacks a revision, no
published story lacks its event; and the reader, reconnecting from the last event id it saw,
receives every publish it missed.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
from pathlib import Path

import httpx
import psycopg
import pytest
from django.conf import settings as django_settings

from newsdesk.config import env
from tests.servers import (
    LiveReader,
    free_port,
    migrated,
    run_newsdesk,
    start_server,
    stop_server,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]
PG = "postgres://postgres@127.0.0.1:5432"
CONFIRMED_BEFORE_KILL = 12


def _descendants(pid: int) -> list[int]:
    """Every process under pid (granian's workers), read from /proc."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        for child in map(int, children):
            found += [child, *_descendants(child)]
    return found


def _kill_everything(process) -> None:
    for pid in [*_descendants(process.pid), process.pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(timeout=20)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """A migrated database for the server (a copy, see `tests.servers.migrated`): SQLite in
    tmp_path, the test's data folder, or a new PostgreSQL database. Each kind runs in its own
    pass of `make test` (the first is SQLite, the second PostgreSQL), not twice."""
    on_postgres = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if on_postgres != (request.param == "postgres"):
        kind = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[request.param]
        pytest.skip(f"the {kind} server runs in the {kind} pass of `make test`")
    environ = {"NEWSDESK_DATA_DIR": str(tmp_path), "NEWSDESK_DATABASE_URL": ""}
    if request.param == "postgres":
        try:
            psycopg.connect(f"{PG}/postgres", connect_timeout=3).close()
        except Exception as error:
            if env.is_ci():
                pytest.fail(f"PostgreSQL is not reachable ({error}), and CI=true forbids skipping")
            pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432 ({error})")
        environ["NEWSDESK_DATABASE_URL"] = f"{PG}/postgres"
    drop = migrated.prepare(environ, "newsdesk_crash")
    yield environ["NEWSDESK_DATABASE_URL"]
    drop()


class Publisher(threading.Thread):
    """Creates and publishes stories through the API until stopped; records what it was told."""

    def __init__(self, base: str, token: str) -> None:
        super().__init__(daemon=True)
        self.client = httpx.Client(
            base_url=base, timeout=10, headers={"Authorization": f"Bearer {token}"}
        )
        self.confirmed: list[int] = []
        self.enough = threading.Event()
        self.stopped = threading.Event()
        self.failures = 0

    def run(self) -> None:
        n = 0
        while not self.stopped.is_set():
            n += 1
            try:
                created = self.client.post("/api/v1/stories", json={"headline": f"Flash {n}"})
                if created.status_code != 201:
                    continue
                story_id = created.json()["id"]
                published = self.client.post(f"/api/v1/stories/{story_id}/publish")
                if published.status_code == 200:
                    self.confirmed.append(story_id)
            except httpx.HTTPError:
                self.failures += 1
            if len(self.confirmed) >= CONFIRMED_BEFORE_KILL:
                self.enough.set()


def test_sigkill_mid_publish_loses_no_confirmed_story_and_readers_resume(tmp_path, database_url):
    """Kill -9 during publishes; after a restart every confirmed publish is intact and a
    reader resuming from its last event id gets each one it missed."""
    port = free_port()
    environ = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(tmp_path),
        "NEWSDESK_SITE_URL": f"http://127.0.0.1:{port}",
        "NEWSDESK_DATABASE_URL": database_url,
        "NEWSDESK_LIVE_BUS": "auto",
        "DJANGO_SETTINGS_MODULE": "newsdesk.config.settings",
    }
    environ.pop("NEWSDESK_REDIS_URL", None)
    run_newsdesk({**environ, "NEWSDESK_PASSWORD": "Crash-Test-Password-7"}, "createuser",
                 "crasher", "--role", "editor")  # fmt: skip
    token = run_newsdesk(environ, "token", "crasher").stdout.strip().split()[-1]
    base = f"http://127.0.0.1:{port}"
    process = start_server(environ, port)
    reader = LiveReader(f"{base}/live/stream?after=0")
    publisher = Publisher(base, token)
    try:
        publisher.start()
        assert publisher.enough.wait(120), "publishes did not go through"
        _kill_everything(process)  # mid-stream: the publisher is still sending
        publisher.stopped.set()
        publisher.join(30)
        seen: dict[int, int] = {}  # story id → event id, as the reader got them before the kill
        while not reader.events.empty():
            event = reader.events.get()
            if event.get("event") == "published":
                seen[event["data"]["story"]["id"]] = event["id"]
        last_seen = max(seen.values(), default=0)
        process = start_server(environ, port)
        confirmed = list(publisher.confirmed)
        assert len(confirmed) >= CONFIRMED_BEFORE_KILL
        audit = run_newsdesk(
            environ,
            "shell",
            "--no-imports",
            "--command",
            "import json; from newsdesk.stories.models import Story; "
            "from newsdesk.stories.models import FeedEvent; "
            "print(json.dumps({'stories': {s.pk: [s.status, s.revisions.count(), "
            "FeedEvent.objects.filter(story=s, kind='published').count()] "
            "for s in Story.objects.all()}, 'orphans': FeedEvent.objects.filter("
            "story__isnull=True).count()}))",
        ).stdout
        state = json.loads(audit.strip().splitlines()[-1])
        stories = {int(k): v for k, v in state["stories"].items()}
        for story_id in confirmed:
            status, revisions, events = stories[story_id]
            assert status == "published" and revisions >= 2 and events == 1, story_id
        for story_id, (status, revisions, events) in stories.items():
            assert revisions >= 1, f"story {story_id} has no revision"
            assert (status == "published") == (events == 1), story_id
        assert state["orphans"] == 0
        # The reader comes back from where it was and gets every publish it missed.
        missed = {s for s in confirmed if s not in seen}
        resumed = LiveReader(f"{base}/live/stream?after={last_seen}")
        try:
            got = set()
            while missed - got:
                event = resumed.next_event(timeout=20)
                if event.get("event") == "published":
                    got.add(event["data"]["story"]["id"])
            assert missed <= got
        finally:
            resumed.close()
    finally:
        publisher.stopped.set()
        reader.close()
        if process.poll() is None:
            stop_server(process)
