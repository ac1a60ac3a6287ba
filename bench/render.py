"""CPU per uncached page: what one process spends to render the feed and a story page.

    .venv/bin/python bench/render.py                 # demo newsroom (1,000 stories), 300 requests
    .venv/bin/python bench/render.py --requests 1000 --profile feed

wrk's requests per second move with everything else on a shared machine; the CPU time a process
spends per request moves much less, so this is the number to compare before and after a change to
rendering. Each page is requested through the same ASGI application `newsdesk serve` runs
(`newsdesk.config.asgi.application`: page cache front, a2wsgi, Django), in this
process, with the page cache off (`NEWSDESK_PAGE_CACHE=false`), after one warm-up request.
Reports the median of five rounds of CPU milliseconds per request, and the queries one request
makes through Django's view.

`--profile feed|story` prints the functions that take the most time (cProfile, through Django's
test client in this thread, so without the ASGI layers, which a profiler on this thread would not
see running on the worker threads).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import run_newsdesk  # noqa: E402

ROUNDS = 5


async def get(application, path: str) -> tuple[int, bytes]:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"host", b"127.0.0.1:8000")],
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
    }  # fmt: skip
    received = False
    status, body = 0, []

    async def receive():
        nonlocal received
        if received:  # the client never disconnects during the request
            await asyncio.Event().wait()
        received = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await application(scope, receive, send)
    return status, b"".join(body)


async def cpu_ms_per_request(application, path: str, requests: int) -> float:
    rounds = []
    for _ in range(ROUNDS):
        start = time.process_time()
        for _ in range(requests // ROUNDS):
            await get(application, path)
        rounds.append((time.process_time() - start) / (requests // ROUNDS) * 1000)
    return statistics.median(rounds)


def queries_per_request(path: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured.captured_queries)


def profile(path: str, requests: int) -> None:
    import cProfile
    import pstats

    from django.test import Client

    client = Client()
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(40)


async def measure(args) -> dict[str, tuple[str, float]] | None:
    """{page: (path, CPU ms per request)}; None after printing a profile."""
    from newsdesk.config.asgi import application

    status, feed = await get(application, "/")
    assert status == 200, status
    story = re.search(rb'href="(/stories/[^"/]+/)"', feed).group(1).decode()
    # The web app manifest: Django's request cycle (every middleware) with a trivial view that
    # reads nothing, the floor under any page through the same stack.
    paths = {"feed": "/", "story": story, "manifest": "/manifest.webmanifest"}
    if args.profile:
        await asyncio.to_thread(profile, paths[args.profile], args.requests)
        return None
    measured = {}
    for name, path in paths.items():
        await get(application, path)  # warm
        measured[name] = (path, await cpu_ms_per_request(application, path, args.requests))
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--profile", choices=["feed", "story", "manifest"])
    parser.add_argument("--data-dir", help="an existing data folder (default: a new demo)")
    args = parser.parse_args()
    data = Path(args.data_dir or tempfile.mkdtemp(prefix="newsdesk-render-"))
    environ = {**os.environ, "NEWSDESK_DATA_DIR": str(data), "NEWSDESK_PAGE_CACHE": "false"}
    environ.pop("NEWSDESK_DATABASE_URL", None)
    environ.pop("NEWSDESK_REDIS_URL", None)
    if not args.data_dir:
        run_newsdesk(environ, "migrate", "--verbosity", "0")
        run_newsdesk(environ, "demo", "--stories", str(args.stories))
        run_newsdesk(environ, "collectstatic", "--noinput", "--verbosity", "0")
    os.environ.update(environ)
    os.environ.pop("NEWSDESK_DATABASE_URL", None)
    os.environ.pop("NEWSDESK_REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.config.settings")
    measured = asyncio.run(measure(args))
    if measured is None:
        return
    print(f"Machine: {os.cpu_count()} cores, {platform.python_implementation()} "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print("| page | CPU ms per request (median of 5 rounds) | queries |")
    print("| --- | ---: | ---: |")
    for name, (path, ms) in measured.items():
        print(f"| {name} | {ms:.2f} | {queries_per_request(path)} |")


if __name__ == "__main__":
    main()
