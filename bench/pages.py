"""Page benchmark: requests/s and p50/p99 latency of the feed and a story page under load.

    .venv/bin/python bench/pages.py                       # everything below, ~15 minutes
    .venv/bin/python bench/pages.py --seconds 5 --connections 50 --no-postgres
    .venv/bin/python bench/pages.py --only w0,w,g --seconds 2   # the peers alone
    .venv/bin/python bench/pages.py --no-peers            # our own setups alone

Needs Debian's wrk and nginx (`bash scripts/ensure-nginx.sh wrk`, as root); PostgreSQL at
127.0.0.1:5432 (user postgres) and the redis-server program for the (b) and (c) rows.

Loads the demo newsroom (`newsdesk demo --stories 1000`, as many stories as the peers get) and
measures, on loopback, with wrk (2 threads):

  a0  `newsdesk serve --workers 2`, SQLite, page cache off: every request goes through Django's
      request cycle (middleware, a view, Jinja2) and reads the database; items are drawn once per
      version by each process — two workers, like the peers' two gunicorn workers
  a   `newsdesk serve`, SQLite, 1 worker, page cache on (the default)
  b   `newsdesk serve --workers 2`, PostgreSQL + a private Redis, page cache on
  c   nginx (deploy/nginx.conf) in front of (b) — or of (a) with --no-postgres
  d   nginx serving a static copy of the same HTML: the limit of this machine

and the peers, each on its own SQLite database with the same 1,000 invented news pages
(bench/peers/, installed on first use into var/peers/: see bench/peers/README.md):

  w0  Wagtail 8 + gunicorn, 2 sync workers, no cache (bench/peers/wagtail_site)
  w   the same with Django's per-site cache middleware, 60 s
  g   Ghost 6 (npm `ghost`, production mode, SQLite), its one Node process

Page kinds: "feed" is our News Feed, Wagtail's news index (20 newest) and Ghost's home page
(20 posts a page); "story" is the first article the feed page links to.

Each row also shows its ratio to (d) for the same page and connection count, measured in the
same run. The load generator shares the machine with the servers: compare ratios, not absolute
numbers, across machines.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path[:0] = [str(ROOT / "bench" / "peers"), str(ROOT / "bench" / "peers" / "ghost")]

import ghost_peer  # noqa: E402
import wagtail_peer  # noqa: E402

from tests.servers import free_port, run_newsdesk, start_server, stop_server  # noqa: E402

STORIES = 1000  # the peers' 1,000 pages
SETUPS = ("d", "c", "b", "a", "a0", "w", "w0", "g")
OURS = ("d", "c", "b", "a", "a0")
PEER_ARTICLE = re.compile(r'href="(?:https?://[^"/]+)?(/news-\d+/)"')

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
STATIC_CONF = """
worker_processes auto;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
user {user};
events {{ worker_connections 8192; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {run}/cb; proxy_temp_path {run}/pt; fastcgi_temp_path {run}/ft;
    uwsgi_temp_path {run}/ut; scgi_temp_path {run}/st;
    server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
"""


def wait_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited before listening")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        time.sleep(0.05)
    raise SystemExit(f"{what} did not start listening on {port}")


def wrk(url: str, connections: int, seconds: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency_ms(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency_ms("50"),
        "p99": latency_ms("99"),
        "errors": (errors.group(1) if errors else "0")
        + (f" ({socket_errors.group(1)})" if socket_errors else ""),
    }


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
        self.cleanups: list = []
        self.rows: list[dict] = []
        self.notes: list[str] = []

    def wanted(self, *setups: str) -> bool:
        return any(setup in self.args.only for setup in setups)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(text, flush=True)

    def environ(self, data: Path, **extra: str) -> dict:
        environ = {**os.environ, "NEWSDESK_DATA_DIR": str(data), **extra}
        for name in ("NEWSDESK_DATABASE_URL", "NEWSDESK_REDIS_URL"):
            if name not in extra:
                environ.pop(name, None)
        return environ

    def serve(self, environ: dict, *extra: str) -> str:
        port = free_port()
        process = start_server(environ, port, "--no-scheduler", *extra)
        self.cleanups.append(lambda: stop_server(process))
        base = f"http://127.0.0.1:{port}"
        for _ in range(3):  # first renders, and the page cache settles on the content version
            httpx.get(base + "/", timeout=30)
        return base

    def nginx(self, conf_text: str, port: int, name: str) -> str:
        run = self.tmp / name
        run.mkdir(exist_ok=True)
        conf = run / "nginx.conf"
        conf.write_text(conf_text)
        process = subprocess.Popen(
            ["nginx", "-p", str(run), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        self.cleanups.append(lambda: (process.terminate(), process.wait()))
        wait_port(port, process, "nginx")
        return f"http://127.0.0.1:{port}"

    def measure(self, label: str, urls: dict[str, str]) -> None:
        for page, url in urls.items():
            httpx.get(url, timeout=30)  # warm
            for connections in self.args.connections:
                result = wrk(url, connections, self.args.seconds)
                self.rows.append({"setup": label, "page": page, "c": connections, **result})
                print(
                    f"{label:<54} {page:<5} c={connections:<4} {result['rps']:>9.0f} req/s"
                    f"  p50 {result['p50']:>7.1f} ms  p99 {result['p99']:>7.1f} ms"
                    f"  errors {result['errors']}",
                    flush=True,
                )

    def postgres_and_redis(self, sqlite_data: Path) -> dict | None:
        try:
            import psycopg

            admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
        except Exception as error:
            print(f"(b) skipped: PostgreSQL not reachable ({error})")
            return None
        if shutil.which("redis-server") is None:
            print("(b) skipped: redis-server is not installed")
            return None
        name = f"newsdesk_bench_{uuid.uuid4().hex[:8]}"
        admin.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()

        self.cleanups.append(drop)
        redis_port = free_port()
        redis = subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.cleanups.append(lambda: (redis.kill(), redis.wait()))
        wait_port(redis_port, redis, "redis-server")
        data = self.tmp / "pg-data"
        environ = self.environ(
            data,
            NEWSDESK_DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}",
            NEWSDESK_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        )
        print("Loading the demo newsroom into PostgreSQL…", flush=True)
        run_newsdesk(environ, "migrate", "--verbosity", "0")
        run_newsdesk(environ, "demo", "--stories", str(STORIES))
        return environ

    def run(self) -> None:
        peers = self.prepare_peers()  # installs and seeds before anything is measured
        if self.wanted(*OURS):
            self.run_ours()
        self.measure_peers(*peers)
        self.report()

    def run_ours(self) -> None:
        args = self.args
        sqlite_data = self.tmp / "sqlite-data"
        sqlite = self.environ(sqlite_data)
        print(f"Loading the demo newsroom into SQLite in {sqlite_data}…", flush=True)
        run_newsdesk(sqlite, "migrate", "--verbosity", "0")
        run_newsdesk(sqlite, "demo", "--stories", str(STORIES))

        base = self.serve(sqlite)
        story = re.search(r'href="(/stories/[^"/]+/)"', httpx.get(base + "/").text).group(1)
        paths = {"feed": "/", "story": story}
        static_root = self.tmp / "static-copy"
        static_root.mkdir()
        (static_root / "feed.html").write_bytes(httpx.get(base + "/").content)
        (static_root / "story.html").write_bytes(httpx.get(base + story).content)

        if self.wanted("d"):
            port = free_port()
            static = self.nginx(
                STATIC_CONF.format(run=self.tmp / "static", port=port, root=static_root,
                                   user=getpass.getuser()),
                port,
                "static",
            )  # fmt: skip
            self.measure("d  nginx, static copy of the HTML", {
                "feed": static + "/feed.html", "story": static + "/story.html"})  # fmt: skip

        if self.wanted("a"):
            self.measure(
                "a  serve, SQLite, 1 worker, page cache", {k: base + v for k, v in paths.items()}
            )
        if self.wanted("a0"):
            uncached = self.serve(
                self.environ(sqlite_data, NEWSDESK_PAGE_CACHE="false"), "--workers", "2"
            )
            self.measure(
                "a0 serve, SQLite, 2 workers, no page cache",
                {k: uncached + v for k, v in paths.items()},
            )
        upstream = base
        if not args.no_postgres and self.wanted("b", "c"):
            pg = self.postgres_and_redis(sqlite_data)
            if pg is not None:
                upstream = self.serve(pg, "--workers", "2")
                if self.wanted("b"):
                    self.measure(
                        "b  serve, PostgreSQL+Redis, 2 workers, cache",
                        {k: upstream + v for k, v in paths.items()},
                    )
        if not self.wanted("c"):
            return
        port = free_port()
        run_dir = self.tmp / "nginx"
        conf = subprocess.run(
            [sys.executable, str(ROOT / "deploy" / "render_nginx.py"), "--listen",
             f"127.0.0.1:{port}", "--upstream", upstream.removeprefix("http://"),
             "--static-root", str(sqlite_data / "static"), "--run-dir", str(run_dir),
             "--user", getpass.getuser(), "--no-access-log"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        proxied = self.nginx(conf, port, "nginx")
        behind = "(b)" if upstream != base else "(a)"
        self.measure(f"c  nginx proxy_cache in front of {behind}",
                     {k: proxied + v for k, v in paths.items()})  # fmt: skip

    def prepare_peers(self) -> tuple[Path | None, Path | None]:
        """Install and seed the peers that are wanted; a peer that cannot run here gets a note
        saying why, and the others go on."""
        wagtail = ghost = None
        if self.wanted("w0", "w"):
            try:
                wagtail = wagtail_peer.prepare(self.tmp / "wagtail-data")
            except Exception as error:
                self.note(f"Wagtail: not measured because {error}")
        if self.wanted("g"):
            try:
                ghost = ghost_peer.prepare(self.tmp / "ghost-site")
            except Exception as error:
                self.note(f"Ghost: not measured because {error}")
        return wagtail, ghost

    def peer_urls(self, base: str) -> dict[str, str]:
        for _ in range(3):  # first renders: templates compiled, caches filled
            feed = httpx.get(base + "/", timeout=60)
        feed.raise_for_status()
        article = PEER_ARTICLE.search(feed.text)
        if article is None:
            raise RuntimeError(f"no link to a news page on {base}/")
        for _ in range(2):
            httpx.get(base + article.group(1), timeout=60).raise_for_status()
        return {"feed": base + "/", "story": base + article.group(1)}

    def measure_peers(self, wagtail: Path | None, ghost: Path | None) -> None:
        """Each peer runs alone while it is measured and is stopped right after."""
        if wagtail is not None:
            for key, cache, label in (
                ("w0", 0, "w0 Wagtail 8, gunicorn 2 workers, SQLite, no cache"),
                ("w", 60, "w  Wagtail 8, gunicorn 2 workers, per-site cache 60 s"),
            ):
                if not self.wanted(key):
                    continue
                port = free_port()
                process = wagtail_peer.serve(wagtail, port, cache_seconds=cache)
                try:
                    self.measure(label, self.peer_urls(f"http://127.0.0.1:{port}"))
                finally:
                    wagtail_peer.stop(process)
        if ghost is not None:
            port = free_port()
            try:
                process = ghost_peer.serve(ghost, port)
            except Exception as error:
                self.note(f"Ghost: not measured because {error}")
                return
            try:
                self.measure("g  Ghost 6, SQLite, 1 Node process", self.peer_urls(
                    f"http://127.0.0.1:{port}"))  # fmt: skip
            finally:
                ghost_peer.stop(process)

    def report(self) -> None:
        limit = {(r["page"], r["c"]): r["rps"] for r in self.rows if r["setup"].startswith("d ")}
        print()
        print(f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. Machine: {machine()}.")
        print()
        print("| setup | page | conns | req/s | p50 ms | p99 ms | vs (d) | errors |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
        order = {setup: n for n, setup in enumerate(SETUPS)}
        for r in sorted(self.rows, key=lambda r: (r["page"], r["c"], order[r["setup"].split()[0]])):
            d = limit.get((r["page"], r["c"]))
            ratio = f"{r['rps'] / d:.2f}" if d else "—"
            print(
                f"| {r['setup']} | {r['page']} | {r['c']} | {r['rps']:.0f} | {r['p50']:.1f} "
                f"| {r['p99']:.1f} | {ratio} | {r['errors']} |"
            )
        for note in self.notes:
            print(f"\n{note}")

    def close(self) -> None:
        for cleanup in reversed(self.cleanups):
            with contextlib.suppress(Exception):
                cleanup()
        shutil.rmtree(self.tmp, ignore_errors=True)


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()}, load average {load:.1f} at the end"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--no-postgres", action="store_true", help="skip the (b) row")
    parser.add_argument("--no-peers", action="store_true", help="skip Wagtail and Ghost")
    parser.add_argument(
        "--only",
        default=",".join(SETUPS),
        help=f"comma-separated setups to measure, of {','.join(SETUPS)} (default: all)",
    )
    args = parser.parse_args()
    args.only = {setup.strip() for setup in args.only.split(",") if setup.strip()}
    if unknown := args.only - set(SETUPS):
        parser.error(f"unknown setups: {', '.join(sorted(unknown))}")
    if args.no_peers:
        args.only -= {"w0", "w", "g"}
    missing = [p for p in ("wrk", "nginx") if shutil.which(p) is None]
    if not Path("/usr/lib/nginx/modules/ngx_http_lua_module.so").exists():  # deploy/nginx.conf
        missing.append("libnginx-mod-http-lua")
    if missing:
        needed = " and ".join(missing)
        raise SystemExit(f"{needed} missing: run, as root, bash scripts/ensure-nginx.sh wrk")
    bench = Bench(args)
    try:
        bench.run()
    finally:
        bench.close()


if __name__ == "__main__":
    main()
