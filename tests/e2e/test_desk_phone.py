"""The desk in a person's hands: the story list on a phone, refreshing itself under the
filters the editor chose, and the keyboard shortcuts' help overlay."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, opened_page
from tests.e2e.test_editor import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


def _new_draft(server, headline: str, publish: bool = False) -> None:
    """Another person's story, written through the actions in another process."""
    script = (
        "from django.contrib.auth import get_user_model; from newsdesk.stories import actions; "
        "u = get_user_model().objects.get(username='night-editor'); "
        f"s = actions.do_create_story(u, {{'headline': {headline!r}}}); "
        + ("actions.do_publish_story(u, s.pk)" if publish else "")
    )
    server.newsdesk("shell", "--no-imports", "--command", script)


def test_story_list_fits_a_phone_and_refreshes_under_its_filters(server, browser):
    """At 390 px the list needs no sideways scrolling; with a filter chosen, a draft someone
    else writes appears by itself, a published story does not, and the filter stays chosen."""
    page = opened_page(browser, viewport=PHONE)
    log_in(page, server.url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Status").select_option("draft")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"status=draft"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    headline = "Night bus diversion drafted from the depot"
    _new_draft(server, headline)
    _new_draft(server, "Published meanwhile: depot reopens", publish=True)
    rows = page.locator("[data-story-rows]")
    expect(rows.get_by_role("link", name=headline, exact=True)).to_be_visible(timeout=30_000)
    expect(rows.get_by_text("Published meanwhile: depot reopens")).to_have_count(0)
    expect(page.get_by_label("Status")).to_have_value("draft")
    expect(page.locator("[data-story-rows-status]")).to_contain_text("List updated at")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.js_errors == []
    page.context.close()


def test_question_mark_opens_the_shortcuts_and_escape_closes_them(server, browser):
    """ "?" lists the shortcuts (and fits a phone screen), Esc closes the list, "/" goes to the
    search field, and "n" opens a new story; letters typed into a field stay in the field."""
    page = opened_page(browser, viewport=PHONE)
    log_in(page, server.url)
    page.wait_for_load_state()  # the shortcuts' script has run (it is deferred)
    overlay = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(overlay).to_be_hidden()
    page.keyboard.press("?")
    expect(overlay).to_be_visible()
    expect(overlay).to_contain_text("Go to the review queue")
    box = overlay.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.keyboard.press("Escape")
    expect(overlay).to_be_hidden()
    page.context.close()

    page = opened_page(browser, viewport=DESKTOP)
    log_in(page, server.url)
    page.wait_for_load_state()
    page.keyboard.press("/")
    search = page.get_by_label("Search headlines")
    expect(search).to_be_focused()
    page.keyboard.type("gn")
    expect(search).to_have_value("gn")
    expect(page).to_have_url(re.compile(r"/desk/$"))
    page.locator("h1").click()
    page.keyboard.press("g")
    page.keyboard.press("r")
    expect(page).to_have_url(re.compile(r"/desk/review/"))
    page.keyboard.press("n")
    expect(page).to_have_url(re.compile(r"/desk/stories/new/"))
    assert page.js_errors == []
    page.context.close()
