"""One writer must not stall the newsroom: an editor publishes while contributors save
pathological drafts. Reports the editor's publish latency (median, p99, max), failed publishes,
how the contributors' saves were answered, and how late a scheduled story went out.

    .venv/bin/python bench/stall.py [--publishes 40] [--contributors 3] [--workers 1]

Runs a fresh `newsdesk serve` (SQLite, or PostgreSQL with NEWSDESK_DATABASE_URL set: a fresh
database is made and dropped) in a temporary data folder, first quiet, then with the
contributors saving bodies such as `<div>` × 40,000 or `[` × 200,000 through the API in a loop.
Clients are threads in this process, sharing the machine's CPUs with the server.
`run_stall` is also what `tests/scale/test_stall.py` runs (with fewer publishes).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import (  # noqa: E402
    free_port,
    fresh_postgres,
    run_newsdesk,
    start_server,
    stop_server,
)

PASSWORD = "Stall-Bench-Password-42"  # noqa: S105 (a throwaway local account)

# Each at most 200,000 characters (the body limit), so every one reaches the renderer.
_ROW = "|x|y|\n"
PATHOLOGICAL_BODIES = {
    "<div> x 40,000": "<div>" * 40_000,
    "[ x 200,000": "[" * 200_000,
    "![ x 100,000": "![" * 100_000,
    "[a]( x 50,000": "[a](" * 50_000,
    "*a _b x 33,000": "*a _b " * 33_000,
    "table of 30,000 rows": "|a|b|\n|-|-|\n" + _ROW * 30_000,
    "< x 200,000": "<" * 200_000,
    "prose, 190,000 chars": (
        "Lorem ipsum dolor sit amet, *consectetur* adipiscing [elit](https://example.com).\n\n"
    )
    * 2_300,
}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class StallResult:
    publishes: int = 0
    failures: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    saves: Counter = field(default_factory=Counter)  # "<body>: <status>" → count
    save_seconds: list[float] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "publishes": self.publishes,
            "failed publishes": len(self.failures),
            "publish median ms": round(percentile(self.latencies, 0.5) * 1000),
            "publish p99 ms": round(percentile(self.latencies, 0.99) * 1000),
            "publish max ms": round(max(self.latencies, default=0) * 1000),
            "contributor saves": dict(sorted(self.saves.items())),
            "contributor save max ms": round(max(self.save_seconds, default=0) * 1000),
            "failures": self.failures[:5],
        }


def _contributor(base: str, token: str, stop: threading.Event, result: StallResult,
                 lock: threading.Lock, started: threading.Event) -> None:  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        draft = client.post("/api/v1/stories", json={"headline": "A draft in progress"})
        draft.raise_for_status()
        story_id = draft.json()["id"]
        for name, body in itertools.cycle(PATHOLOGICAL_BODIES.items()):
            if stop.is_set():
                return
            began = time.monotonic()
            try:
                status = client.patch(f"/api/v1/stories/{story_id}", json={"body": body})
                outcome = str(status.status_code)
            except httpx.HTTPError as error:
                outcome = type(error).__name__
            with lock:
                result.saves[f"{name}: {outcome}"] += 1
                result.save_seconds.append(time.monotonic() - began)
            started.set()


def run_stall(base: str, editor_token: str, contributor_tokens: list[str],
              publishes: int) -> StallResult:  # fmt: skip
    """The editor creates and publishes `publishes` stories one after another (timing each
    publish) while every contributor token saves pathological drafts in a loop."""
    result = StallResult()
    stop, lock = threading.Event(), threading.Lock()
    started = [threading.Event() for _ in contributor_tokens]
    threads = [
        threading.Thread(target=_contributor, args=(base, t, stop, result, lock, s), daemon=True)
        for t, s in zip(contributor_tokens, started, strict=True)
    ]
    for thread in threads:
        thread.start()
    try:
        for event in started:  # every contributor has saved once: the load is on
            if not event.wait(timeout=120):
                raise RuntimeError("a contributor could not save a draft within 120 s")
        headers = {"Authorization": f"Bearer {editor_token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as editor:
            for number in range(publishes):
                draft = editor.post(
                    "/api/v1/stories",
                    json={"headline": f"Council votes, item {number}", "body": "Words."},
                )
                if draft.status_code != 201:
                    result.failures.append(f"create {draft.status_code}: {draft.text[:200]}")
                    continue
                began = time.monotonic()
                try:
                    published = editor.post(f"/api/v1/stories/{draft.json()['id']}/publish")
                    status, text = published.status_code, published.text
                except httpx.HTTPError as error:
                    status, text = 0, repr(error)
                result.latencies.append(time.monotonic() - began)
                result.publishes += 1
                if status != 200:
                    result.failures.append(f"publish {status}: {text[:200]}")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    return result


def _schedule_lateness(environ: dict, base: str, token: str) -> float:
    """Schedule a story 3 s ahead (via `newsdesk shell`), return how late readers could see it."""
    code = (
        "import datetime as dt; from django.utils import timezone; "
        "from django.contrib.auth import get_user_model; from newsdesk.stories import actions; "
        "u = get_user_model().objects.get(username='stall-editor'); "
        "s = actions.do_create_story(u, {'headline': 'Scheduled item', 'body': 'Words.'}); "
        "w = timezone.now() + dt.timedelta(seconds=3); actions.do_schedule_story(u, s.pk, w); "
        "print(s.pk, w.timestamp())"
    )
    output = run_newsdesk(environ, "shell", "-c", code).stdout
    story_id, when = output.strip().splitlines()[-1].split()
    with httpx.Client(base_url=base, timeout=30) as client:
        while time.time() < float(when) + 60:
            answer = client.get(f"/api/v1/stories/{story_id}")
            if answer.status_code == 200 and answer.json().get("status") == "published":
                return time.time() - float(when)
            time.sleep(0.05)  # polling the public API for the story, with a deadline
    return float("inf")


def make_site(environ: dict, contributors: int) -> tuple[str, list[str]]:
    """Create the editor and contributor accounts; return their API tokens."""
    run_newsdesk(environ, "migrate", "--verbosity", "0")
    tokens = []
    for name, role in [("stall-editor", "editor")] + [
        (f"stall-contributor-{i}", "contributor") for i in range(contributors)
    ]:
        run_newsdesk({**environ, "NEWSDESK_PASSWORD": PASSWORD}, "createuser", name,
                     "--role", role)  # fmt: skip
        tokens.append(run_newsdesk(environ, "token", name).stdout.strip().split()[-1])
    return tokens[0], tokens[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publishes", type=int, default=40)
    parser.add_argument("--contributors", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="newsdesk-stall-"))
    port = free_port()
    environ = {**os.environ, "NEWSDESK_DATA_DIR": str(data_dir),
               "NEWSDESK_SITE_URL": f"http://127.0.0.1:{port}",
               "NEWSDESK_SCHEDULER_INTERVAL": "1",
               "DJANGO_SETTINGS_MODULE": "newsdesk.config.settings"}  # fmt: skip
    environ.pop("NEWSDESK_REDIS_URL", None)
    drop = None
    if environ.get("NEWSDESK_DATABASE_URL", "").startswith("postgres"):
        environ["NEWSDESK_DATABASE_URL"], drop = fresh_postgres(
            environ["NEWSDESK_DATABASE_URL"], "newsdesk_stall"
        )
    server = None
    results = {}
    try:
        editor, contributors = make_site(environ, args.contributors)
        server = start_server(environ, port, "--workers", str(args.workers))
        base = f"http://127.0.0.1:{port}"
        results["quiet"] = run_stall(base, editor, [], args.publishes).summary()
        print("quiet", json.dumps(results["quiet"], indent=1), flush=True)
        loaded = run_stall(base, editor, contributors, args.publishes).summary()
        print("pathological saves", json.dumps(loaded, indent=1), flush=True)
        # A scheduled story, while the contributors are at it again.
        stop = threading.Event()
        result, lock, started = StallResult(), threading.Lock(), threading.Event()
        for token in contributors:
            threading.Thread(target=_contributor, args=(base, token, stop, result, lock, started),
                             daemon=True).start()  # fmt: skip
        started.wait(120)
        loaded["scheduled story late by s (scheduler every 1 s)"] = round(
            _schedule_lateness(environ, base, editor), 2
        )
        stop.set()
        results["pathological saves"] = loaded
    finally:
        if server is not None:
            stop_server(server)
        if drop is not None:
            drop()
        shutil.rmtree(data_dir, ignore_errors=True)
    database = "PostgreSQL" if drop is not None else "SQLite"
    print(json.dumps({"machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} CPUs",
                      "python": platform.python_version(), "database": database,
                      "workers": args.workers,
                      "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                      "results": results}, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
