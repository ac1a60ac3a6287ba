"""Live fan-out benchmark: N SSE readers, an editor publishing once a second.

    .venv/bin/python bench/live_fanout.py --readers 1000 5000 10000 --seconds 12
    .venv/bin/python bench/live_fanout.py --readers 20000 --servers 2 --redis redis://127.0.0.1:6379/0
    .venv/bin/python bench/live_fanout.py --push pushpin --readers 0 1000 10000 20000
    .venv/bin/python bench/live_fanout.py --coverage --readers 1000 [--push pushpin]

Starts `newsdesk serve` (one worker per server process) on a fresh SQLite data folder, connects
the readers from separate load-client processes (asyncio, raw sockets), logs an editor into the
desk and quick-posts one update a second. Each headline carries the time it was posted, so every
reader measures publish-to-receive latency itself. Reports p50/p99/max latency, time to connect
all readers, readers that failed or were dropped, events lost, and the server's RSS growth per
1,000 readers. With --servers 2 the readers are split between two processes that share the
database, woken by Redis. With --push pushpin the readers connect to Debian's Pushpin
(deploy/pushpin/, started here) in front of the server(s), which publish each event to it
(NEWSDESK_PUSH=pushpin); memory and CPU then count Pushpin's processes too. `--readers 0` measures
the editor's publish request with nobody connected. With --coverage the readers are readers of
one live page (`/live/stream?coverage=<slug>`) and the editor posts entries into it through the
desk's quick post; a second live page gets an entry between each two, which its readers must
not receive (counted as "stray"). Everything runs on loopback; loops are bounded in count and
time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import platform
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scale.pushpin import Pushpin  # noqa: E402
from tests.servers import (  # noqa: E402
    DeskSession,
    free_port,
    run_newsdesk,
    start_server,
    stop_server,
)

EDITOR = ("bench-editor", "Bench-Editor-Password-42")
MARK = re.compile(rb"bench-(\d+)-(\d+)")
STRAY = b"elsewhere-"  # entries of the other live page (--coverage): never for these readers
GRACE_SECONDS = 10


def raise_open_files_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class _Stream(asyncio.Protocol):
    """One reader's connection, read by callbacks as bytes arrive: no task wakes up per read, so
    10,000 readers in two load clients leave the shared cores to the server (a StreamReader and
    a task per reader cost ~30 µs of CPU per delivery, more than the server itself)."""

    def __init__(self, path: bytes, stats: dict) -> None:
        self.path = path
        self.stats = stats
        self.head = asyncio.get_running_loop().create_future()  # True: a 200 answer
        self.data = b""
        self.seen: set[int] = set()

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(
            b"GET " + self.path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Accept: text/event-stream\r\n\r\n"
        )

    def data_received(self, chunk: bytes) -> None:
        now = time.time_ns()
        if not self.head.done():
            self.data += chunk
            end = self.data.find(b"\r\n\r\n")
            if end < 0:
                return
            self.head.set_result(b" 200 " in self.data.split(b"\r\n", 1)[0])
            chunk, self.data = self.data[end:], b""
        self.stats["stray"] += chunk.count(STRAY)
        text = self.data + chunk
        self.data = text[-48:]  # a mark cut in two by the network is found with the next chunk
        stats = self.stats
        for match in MARK.finditer(text):
            seq = int(match.group(1))
            if seq in self.seen:
                continue
            self.seen.add(seq)
            stats["latencies"].append((now - int(match.group(2))) / 1e6)
            stats["received"][seq] = stats["received"].get(seq, 0) + 1

    def connection_lost(self, exc) -> None:
        if not self.head.done():
            self.head.set_result(False)
        elif not self.stats["stopping"]:
            self.stats["dropped"] += 1


async def _reader(
    port: int,
    path: bytes,
    stats: dict,
    connected: asyncio.Event,
    total: int,
    connecting: asyncio.Semaphore | None = None,
):
    try:
        async with connecting or contextlib.nullcontext():
            loop = asyncio.get_running_loop()
            transport, stream = await loop.create_connection(
                lambda: _Stream(path, stats), "127.0.0.1", port
            )
            ok = await stream.head
    except OSError:
        ok = False
    if ok:
        stats["connected"] += 1
        stats["transports"].append(transport)
    else:
        stats["failed"] += 1
    if stats["connected"] + stats["failed"] >= total:
        connected.set()


def load_client(
    port: int, count: int, stop, queue, at_once: int = 0, path: bytes = b"/live/stream"
) -> None:
    """One load-client process: `count` readers until `stop` is set, then its numbers on `queue`.
    With `at_once`, at most that many readers are connecting (waiting for the answer's head)."""
    raise_open_files_limit()

    async def main():
        stats = {
            "connected": 0, "failed": 0, "dropped": 0, "latencies": [], "received": {},
            "transports": [], "stopping": False, "stray": 0,
        }  # fmt: skip
        connected = asyncio.Event()
        connecting = asyncio.Semaphore(at_once) if at_once else None
        started = time.monotonic()
        tasks = []
        for i in range(count):
            tasks.append(
                asyncio.create_task(_reader(port, path, stats, connected, count, connecting))
            )
            if i % 200 == 199:
                await asyncio.sleep(0)  # let the accept queue drain while connecting
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(connected.wait(), timeout=120)
        connect_seconds = time.monotonic() - started
        queue.put(("connected", stats["connected"], stats["failed"], connect_seconds))
        # Read until the parent has published everything and waited for stragglers.
        await asyncio.get_running_loop().run_in_executor(None, stop.wait, 600)
        stats["stopping"] = True
        for transport in stats.pop("transports"):
            transport.close()
        await asyncio.gather(*tasks, return_exceptions=True)
        queue.put(("done", stats))

    asyncio.run(main())


def _descendants(pid: int) -> list[int]:
    found = []
    for child in Path(f"/proc/{pid}/task").glob("*/children"):
        for kid in child.read_text().split():
            found += [int(kid), *_descendants(int(kid))]
    return found


def tree_rss_kb(pid: int) -> int:
    """RSS of a process and everything below it (Pushpin's runner and its services), in KiB."""
    total = 0
    for each in [pid, *_descendants(pid)]:
        status = Path(f"/proc/{each}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return total


def tree_cpu_seconds(pid: int) -> float:
    total = 0
    for each in [pid, *_descendants(pid)]:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def worker_rss_kb(serve_pid: int) -> int:
    """RSS of the granian worker(s) below a `newsdesk serve` process, in KiB."""
    total = 0
    for child in Path(f"/proc/{serve_pid}/task").glob("*/children"):
        for pid in child.read_text().split():
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return total


def worker_cpu_seconds(serve_pid: int) -> float:
    """User + system CPU time of the granian worker(s) below a `newsdesk serve` process."""
    total = 0
    for child in Path(f"/proc/{serve_pid}/task").glob("*/children"):
        for pid in child.read_text().split():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_case(
    readers: int,
    servers: int,
    seconds: int,
    redis_url: str,
    clients: int,
    push: str = "",
    at_once: int = 0,
    coverage: bool = False,
) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    environ = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(data_dir),
        "NEWSDESK_LIVE_POLL_SECONDS": "30",
    }
    if redis_url:
        environ["NEWSDESK_REDIS_URL"] = redis_url
    run_newsdesk(environ, "migrate", "--verbosity", "0")
    run_newsdesk(
        {**environ, "NEWSDESK_PASSWORD": EDITOR[1]}, "createuser", EDITOR[0], "--role", "editor"
    )
    raise_open_files_limit()
    ports = [free_port() for _ in range(servers)]
    pushpin = None
    if push == "pushpin":
        pushpin = Pushpin(data_dir / "pushpin", [f"127.0.0.1:{p}" for p in ports])
        environ["NEWSDESK_PUSH"] = "pushpin"
        environ["NEWSDESK_PUSHPIN_PUBLISH_URL"] = pushpin.publish_url
    stream_path, post_into, elsewhere = b"/live/stream", "", ""
    if coverage:
        shell = run_newsdesk(environ, "shell", "-c", OPEN_COVERAGES).stdout
        made = shell.strip().splitlines()[-1].split()  # after Django shell's own lines
        stream_path = f"/live/stream?coverage={made[1]}".encode()
        post_into, elsewhere = f"live:{made[0]}", f"live:{made[2]}"
    processes = [start_server(environ, port, "--no-scheduler") for port in ports]
    reader_ports = [pushpin.port] if pushpin else ports

    def rss_kb() -> int:
        extra = tree_rss_kb(pushpin.process.pid) if pushpin else 0
        return sum(worker_rss_kb(p.pid) for p in processes) + extra

    def cpu_seconds() -> float:
        extra = tree_cpu_seconds(pushpin.process.pid) if pushpin else 0.0
        return sum(worker_cpu_seconds(p.pid) for p in processes) + extra

    try:
        rss_before = rss_kb()
        queue = multiprocessing.Queue()
        stop = multiprocessing.Event()
        per_client = readers // clients
        workers = []
        for i in range(clients if readers else 0):
            port = reader_ports[i % len(reader_ports)]
            count = per_client + (readers % clients if i == 0 else 0)
            proc = multiprocessing.Process(
                target=load_client, args=(port, count, stop, queue, at_once, stream_path)
            )
            proc.start()
            workers.append(proc)
        connected = failed = 0
        connect_seconds = 0.0
        for _ in workers:
            _, ok, bad, took = queue.get(timeout=180)
            connected, failed, connect_seconds = (
                connected + ok,
                failed + bad,
                max(connect_seconds, took),
            )
        rss_after = rss_kb()
        desk = DeskSession(f"http://127.0.0.1:{ports[0]}", *EDITOR)
        posted = 0
        publish_ms: list[float] = []
        cpu_before = cpu_seconds()
        started = time.monotonic()
        for seq in range(seconds):
            target = started + seq
            while time.monotonic() < target:
                time.sleep(min(0.05, target - time.monotonic()))
            before = time.monotonic()
            response = desk.quick_post(
                f"bench-{seq}-{time.time_ns()}", "Benchmark update.", target=post_into
            )
            publish_ms.append((time.monotonic() - before) * 1000)
            posted += response.status_code == 302
            if response.status_code != 302 and seq == 0:
                found = re.findall(r"<li>(.*?)</li>", response.text.split("error-summary")[-1])[:3]
                print(f"publish refused: {response.status_code} {found}",
                      file=sys.stderr)  # fmt: skip
            if elsewhere:
                desk.quick_post(f"elsewhere-{seq}", "On the other live page.", target=elsewhere)
        time.sleep(GRACE_SECONDS if readers else 2)  # an event not received by then is lost
        cpu_used = cpu_seconds() - cpu_before
        stop.set()
        latencies: list[float] = []
        received: dict[int, int] = {}
        dropped = stray = 0
        for _ in workers:
            _, stats = queue.get(timeout=120)
            latencies.extend(stats["latencies"])
            dropped += stats["dropped"]
            stray += stats["stray"]
            for seq, n in stats["received"].items():
                received[seq] = received.get(seq, 0) + n
        for proc in workers:
            proc.join(timeout=30)
        expected = posted * connected
        delivered = sum(received.values())
        return {
            "readers": readers,
            "servers": servers,
            "bus": "redis" if redis_url else "memory",
            "push": push or "hub",
            "stream": "live page" if coverage else "feed",
            "stray": stray,
            "connected": connected,
            "failed": failed,
            "dropped": dropped,
            "connect_s": round(connect_seconds, 2),
            "published": posted,
            "lost": expected - delivered,
            "p50_ms": round(percentile(latencies, 0.5), 1),
            "p99_ms": round(percentile(latencies, 0.99), 1),
            "max_ms": round(max(latencies) if latencies else float("nan"), 1),
            "publish_request_ms": round(statistics.median(publish_ms), 1),
            "publish_request_p99_ms": round(percentile(publish_ms, 0.99), 1),
            "server_cpu_us_per_delivery": round(cpu_used / max(delivered, 1) * 1e6, 1),
            "rss_kb_per_1000": round((rss_after - rss_before) / max(connected, 1) * 1000),
        }
    finally:
        for process in processes:
            stop_server(process)
        if pushpin:
            pushpin.stop()


# Two published live pages, made through the actions: prints "<id> <slug> <other id>".
OPEN_COVERAGES = f"""
from django.contrib.auth import get_user_model
from newsdesk.stories import actions
editor = get_user_model().objects.get(username={EDITOR[0]!r})
made = []
for headline in ("Storm Verity: live", "Elsewhere: live"):
    story = actions.do_create_story(editor, {{"headline": headline, "kind": "live"}})
    made.append(actions.do_publish_story(editor, story.pk))
print(made[0].pk, made[0].slug, made[1].pk)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--servers", type=int, default=1, choices=[1, 2])
    parser.add_argument("--seconds", type=int, default=12, help="publishing time (≥ 10)")
    parser.add_argument("--redis", default="", help="Redis URL (needed for --servers 2)")
    parser.add_argument("--clients", type=int, default=2, help="load-client processes")
    parser.add_argument(
        "--push", default="", choices=["", "pushpin"], help="readers through a push tier"
    )
    parser.add_argument(
        "--at-once",
        type=int,
        default=0,
        help="readers connecting at the same time per load client (0: all); Pushpin 1.36 "
        "answers 502 to part of a burst of ~500+ new streams (docs/benchmarks.md)",
    )
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="readers of one live page; the editor posts entries into it (and into another)",
    )
    args = parser.parse_args()
    if args.servers > 1 and not args.redis and not args.push:
        parser.error("--servers 2 needs --redis redis://127.0.0.1:6379/0 to wake both processes")
    print(
        f"# live fan-out, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    print(
        "| readers | servers | bus | push | stream | stray | connected | failed | dropped |"
        " connect s | published |"
        " lost | p50 ms | p99 ms | max ms | publish request ms (median / p99) |"
        " server CPU µs per delivery | server KB per 1,000 readers |"
    )
    print("|" + " --- |" * 18)
    results = []
    for readers in args.readers:
        r = run_case(
            readers,
            args.servers,
            args.seconds,
            args.redis,
            args.clients,
            args.push,
            args.at_once,
            args.coverage,
        )
        results.append(r)
        print(
            f"| {r['readers']:,} | {r['servers']} | {r['bus']} | {r['push']} | {r['stream']} |"
            f" {r['stray']} | {r['connected']:,} |"
            f" {r['failed']} |"
            f" {r['dropped']} | {r['connect_s']} | {r['published']} | {r['lost']} | {r['p50_ms']} |"
            f" {r['p99_ms']} | {r['max_ms']} |"
            f" {r['publish_request_ms']} / {r['publish_request_p99_ms']} |"
            f" {r['server_cpu_us_per_delivery'] if r['readers'] else '—'} |"
            f" {format(r['rss_kb_per_1000'], ',') if r['readers'] else '—'} |",
            flush=True,
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
