"""A breaking-news spike on one machine: readers hammer the feed and story pages, live readers
hold streams open, an editor publishes every few seconds — then the same with Redis killed
halfway. Reports 5xx answers, lost live events and latency percentiles.

    .venv/bin/python bench/spike.py [--seconds 60] [--readers 8] [--streams 20] [--every 3]

Everything runs on loopback against a fresh `newsdesk serve` (SQLite, a private redis-server
as cache and live bus) in a temporary data folder; nothing outside it is touched. Load clients
are threads in this process, so on a small machine they compete with the server for CPU: read
the numbers as "what one small box does", not as the server's ceiling.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import free_port, run_newsdesk, start_server, stop_server  # noqa: E402

PASSWORD = "Spike-Editor-Password-42"  # noqa: S105 (a throwaway local account)


class Redis:
    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        for line in self.process.stdout:
            if "Ready to accept connections" in line:
                break
        threading.Thread(target=lambda: [None for _ in self.process.stdout], daemon=True).start()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


class Stream(threading.Thread):
    """One live reader: records the story ids of `published` events it receives."""

    def __init__(self, url: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.url, self.stop_event = url, stop
        self.seen: set[int] = set()
        self.last_id = 0
        self.reconnects = 0

    def run(self) -> None:
        client = httpx.Client(timeout=httpx.Timeout(5.0, read=30.0))
        while not self.stop_event.is_set():
            try:
                headers = {"Last-Event-ID": str(self.last_id)} if self.last_id else {}
                with client.stream("GET", self.url, headers=headers) as response:
                    event = {}
                    for line in response.iter_lines():
                        if self.stop_event.is_set():
                            return
                        if line.startswith("id:"):
                            event["id"] = int(line[3:])
                        elif line.startswith("event:"):
                            event["event"] = line[6:].strip()
                        elif line.startswith("data:"):
                            event["data"] = json.loads(line[5:])
                        elif not line and event:
                            self.last_id = max(self.last_id, event.get("id", 0))
                            if event.get("event") == "published":
                                self.seen.add(event["data"]["story"]["id"])
                            event = {}
            except (httpx.HTTPError, OSError, ValueError):
                pass
            self.reconnects += 1


def run_phase(base: str, token: str, seconds: int, readers: int, streams: int, every: float,
              redis: Redis | None) -> dict:  # fmt: skip
    stop = threading.Event()
    latencies: dict[str, list[float]] = {"feed": [], "story": [], "publish": []}
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    slugs = [s["slug"] for s in httpx.get(f"{base}/api/v1/feed").json()["items"]]
    live = [Stream(f"{base}/live/stream?after=0", stop) for _ in range(streams)]
    for stream in live:
        stream.start()
    published: list[int] = []

    def reader() -> None:
        client = httpx.Client(base_url=base, timeout=30)
        while not stop.is_set():
            kind = "feed" if random.random() < 0.5 else "story"
            path = "/" if kind == "feed" else f"/stories/{random.choice(slugs)}/"
            started = time.perf_counter()
            try:
                status = client.get(path).status_code
            except httpx.HTTPError:
                status = 599
            with lock:
                latencies[kind].append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1

    def editor() -> None:
        client = httpx.Client(
            base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"}
        )
        n = 0
        while not stop.wait(every):
            n += 1
            started = time.perf_counter()
            try:
                story = client.post("/api/v1/stories", json={"headline": f"Spike update {n}",
                                                            "body": "Developing."})  # fmt: skip
                done = client.post(f"/api/v1/stories/{story.json()['id']}/publish")
                status = done.status_code
                if status == 200:
                    published.append(done.json()["id"])
            except (httpx.HTTPError, KeyError, ValueError):
                status = 599
            with lock:
                latencies["publish"].append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=reader, daemon=True) for _ in range(readers)]
    threads.append(threading.Thread(target=editor, daemon=True))
    for thread in threads:
        thread.start()
    redis_stopped_at = None
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if (
            redis is not None
            and redis_stopped_at is None
            and time.monotonic() - started >= seconds / 2
        ):
            redis.stop()
            redis_stopped_at = round(time.monotonic() - started, 1)
        time.sleep(0.2)
    stop_requests = time.monotonic()
    stop.set()
    for thread in threads:
        thread.join(30)
    # Give live readers a bounded grace period to receive the last publishes.
    deadline = time.monotonic() + 15
    wanted = set(published)
    while time.monotonic() < deadline and any(wanted - s.seen for s in live):
        time.sleep(0.2)
    lost = sum(len(wanted - s.seen) for s in live)
    return {
        "seconds": round(stop_requests - started, 1),
        "requests": sum(statuses.values()),
        "statuses": dict(sorted(statuses.items())),
        "server_errors": sum(n for code, n in statuses.items() if code >= 500),
        "publishes": len(published),
        "streams": streams,
        "lost_events": lost,
        "stream_reconnects": sum(s.reconnects for s in live),
        "redis_stopped_at_s": redis_stopped_at,
        **{f"{k}_p50_ms": round(percentile(v, 0.50), 1) for k, v in latencies.items()},
        **{f"{k}_p99_ms": round(percentile(v, 0.99), 1) for k, v in latencies.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--streams", type=int, default=20)
    parser.add_argument("--every", type=float, default=3.0, help="seconds between publishes")
    args = parser.parse_args()
    if not shutil.which("redis-server"):
        sys.exit("redis-server is not installed (apt-get install redis-server).")
    results = {}
    for phase in ("redis up", "redis killed halfway"):
        data_dir = Path(tempfile.mkdtemp(prefix="newsdesk-spike-"))
        redis = Redis()
        port = free_port()
        environ = {**os.environ, "NEWSDESK_DATA_DIR": str(data_dir),
                   "NEWSDESK_SITE_URL": f"http://127.0.0.1:{port}",
                   "NEWSDESK_REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
                   "DJANGO_SETTINGS_MODULE": "newsdesk.config.settings"}  # fmt: skip
        environ.pop("NEWSDESK_DATABASE_URL", None)
        server = None
        try:
            run_newsdesk(environ, "migrate", "--verbosity", "0")
            run_newsdesk(environ, "collectstatic", "--noinput", "--verbosity", "0")
            run_newsdesk(environ, "demo", "--stories", "60")
            run_newsdesk({**environ, "NEWSDESK_PASSWORD": PASSWORD}, "createuser", "spiker",
                         "--role", "editor")  # fmt: skip
            token = run_newsdesk(environ, "token", "spiker").stdout.strip().split()[-1]
            server = start_server(environ, port)
            base = f"http://127.0.0.1:{port}"
            killed = redis if "killed" in phase else None
            results[phase] = run_phase(
                base, token, args.seconds, args.readers, args.streams, args.every, killed
            )
        finally:
            if server is not None:
                stop_server(server)
            redis.stop()
            shutil.rmtree(data_dir, ignore_errors=True)
        print(phase, json.dumps(results[phase], indent=1), flush=True)
    print(json.dumps({"machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} CPUs",
                      "python": platform.python_version(),
                      "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                      "results": results}, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
