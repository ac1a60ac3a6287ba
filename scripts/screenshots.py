"""Remake the README's screenshots from the demo newsroom (`newsdesk demo`), desktop and phone.

    .venv/bin/python scripts/screenshots.py              # writes docs/screenshots/*.png
    .venv/bin/python scripts/screenshots.py --out /tmp/shots

It builds a fresh demo newsroom in a temporary data folder (`newsdesk up --no-serve`), serves it
on a free port with `newsdesk serve`, and drives Debian's Chromium with Playwright (see
`make chromium`; `playwright install` is never needed). Two updates are published while the
News Feed is open, for the "new updates" picture. Nothing outside the temporary folder changes
but the PNG files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# bypass_csp: Playwright's waits evaluate script text, which our Content-Security-Policy refuses.
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "bypass_csp": True}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "bypass_csp": True,
}
IMAGES_IN_VIEW = """() => Array.from(document.images)
    .filter(i => i.getBoundingClientRect().top < innerHeight)
    .every(i => i.complete && i.naturalWidth > 0)"""
# Published while the News Feed is open: they wait behind the "2 new updates" button.
LIVE_UPDATES = """
from django.contrib.auth import get_user_model
from newsdesk.stories import actions
from newsdesk.stories.models import Topic

editor = get_user_model().objects.get(username="editor")
topics = list(
    Topic.objects.filter(slug__in=["storm-verity", "transport"]).values_list("pk", flat=True)
)
for headline, body in [
    ("Storm Verity: ferry crossings to the outer islands resume at noon",
     "The harbour master says the first boat leaves Ambervale at 12:00; expect queues."),
    ("Storm Verity: Greyfell Road open again in both directions",
     "Crews cleared the last fallen fences shortly after sunrise."),
]:
    data = {"headline": headline, "body": body, "topic_ids": topics}
    story = actions.do_create_story(editor, data)
    actions.do_publish_story(editor, story.pk)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def newsdesk(environ: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own command, with arguments we wrote)
        [sys.executable, "-m", "newsdesk.config.cli", *args],
        env=environ, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip


def serve(environ: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 (our own command)
        [sys.executable, "-m", "newsdesk.config.cli", "serve", "--port", str(port)],
        env=environ, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    log = []
    for line in process.stdout:
        log.append(line)
        if "Started worker" in line:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process
    raise SystemExit("newsdesk serve stopped before serving:\n" + "".join(log))


def settle(page) -> None:
    """Wait until the images in view have loaded (the live stream keeps the network busy, so
    "network idle" never comes)."""
    page.wait_for_load_state("load")
    page.wait_for_function(IMAGES_IN_VIEW)


def shoot(base: str, out: Path, environ: dict) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    written = []

    def save(page, name: str) -> None:
        path = out / name
        page.screenshot(path=str(path))
        written.append(path)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        desktop = browser.new_context(**DESKTOP).new_page()
        desktop.goto(base + "/")
        settle(desktop)
        save(desktop, "feed.png")
        article = desktop.locator(".feed-item__more a").first.get_attribute("href")
        desktop.goto(base + article)
        settle(desktop)
        save(desktop, "story.png")
        desktop.goto(base + "/")
        settle(desktop)
        newsdesk(environ, "shell", "--no-imports", "--command", LIVE_UPDATES)
        waiting = desktop.get_by_role("button", name="2 new updates")
        waiting.wait_for(timeout=15_000)
        # The button with the item above it and the items below: where the reader looks.
        waiting.evaluate("b => window.scrollBy(0, b.getBoundingClientRect().top - 320)")
        settle(desktop)
        save(desktop, "feed-live-new-update.png")

        phone = browser.new_context(**PHONE).new_page()
        phone.goto(base + "/")
        settle(phone)
        save(phone, "feed-phone.png")
        phone.locator("summary.site-menu__toggle").click()
        save(phone, "menu-phone.png")
        nojs = browser.new_context(**PHONE, java_script_enabled=False).new_page()
        nojs.goto(base + article)
        settle(nojs)
        save(nojs, "story-nojs-phone.png")
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsdesk-screenshots-") as data_dir:
        port = free_port()
        environ = {
            **{k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")},
            "NEWSDESK_DATA_DIR": data_dir,
            "NEWSDESK_PORT": str(port),
            "DJANGO_SETTINGS_MODULE": "newsdesk.config.settings",
        }
        print("Building the demo newsroom…", flush=True)
        newsdesk(environ, "up", "--no-serve")
        server = serve(environ, port)
        try:
            for path in shoot(f"http://127.0.0.1:{port}", args.out, environ):
                print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
