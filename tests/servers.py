"""Real `newsdesk serve` processes for tests that cross process boundaries, and readers of
their live streams.

Servers are started with their own data folder and environment and are considered ready when
their log says the worker started: no fixed sleeps.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_newsdesk(environ: dict, *args: str) -> subprocess.CompletedProcess:
    """Run the `newsdesk` command in a child process with `environ`; raise with its output."""
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk.config.cli", *args],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"newsdesk {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def start_server(environ: dict, port: int, *extra: str) -> subprocess.Popen:
    """Start `newsdesk serve` and return once its worker has started (read from its log)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "newsdesk.config.cli", "serve", "--port", str(port), *extra],
        env=environ,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log = []
    for line in process.stdout:
        log.append(line)
        if "Started worker" in line:
            break
    else:
        raise RuntimeError("newsdesk serve exited before serving:\n" + "".join(log))
    # Keep draining the log so the server never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    return process


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class LiveReader:
    """An SSE reader of a real server in a background thread; parsed events land in `events`."""

    def __init__(self, url: str, headers: dict | None = None) -> None:
        self.url = url
        self.headers = headers or {}
        self.events: queue.Queue = queue.Queue()
        self.connected = threading.Event()
        self.ended = threading.Event()
        self._socket: socket.socket | None = None
        self._client = httpx.Client(timeout=httpx.Timeout(5.0, read=None))
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self.connected.wait(20):
            raise RuntimeError(f"could not connect to {url}")

    def _run(self) -> None:
        event: dict = {}
        try:
            with self._client.stream("GET", self.url, headers=self.headers) as response:
                self.status = response.status_code
                self._socket = response.extensions["network_stream"].get_extra_info("socket")
                for line in response.iter_lines():
                    if line.startswith(": connected"):
                        self.connected.set()
                    elif line.startswith("event:"):
                        event["event"] = line.split(":", 1)[1].strip()
                    elif line.startswith("id:"):
                        event["id"] = int(line.split(":", 1)[1])
                    elif line.startswith("data:"):
                        event["data"] = json.loads(line.split(":", 1)[1])
                    elif line == "" and event:
                        self.events.put(event)
                        event = {}
        except (httpx.HTTPError, OSError):
            pass
        finally:
            self.ended.set()
            self.connected.set()

    def next_event(self, timeout: float) -> dict:
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        """Hang up for real: the reading thread blocks in recv(), which closing the client from
        this thread does not end, so the server would keep the stream (and a graceful stop of it
        would wait for it). Shutting the socket down ends both."""
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
            self.ended.wait(5)
        self._client.close()


class DeskSession:
    """An editor logged in to a server's desk over HTTP, as a browser would be."""

    def __init__(self, base_url: str, username: str, password: str) -> None:
        self.base = base_url
        self.client = httpx.Client(base_url=base_url, timeout=20, follow_redirects=False)
        self.client.get("/desk/login/")
        response = self.client.post(
            "/desk/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": self._csrf()},
        )
        if response.status_code != 302:
            raise RuntimeError(f"login failed: {response.status_code}")

    def _csrf(self) -> str:
        return self.client.cookies.get("csrftoken")

    def quick_post(self, headline: str, text: str, target: str = "") -> httpx.Response:
        """The desk's quick post; `target` "live:<id>" or "topic:<id>" (default: the feed)."""
        self.client.get("/desk/")
        data = {"headline": headline, "text": text, "csrfmiddlewaretoken": self._csrf()}
        if target:
            data["target"] = target
        return self.client.post("/desk/quick-post/", data=data)


def fresh_postgres(url: str, prefix: str = "newsdesk_scale", template: str = ""):
    """(url of a new database on the same PostgreSQL server as `url`, a function dropping it):
    servers started by tests get their own database in the PostgreSQL pass. With `template`, the
    new database is a copy of that one."""
    parts = urlsplit(url)
    admin_url = parts._replace(path="/postgres").geturl()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"{copy}')

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return parts._replace(path=f"/{name}").geturl(), drop


class MigratedDatabases:
    """Databases for the sites tests start, copied from one migrated database per kind and run
    (per xdist worker): `newsdesk migrate` takes seconds, a copy milliseconds. SQLite: the file
    is copied into the site's data folder. PostgreSQL: `CREATE DATABASE … TEMPLATE`."""

    SQLITE_NAME = "newsdesk.sqlite3"  # in NEWSDESK_DATA_DIR (config/settings.py)

    def __init__(self) -> None:
        self._folder: Path | None = None
        self._sqlite: Path | None = None
        self._templates: dict[
            str, tuple[str, Callable[[], None]]
        ] = {}  # server → (template name, drop)

    def prepare(self, environ: dict, prefix: str = "newsdesk_site"):
        """Give the site of `environ` a migrated database; return a function dropping it.

        With a PostgreSQL NEWSDESK_DATABASE_URL (any database on the server), the site gets a
        new database of its own and `environ` is changed to name it; else a SQLite file in its
        NEWSDESK_DATA_DIR."""
        url = environ.get("NEWSDESK_DATABASE_URL", "")
        base = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsdesk.config.settings", **environ}
        if url.startswith("postgres"):
            server = urlsplit(url)._replace(path="").geturl()
            if server not in self._templates:
                template_url, drop = fresh_postgres(url, "newsdesk_template")
                run_newsdesk({**base, "NEWSDESK_DATABASE_URL": template_url}, "migrate",
                             "--verbosity", "0")  # fmt: skip
                self._templates[server] = (urlsplit(template_url).path.strip("/"), drop)
            template = self._templates[server][0]
            environ["NEWSDESK_DATABASE_URL"], drop = fresh_postgres(url, prefix, template)
            return drop
        if self._sqlite is None:
            self._folder = Path(tempfile.mkdtemp(prefix="newsdesk-migrated-"))
            run_newsdesk({**base, "NEWSDESK_DATA_DIR": str(self._folder),
                          "NEWSDESK_DATABASE_URL": ""}, "migrate", "--verbosity", "0")  # fmt: skip
            self._sqlite = self._folder / self.SQLITE_NAME
        data_dir = Path(environ["NEWSDESK_DATA_DIR"])
        data_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._sqlite, data_dir / self.SQLITE_NAME)
        return lambda: None

    def close(self) -> None:
        for _, drop in self._templates.values():
            drop()
        self._templates.clear()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = self._sqlite = None


# One per test process; tests/conftest.py closes it when the run ends.
migrated = MigratedDatabases()
