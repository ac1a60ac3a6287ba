"""The live News Feed in a real browser: an editor publishes, an open reader page shows it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import screenshot
from tests.e2e.test_editor import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]
FEED_ITEMS = "main [data-feed] [data-feed-list] > article"


def test_an_open_feed_shows_new_updates_without_reload(server, browser):
    """The reader's page offers "1 new update" (title and live region too), and inserts the
    item at the top when asked; no reload happens."""
    reader_context = browser.new_context()
    reader = reader_context.new_page()
    reader.goto(server.url + "/")
    expect(reader.locator("[data-feed]")).to_have_attribute("data-live-mode", "stream")
    reader.evaluate("window.__sameDocument = true")
    base_title = reader.title()

    editor = browser.new_context().new_page()
    log_in(editor, server.url)
    quick = editor.locator("form", has=editor.get_by_role("button", name="Post now"))
    headline = "Tugboats escort the stranded freighter back to port"
    quick.get_by_label("Headline").fill(headline)
    quick.get_by_label("Text").fill("The freighter docked at berth four just after 02:00.")
    quick.get_by_role("button", name="Post now").click()

    button = reader.get_by_role("button", name="Show 1 new update")
    expect(button).to_be_visible()
    expect(reader.get_by_role("status")).to_have_text("1 new update")
    expect(reader).to_have_title(f"(1) {base_title}")
    expect(reader.locator(FEED_ITEMS).first.locator("h2")).not_to_have_text(headline)
    screenshot(reader, "feed-live-new-update")

    button.click()
    first = reader.locator(FEED_ITEMS).first
    expect(first.locator("h2")).to_have_text(headline)
    expect(first).to_contain_text("berth four")
    expect(reader).to_have_title(base_title)
    expect(button).to_be_hidden()
    assert reader.evaluate("window.__sameDocument") is True, "the page must not reload"


def test_an_unpublished_item_disappears_and_an_update_rerenders_in_place(server, browser):
    """Two stories of its own on top, so that what it unpublishes is nobody else's."""
    from tests.e2e.test_reader_places import publish

    publish(server, "Ferry terminal shuttle runs every ten minutes")
    publish(server, "Night buses divert around the closed quay road")
    reader = browser.new_context().new_page()
    reader.goto(server.url + "/")
    expect(reader.locator("[data-feed]")).to_have_attribute("data-live-mode", "stream")
    first = reader.locator(FEED_ITEMS).first
    story_id = first.get_attribute("data-story-id")
    headline = first.locator("h2").inner_text()
    second = reader.locator(FEED_ITEMS).nth(1)
    second_id = second.get_attribute("data-story-id")

    server.newsdesk(
        "shell",
        "--command",
        "from newsdesk.stories import actions; from django.contrib.auth.models import User; "
        "u = User.objects.get(username='seed-desk'); "
        f"actions.do_update_story(u, {story_id}, {{'body': 'Revised text.'}}, "
        "expected_version=None, mark_as_update=True); "
        f"actions.do_unpublish_story(u, {second_id})",
    )
    item = reader.locator(f'article[data-story-id="{story_id}"]')
    expect(item).to_contain_text("(Updated:", timeout=15000)
    # Updated the same day it was published: the time alone, in the newsroom's format, and no
    # stray space before the parenthesis.
    expect(item.locator(".updated")).to_have_text(re.compile(r"^\(Updated: \d\d:\d\d\)$"))
    expect(item).to_contain_text("Revised text.")
    expect(item.locator("h2")).to_have_text(headline)
    expect(reader.locator(f'article[data-story-id="{second_id}"]')).to_have_count(0)
