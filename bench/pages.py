"""Page benchmark: requests/s and p50/p99 latency of the feed and a story page under load.

    .venv/bin/python bench/pages.py                       # everything below, ~10 minutes
    .venv/bin/python bench/pages.py --seconds 5 --connections 50 --no-postgres

Needs Debian's wrk and nginx (`sudo bash scripts/ensure-nginx.sh wrk`); PostgreSQL at
127.0.0.1:5432 (user postgres) and the redis-server program for the (b) and (c) rows.

Loads the demo newsroom (`newsdesk demo`) and measures, on loopback, with wrk (2 threads):

  a0  `newsdesk serve`, SQLite, 1 worker, page cache off (every request rendered by Django)
  a   `newsdesk serve`, SQLite, 1 worker, page cache on (the default)
  b   `newsdesk serve --workers 2`, PostgreSQL + a private Redis, page cache on
  c   nginx (deploy/nginx.conf) in front of (b) — or of (a) with --no-postgres
  d   nginx serving a static copy of the same HTML: the limit of this machine

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

from tests.servers import free_port, run_newsdesk, start_server, stop_server  # noqa: E402

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
                    f"{label:<44} {page:<5} c={connections:<4} {result['rps']:>9.0f} req/s"
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
        run_newsdesk(environ, "demo")
        return environ

    def run(self) -> None:
        args = self.args
        sqlite_data = self.tmp / "sqlite-data"
        sqlite = self.environ(sqlite_data)
        print(f"Loading the demo newsroom into SQLite in {sqlite_data}…", flush=True)
        run_newsdesk(sqlite, "migrate", "--verbosity", "0")
        run_newsdesk(sqlite, "demo")

        base = self.serve(sqlite)
        story = re.search(r'href="(/stories/[^"/]+/)"', httpx.get(base + "/").text).group(1)
        paths = {"feed": "/", "story": story}
        static_root = self.tmp / "static-copy"
        static_root.mkdir()
        (static_root / "feed.html").write_bytes(httpx.get(base + "/").content)
        (static_root / "story.html").write_bytes(httpx.get(base + story).content)

        port = free_port()
        static = self.nginx(
            STATIC_CONF.format(run=self.tmp / "static", port=port, root=static_root,
                               user=getpass.getuser()),
            port,
            "static",
        )  # fmt: skip
        self.measure("d  nginx, static copy of the HTML", {
            "feed": static + "/feed.html", "story": static + "/story.html"})  # fmt: skip

        self.measure(
            "a  serve, SQLite, 1 worker, page cache", {k: base + v for k, v in paths.items()}
        )
        uncached = self.serve(self.environ(sqlite_data, NEWSDESK_PAGE_CACHE="false"))
        self.measure(
            "a0 serve, SQLite, 1 worker, no page cache", {k: uncached + v for k, v in paths.items()}
        )
        upstream = base
        if not args.no_postgres:
            pg = self.postgres_and_redis(sqlite_data)
            if pg is not None:
                upstream = self.serve(pg, "--workers", "2")
                self.measure(
                    "b  serve, PostgreSQL+Redis, 2 workers, cache",
                    {k: upstream + v for k, v in paths.items()},
                )
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
        self.report()

    def report(self) -> None:
        limit = {(r["page"], r["c"]): r["rps"] for r in self.rows if r["setup"].startswith("d ")}
        print()
        print(f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. Machine: {machine()}.")
        print()
        print("| setup | page | conns | req/s | p50 ms | p99 ms | vs (d) | errors |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
        order = {"d": 0, "c": 1, "b": 2, "a": 3, "a0": 4}
        for r in sorted(self.rows, key=lambda r: (r["page"], r["c"], order[r["setup"].split()[0]])):
            ratio = r["rps"] / limit[(r["page"], r["c"])] if limit else float("nan")
            print(
                f"| {r['setup']} | {r['page']} | {r['c']} | {r['rps']:.0f} | {r['p50']:.1f} "
                f"| {r['p99']:.1f} | {ratio:.2f} | {r['errors']} |"
            )

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
    args = parser.parse_args()
    missing = [p for p in ("wrk", "nginx") if shutil.which(p) is None]
    if missing:
        raise SystemExit(f"{' and '.join(missing)} missing: sudo bash scripts/ensure-nginx.sh wrk")
    bench = Bench(args)
    try:
        bench.run()
    finally:
        bench.close()


if __name__ == "__main__":
    main()
