"""Real `newsdesk serve` processes for tests that cross process boundaries, and readers of
their live streams.

Servers are started with their own data folder and environment and are considered ready when
their log says the worker started: no fixed sleeps.
"""

from __future__ import annotations

import json
import queue
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx

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

    def __init__(self, url: str) -> None:
        self.url = url
        self.events: queue.Queue = queue.Queue()
        self.connected = threading.Event()
        self.ended = threading.Event()
        self._client = httpx.Client(timeout=httpx.Timeout(5.0, read=None))
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self.connected.wait(20):
            raise RuntimeError(f"could not connect to {url}")

    def _run(self) -> None:
        event: dict = {}
        try:
            with self._client.stream("GET", self.url) as response:
                self.status = response.status_code
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

    def quick_post(self, headline: str, text: str) -> httpx.Response:
        self.client.get("/desk/")
        return self.client.post(
            "/desk/quick-post/",
            data={"headline": headline, "text": text, "csrfmiddlewaretoken": self._csrf()},
        )


def fresh_postgres(url: str, prefix: str = "newsdesk_scale"):
    """(url of a new database on the same PostgreSQL server as `url`, a function dropping it):
    servers started by tests get their own database in the PostgreSQL pass."""
    import uuid
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    admin_url = parts._replace(path="/postgres").geturl()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return parts._replace(path=f"/{name}").geturl(), drop
