"""Real `newsdesk serve` processes for the scale tests: a fresh site per test.

The site uses SQLite in a temporary folder, or — when the run has `NEWSDESK_DATABASE_URL` pointing
at PostgreSQL (the second pass of `make test`) — a fresh PostgreSQL database made for the test and
dropped after it; either is a copy of one migrated once per run (`tests.servers.migrated`).
`NEWSDESK_REDIS_URL`, when the run has one, is passed on, so the same tests cover the in-memory
and the Redis page cache.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest

from tests.servers import (
    DeskSession,
    free_port,
    migrated,
    run_newsdesk,
    start_server,
    stop_server,
)

EDITOR = ("scale-editor", "Scale-Editor-Password-42")


@dataclass
class Site:
    environ: dict
    processes: list = field(default_factory=list)

    def serve(self, *extra: str, port: int | None = None) -> str:
        """Start `newsdesk serve` (extra arguments e.g. `--workers 2`); return its base URL."""
        port = port or free_port()
        self.processes.append(start_server(self.environ, port, "--no-scheduler", *extra))
        return f"http://127.0.0.1:{port}"

    def editor(self, base_url: str) -> DeskSession:
        return DeskSession(base_url, *EDITOR)

    def newsdesk(self, *args: str) -> str:
        return run_newsdesk(self.environ, *args).stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    """One site per test module (migrating is the slow part); tests add servers and stories."""
    environ = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(tmp_path_factory.mktemp("scale") / "data"),
        "NEWSDESK_LIVE_POLL_SECONDS": "1",
        "DJANGO_SETTINGS_MODULE": "newsdesk.config.settings",
    }
    if environ.get("NEWSDESK_DATABASE_URL", "").startswith("postgres"):
        environ["NEWSDESK_DATABASE_POOL"] = "10"  # servers as deployed: a connection pool each
    else:
        environ.pop("NEWSDESK_DATABASE_URL", None)
    drop = migrated.prepare(environ, "newsdesk_scale")
    run_newsdesk({**environ, "NEWSDESK_PASSWORD": EDITOR[1]}, "createuser", EDITOR[0],
                 "--role", "editor")  # fmt: skip
    the_site = Site(environ)
    yield the_site
    for process in the_site.processes:
        stop_server(process)
    drop()
