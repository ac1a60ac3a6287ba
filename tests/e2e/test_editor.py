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
    expect(quick.get_by_role("status")).to_contain_text("Posted")
    expect(quick.get_by_label("Headline")).to_have_value("")  # ready for the next one

    reader.reload()
    first = reader.locator("main [data-feed] [data-feed-list] > article").first
    expect(first.locator("h2")).to_have_text(headline)
    expect(first).to_contain_text("escorts restart at 06:00")


def test_the_byline_is_in_the_order_the_editor_sets(server, browser):
    """Two authors chosen the other way round from the list's order, then moved: the reader's
    byline has them in the order the editor set, not the list's (alphabetical) one."""
    page = browser.new_context().new_page()
    log_in(page, server.url)
    page.goto(server.url + "/desk/authors/new/")
    page.get_by_label("Name").fill("Aaron Tugwell")  # first in the list's alphabetical order
    page.get_by_role("button", name="Save").click()
    page.goto(server.url + "/desk/stories/new/")
    page.get_by_label("Headline").fill("Harbour pilots and tug crews share the night shift")
    page.get_by_label("Body").fill("Both crews will be on call until the storm passes.")
    authors = page.locator('select[name="author_ids"]')
    names = [text.strip() for text in authors.locator("option").all_text_contents()]
    first, second = names[0], names[1]  # the list's order
    assert first == "Aaron Tugwell", names
    authors.select_option(label=[second])
    authors.select_option(label=[second, first])  # chosen second, then first
    order = page.get_by_role("list", name="Byline order").locator("li")
    expect(order).to_have_count(2)
    expect(order.nth(0)).to_contain_text(second)
    page.get_by_role("button", name=f"Move {first} earlier").click()
    expect(order.nth(0)).to_contain_text(first)
    page.get_by_role("button", name=f"Move {first} later").click()
    expect(order.nth(0)).to_contain_text(second)
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_text(re.compile("Published")).first).to_be_visible()

    page.goto(server.url + "/")
    headline = "Harbour pilots and tug crews share the night shift"
    page.get_by_role("link", name=headline).first.click()
    byline = page.locator("main article").first
    text = byline.inner_text()
    assert text.index(second) < text.index(first), text
