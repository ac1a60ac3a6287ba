"""Push-tier spike: the raw fan-out of Pushpin and of nginx with nchan, side by side.

    .venv/bin/python bench/push_spike.py --readers 1000 --messages 10

No app: N SSE readers (the load clients of bench/live_fanout.py) connect to the engine, and this
script publishes `--messages` messages to its publish endpoint, one every half second, each
carrying the time it was sent; readers measure publish-to-receive latency. For Pushpin a tiny
origin in this process answers each stream with the GRIP hold on channel `feed`; for nchan,
Debian's nginx loads `ngx_nchan_module` (libnginx-mod-nchan) with a subscriber and a publisher
location. Reports p50/p99/max, lost and dropped, memory per 1,000 readers of the engine's
processes, and the SSE id the engine puts on a message (our protocol needs feed-event ids).
Everything on loopback; loops bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.live_fanout import (  # noqa: E402
    load_client,
    percentile,
    raise_open_files_limit,
    tree_rss_kb,
)
from tests.scale.pushpin import Pushpin  # noqa: E402
from tests.servers import free_port  # noqa: E402

NCHAN_CONF = """
load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 30000; }}
http {{
    access_log off;
    client_body_temp_path {run}/body;
    server {{
        listen 127.0.0.1:{port};
        location = /live/stream {{ nchan_subscriber eventsource; nchan_channel_id feed; }}
        location = /pub {{
            nchan_publisher; nchan_channel_id feed; nchan_message_buffer_length 1000;
        }}
    }}
}}
"""


class GripOrigin(BaseHTTPRequestHandler):
    """Holds every reader on `feed`, chained at the last id published (`last`); counts the
    requests Pushpin sends to recover after a gap (`Grip-Last`)."""

    last = 0
    recoveries = 0

    def do_GET(self):
        recovering = bool(self.headers.get("Grip-Last"))
        if recovering:
            GripOrigin.recoveries += 1
        body = b"" if recovering else b"retry: 3000\n: connected\n\n"
        self.send_response(200)
        for name, value in [
            ("Content-Type", "text/event-stream"),
            ("Grip-Hold", "stream"),
            ("Grip-Channel", f"feed; prev-id={GripOrigin.last}"),
            ("Grip-Link", "</live/stream>; rel=next"),
            ("Content-Length", str(len(body))),
        ]:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def post(url: str, body: bytes) -> None:
    request = urllib.request.Request(url, data=body, method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        response.read()


def run(engine: str, readers: int, messages: int, clients: int, at_once: int) -> dict:
    raise_open_files_limit()
    run_dir = Path(tempfile.mkdtemp(prefix=f"newsdesk-spike-{engine}-"))
    origin = None
    if engine == "pushpin":
        origin = ThreadingHTTPServer(("127.0.0.1", free_port()), GripOrigin)
        threading.Thread(target=origin.serve_forever, daemon=True).start()
        pushpin = Pushpin(run_dir, [f"127.0.0.1:{origin.server_address[1]}"])
        port, pid, stop_engine = pushpin.port, pushpin.process.pid, pushpin.stop

        def publish(seq: int, prev: int | None = None) -> None:
            """Message `seq` as item id seq + 1, chained to the one before (or to `prev`)."""
            content = f"id: {seq}\ndata: bench-{seq}-{time.time_ns()}\n\n"
            item = {
                "channel": "feed",
                "id": str(seq + 1),
                "prev-id": str(GripOrigin.last if prev is None else prev),
                "formats": {"http-stream": {"content": content}},
            }
            GripOrigin.last = seq + 1
            post(pushpin.publish_url, json.dumps({"items": [item]}).encode())
    else:
        port = free_port()
        (run_dir / "nginx.conf").write_text(NCHAN_CONF.format(run=run_dir, port=port))
        nginx = subprocess.Popen(
            [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(run_dir), "-c",
             str(run_dir / "nginx.conf"), "-g", "daemon off;"]
        )  # fmt: skip
        time.sleep(1)  # a spike: nginx starts in well under a second
        pid = nginx.pid

        def stop_engine() -> None:
            nginx.terminate()
            nginx.wait(10)

        def publish(seq: int) -> None:
            post(f"http://127.0.0.1:{port}/pub", f"bench-{seq}-{time.time_ns()}".encode())

    try:
        rss_before = tree_rss_kb(pid)
        queue = multiprocessing.Queue()
        stop = multiprocessing.Event()
        workers = []
        for i in range(clients):
            count = readers // clients + (readers % clients if i == 0 else 0)
            proc = multiprocessing.Process(
                target=load_client, args=(port, count, stop, queue, at_once)
            )
            proc.start()
            workers.append(proc)
        connected = 0
        for _ in workers:
            connected += queue.get(timeout=180)[1]
        rss_after = tree_rss_kb(pid)
        for seq in range(messages):
            publish(seq)
            time.sleep(0.5)
        time.sleep(5)  # a message not received by then counts as lost
        gap_requests = None
        if engine == "pushpin":  # one publish lost: what does recovering cost the origin?
            before = GripOrigin.recoveries
            publish(messages + 1, prev=messages + 1)  # its predecessor never comes
            time.sleep(4)
            gap_requests = GripOrigin.recoveries - before
        stop.set()
        latencies, received, dropped = [], 0, 0
        for _ in workers:
            _, stats = queue.get(timeout=120)
            latencies.extend(stats["latencies"])
            dropped += stats["dropped"]
            received += sum(stats["received"].values())
        for proc in workers:
            proc.join(timeout=30)
        sse_id = sample_id(port, publish)
        return {
            "engine": engine,
            "readers": readers,
            "connected": connected,
            "lost": messages * connected - received,
            "dropped": dropped,
            "p50_ms": round(percentile(latencies, 0.5), 1),
            "p99_ms": round(percentile(latencies, 0.99), 1),
            "max_ms": round(max(latencies) if latencies else float("nan"), 1),
            "kb_per_1000": round((rss_after - rss_before) / max(connected, 1) * 1000),
            "sse_id": sse_id,
            "origin_requests_after_a_gap": gap_requests,
        }
    finally:
        stop_engine()
        if origin:
            origin.shutdown()
        shutil.rmtree(run_dir, ignore_errors=True)


def sample_id(port: int, publish) -> str:
    """The `id:` line a reader gets on a message we publish as number 999."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(b"GET /live/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        data = sock.recv(65536)  # the headers (and Pushpin's opening lines): subscribed
        publish(999)
        while b"bench-999-" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    tail = data.decode(errors="replace").split("bench-999-")[0].rsplit("\n\n", 1)[-1]
    ids = [line[3:].strip() for line in tail.splitlines() if line.startswith("id:")]
    return ids[-1] if ids else "(none)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--engines", nargs="+", default=["pushpin", "nchan"])
    parser.add_argument("--at-once", type=int, default=0, help="readers connecting at a time")
    args = parser.parse_args()
    print(f"# push spike, {platform.machine()}, {time.strftime('%Y-%m-%d %H:%M')}")
    for engine in args.engines:
        result = run(engine, args.readers, args.messages, args.clients, args.at_once)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
