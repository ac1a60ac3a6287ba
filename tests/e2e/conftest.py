"""A real `newsdesk serve` on a free loopback port and Debian's Chromium driven by Playwright.

The server runs in its own data folder with content made by `seed.py` through the real actions,
so these tests see exactly what a reader and an editor would. Without chromium the tests skip
with the reason, except with CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsdesk.config import env
from tests.e2e.helpers import EDITOR

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    data_dir: Path
    environ: dict
    seeded: dict

    def newsdesk(self, *args: str, extra_env: dict | None = None) -> subprocess.CompletedProcess:
        """Run the `newsdesk` command against this server's data folder."""
        return subprocess.run(
            [sys.executable, "-m", "newsdesk.config.cli", *args],
            env={**self.environ, **(extra_env or {})},
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )


def start_server(data_dir: Path, environ: dict, port: int) -> subprocess.Popen:
    """Start `newsdesk serve` and return once its worker has started (read from its log)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "newsdesk.config.cli", "serve", "--port", str(port)],
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
    return process


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("e2e-data")
    port = _free_port()
    environ = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(data_dir),
        "NEWSDESK_SITE_URL": f"http://127.0.0.1:{port}",
        "NEWSDESK_SCHEDULER_INTERVAL": "1",
        "DJANGO_SETTINGS_MODULE": "newsdesk.config.settings",
    }
    environ.pop("NEWSDESK_DATABASE_URL", None)
    server = Server(f"http://127.0.0.1:{port}", data_dir, environ, {})
    server.newsdesk("migrate", "--verbosity", "0")
    server.newsdesk("collectstatic", "--noinput", "--verbosity", "0")
    seed = (Path(__file__).parent / "seed.py").read_text()
    output = server.newsdesk("shell", "--no-imports", "--command", seed).stdout
    server.seeded = json.loads(output.strip().splitlines()[-1])
    server.newsdesk(
        "createuser", EDITOR[0], "--role", "editor", extra_env={"NEWSDESK_PASSWORD": EDITOR[1]}
    )
    process = start_server(data_dir, environ, port)
    yield server
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if env.is_ci():
            pytest.fail("chromium is not installed, and CI=true forbids skipping browser tests")
        pytest.skip("chromium is not installed (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()
