"""An editor in one browser, a reader in another: quick post reaches the reader's feed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import EDITOR

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]


def log_in(page, base_url: str) -> None:
    page.goto(base_url + "/desk/")
    page.get_by_label("Username").fill(EDITOR[0])
    page.get_by_label("Password").fill(EDITOR[1])
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/desk/$"))


def test_quick_post_reaches_a_reader_after_reload(server, browser):
    """An editor quick-posts an update; a reader who reloads the feed sees it at the top."""
    editor = browser.new_context().new_page()
    reader = browser.new_context().new_page()
    reader.goto(server.url + "/")
    headline = "Pilots agree to resume harbour escorts at dawn"
    expect(reader.get_by_text(headline)).to_have_count(0)

    log_in(editor, server.url)
    quick = editor.locator("form", has=editor.get_by_role("button", name="Post now"))
    quick.get_by_label("Headline").fill(headline)
    quick.get_by_label("Text").fill("The pilots' association confirmed escorts restart at 06:00.")
    quick.get_by_role("button", name="Post now").click()
    expect(editor.get_by_text(re.compile(f"Published “{headline}”"))).to_be_visible()

    reader.reload()
    first = reader.locator("main [data-feed] [data-feed-list] > article").first
    expect(first.locator("h2")).to_have_text(headline)
    expect(first).to_contain_text("escorts restart at 06:00")
