"""The Wagtail peer: a minimal Wagtail 8 news site (wagtail_site/) served by gunicorn.

    .venv/bin/python bench/peers/wagtail_peer.py --port 8008            # no cache
    .venv/bin/python bench/peers/wagtail_peer.py --port 8008 --cache 60 # Django's per-site cache

Installs Wagtail and gunicorn into their own venv (var/peers/wagtail-venv, made with the Python
that runs this file), builds the SQLite database with 1,000 invented news pages once (kept in
var/peers/ and copied for each run) and serves it with gunicorn, 2 sync workers. bench/pages.py
imports this module.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SITE = HERE / "wagtail_site"
PEERS = ROOT / "var" / "peers"
VENV = PEERS / "wagtail-venv"
REQUIREMENTS = ["wagtail>=8,<9", "gunicorn"]

sys.path.insert(0, str(ROOT))

from tests.servers import stop_server  # noqa: E402

PAGES = 1000


def venv_python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv() -> Path:
    """The venv with Wagtail 8 and gunicorn, created on first use."""
    marker = VENV / "requirements.txt"
    wanted = "\n".join(REQUIREMENTS) + "\n"
    if marker.exists() and marker.read_text() == wanted and venv_python().exists():
        return VENV
    print(f"Installing {', '.join(REQUIREMENTS)} into {VENV}…", flush=True)
    shutil.rmtree(VENV, ignore_errors=True)
    PEERS.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = subprocess.run(
        [str(venv_python()), "-m", "pip", "install", "--quiet", *REQUIREMENTS],
        capture_output=True,
        text=True,
    )
    if pip.returncode:
        raise RuntimeError(f"pip install {' '.join(REQUIREMENTS)} failed:\n{pip.stderr}")
    marker.write_text(wanted)
    return VENV


def site_digest(pages: int) -> str:
    digest = hashlib.sha256(f"{pages}\n{(VENV / 'requirements.txt').read_text()}".encode())
    files = [HERE / "invented.py", *sorted(SITE.rglob("*.py")), *sorted(SITE.rglob("*.html"))]
    for path in files:
        if "__pycache__" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def environ(data: Path, cache_seconds: int = 0) -> dict:
    return {
        **os.environ,
        "WAGTAIL_BENCH_DATA": str(data),
        "WAGTAIL_BENCH_CACHE": str(cache_seconds),
        "WAGTAIL_BENCH_SECRET_KEY": hashlib.sha256(os.urandom(32)).hexdigest(),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def prepare(data: Path, pages: int = PAGES) -> Path:
    """Put a database with the news index and `pages` news pages in `data`."""
    ensure_venv()
    data.mkdir(parents=True, exist_ok=True)
    seeded = PEERS / f"wagtail-{pages}-{site_digest(pages)}.sqlite3"
    if not seeded.exists():
        print(f"Building the Wagtail site with {pages} news pages (once)…", flush=True)
        build = PEERS / "wagtail-build"
        shutil.rmtree(build, ignore_errors=True)
        build.mkdir(parents=True)
        for command in (["migrate", "--verbosity", "0"], ["seed_news", "--pages", str(pages)]):
            subprocess.run(
                [str(venv_python()), "manage.py", *command],
                cwd=SITE,
                env=environ(build),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        for old in PEERS.glob(f"wagtail-{pages}-*.sqlite3"):
            old.unlink()
        shutil.move(build / "db.sqlite3", seeded)
        shutil.rmtree(build, ignore_errors=True)
    shutil.copyfile(seeded, data / "db.sqlite3")
    return data


def serve(data: Path, port: int, cache_seconds: int = 0, workers: int = 2) -> subprocess.Popen:
    """Start gunicorn on 127.0.0.1:`port` and return once it accepts connections."""
    process = subprocess.Popen(
        [str(VENV / "bin" / "gunicorn"), "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--no-control-socket", "newsbench.wsgi"],
        cwd=SITE,
        env=environ(data, cache_seconds),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode} before listening")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gunicorn did not listen on {port} within 60 s")


stop = stop_server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8008)
    parser.add_argument("--cache", type=int, default=0, help="per-site cache seconds (0: off)")
    parser.add_argument("--pages", type=int, default=PAGES)
    parser.add_argument("--data", type=Path, default=PEERS / "wagtail-data")
    args = parser.parse_args()
    process = serve(prepare(args.data, args.pages), args.port, args.cache)
    print(f"Wagtail on http://127.0.0.1:{args.port}/ (Ctrl-C stops it)", flush=True)
    try:
        process.wait()
    except KeyboardInterrupt:
        stop(process)


if __name__ == "__main__":
    main()
