"""Browser-test fixtures, registered once in tests/conftest.py: a real `newsdesk serve` on a free
loopback port and Debian's Chromium driven by Playwright.

The server runs in its own data folder with content made by `e2e/seed.py` through the real actions,
so these tests see exactly what a reader and an editor would. In the PostgreSQL pass of `make
test` it gets its own PostgreSQL database (and the run's Redis), dropped at the end. Without
chromium the tests skip with the reason, except with CI=true, where a missing browser is a
failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsdesk.config import env
from tests.e2e.helpers import EDITOR
from tests.servers import free_port, migrated, run_newsdesk, start_server, stop_server

ROOT = Path(__file__).resolve().parents[1]
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


@dataclass
class Server:
    url: str
    data_dir: Path
    environ: dict
    seeded: dict

    def newsdesk(self, *args: str, extra_env: dict | None = None) -> subprocess.CompletedProcess:
        """Run the `newsdesk` command against this server's data folder."""
        return run_newsdesk({**self.environ, **(extra_env or {})}, *args)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("e2e-data")
    port = free_port()
    environ = {
        **os.environ,
        "NEWSDESK_DATA_DIR": str(data_dir),
        "NEWSDESK_SITE_URL": f"http://127.0.0.1:{port}",
        "NEWSDESK_SCHEDULER_INTERVAL": "1",
        "NEWSDESK_EMBED_ORIGIN": "http://127.0.0.1:9",  # no platform is ever asked
        "DJANGO_SETTINGS_MODULE": "newsdesk.config.settings",
    }
    if environ.get("NEWSDESK_DATABASE_URL", "").startswith("postgres"):  # the PostgreSQL pass
        environ["NEWSDESK_DATABASE_POOL"] = "10"  # as deployed: a connection pool per server
    else:
        environ.pop("NEWSDESK_DATABASE_URL", None)
    drop = migrated.prepare(environ, "newsdesk_e2e")
    server = Server(f"http://127.0.0.1:{port}", data_dir, environ, {})
    server.newsdesk("collectstatic", "--noinput", "--verbosity", "0")
    seed = (Path(__file__).parent / "e2e" / "seed.py").read_text()
    output = server.newsdesk("shell", "--no-imports", "--command", seed).stdout
    server.seeded = json.loads(output.strip().splitlines()[-1])
    server.newsdesk(
        "createuser", EDITOR[0], "--role", "editor", extra_env={"NEWSDESK_PASSWORD": EDITOR[1]}
    )
    process = start_server(environ, port)
    yield server
    stop_server(process)
    drop()


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


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def opened_page(browser, **context_options):
    """A page in a fresh browser context, its script errors gathered in `page.js_errors`."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    return page


@pytest.fixture
def page(browser):
    page = opened_page(browser, viewport=DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def nojs_page(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()
