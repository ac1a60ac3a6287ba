"""A reader in a real browser: the feed, Show More, a story page, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

FEED_ITEMS = "main [data-feed] [data-feed-list] > article"


def test_show_more_appends_twenty_older_items_in_place(server, page):
    """Show More adds the next 20 items below the first 20 without leaving the page, keeps the
    reader where they were and moves keyboard focus to the first new item."""
    page.goto(server.url + "/")
    items = page.locator(FEED_ITEMS)
    expect(items).to_have_count(20)
    first_twenty = items.locator("h2").all_inner_texts()
    screenshot(page, "feed")
    scroll_before = page.evaluate("window.scrollY")

    page.get_by_role("link", name=re.compile("Show More")).first.click()

    expect(items).to_have_count(40)
    # The address follows what is loaded, so Back draws it again (test_reader_places.py).
    expect(page).to_have_url(re.compile(re.escape(server.url) + r"/\?through="))
    all_forty = items.locator("h2").all_inner_texts()
    assert all_forty[:20] == first_twenty
    assert len(set(all_forty)) == 40
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == all_forty[20]
    assert page.evaluate("window.scrollY") >= scroll_before
    assert page.js_errors == []


def test_story_page_shows_reading_time_caption_credit_card_and_author_box(server, page):
    """The article page shows everything a reader expects of a full story."""
    page.goto(f"{server.url}/stories/{server.seeded['article']}/")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("Storm halts the east quay overnight")
    expect(page.locator(".reading-time")).to_have_text(re.compile(r"^\d+ min read$"))
    figure = page.locator("figure.lead-figure")
    expect(figure.locator("img")).to_have_attribute("alt", "Container cranes against a dark sky")
    expect(figure.locator("figcaption")).to_contain_text("Cranes stand idle at the east quay.")
    expect(figure.locator("figcaption")).to_contain_text("(Photo: Tomas Lind / Harbour Agency)")
    card = page.locator(".story-card")
    expect(card).to_contain_text("Ferry timetable changes for the winter season")
    expect(card.locator(".story-card__summary")).to_have_text(re.compile(r"…$"))
    box = page.locator(".author-box")
    expect(box).to_contain_text("Ilse Varga")
    expect(box).to_contain_text("News Operations Editor")
    expect(box).to_contain_text("overnight desk")
    expect(box.locator("img.avatar")).to_be_visible()
    box.get_by_role("link", name=re.compile("Read more")).click()
    expect(page).to_have_url(re.compile(r"/authors/ilse-varga/$"))
    page.go_back()
    screenshot(page, "story")
    assert page.js_errors == []


def test_times_show_in_the_readers_own_time_zone(server, browser):
    """With JavaScript, times are rewritten into the reader's zone in the newsroom's format
    ("27 November 2026, 21:40" on a story page), never left empty."""
    context = browser.new_context(timezone_id="Asia/Tokyo", locale="en-US")
    page = context.new_page()
    page.goto(f"{server.url}/stories/{server.seeded['article']}/")
    shown = page.locator(".story__meta time").first
    iso = shown.get_attribute("datetime")
    day, clock = page.evaluate(
        """iso => {
          const d = new Date(iso);
          const p = new Intl.DateTimeFormat('en-GB', {day: 'numeric', month: 'long',
            year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
            timeZone: 'Asia/Tokyo'}).formatToParts(d);
          const v = t => p.find(x => x.type === t).value;
          const ymd = new Intl.DateTimeFormat('en-CA', {timeZone: 'Asia/Tokyo'});
          const today = ymd.format(new Date());
          const that = ymd.format(d);
          return [today === that ? 'Today' : `${v('day')} ${v('month')} ${v('year')}`,
                  `${v('hour')}:${v('minute')}`];
        }""",
        iso,
    )
    expect(shown).to_have_text(f"{day}, {clock}")
    expect(page.locator("[data-tz-label]")).to_contain_text("Asia/Tokyo")
    context.close()


def test_without_javascript_show_more_is_a_link_to_the_next_page(server, nojs_page):
    """Without JavaScript the feed still works: Show More is a plain link to the older items."""
    page = nojs_page
    page.goto(server.url + "/")
    items = page.locator(FEED_ITEMS)
    expect(items).to_have_count(20)
    first_page = set(items.locator("h2").all_inner_texts())
    for time in page.locator("time").all()[:5]:
        assert time.inner_text().strip()
    page.get_by_role("link", name=re.compile("Show More")).first.click()
    expect(page).to_have_url(re.compile(r"\?before="))
    expect(items).to_have_count(20)
    assert not first_page & set(items.locator("h2").all_inner_texts())
    screenshot(page, "feed-nojs-phone")


def test_story_page_without_javascript_is_complete(server, nojs_page):
    page = nojs_page
    page.goto(f"{server.url}/stories/{server.seeded['article']}/")
    expect(page.locator("h1")).to_have_text("Storm halts the east quay overnight")
    expect(page.locator(".story-card")).to_be_visible()
    expect(page.locator(".author-box")).to_be_visible()
    expect(page.locator("figcaption")).to_contain_text("(Photo: Tomas Lind / Harbour Agency)")
    screenshot(page, "story-nojs-phone")


def test_a_draft_is_a_404_for_readers(server, page):
    response = page.goto(f"{server.url}/stories/{server.seeded['draft']}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    assert "Embargoed" not in page.content()
