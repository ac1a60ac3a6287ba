"""The reader's site in a real browser, on a desktop and a phone: the news one waits for is where
one looks (a bar in view at the top, pins moving live), times read like a news feed (a heading
per day in the reader's zone, a new "Today" after midnight), and a place that is kept (Back and
reload after Show More, Newer without JavaScript)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE
from tests.e2e.helpers import SCREENSHOTS, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

FEED_ITEMS = "main [data-feed] [data-feed-list] > article"
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
DESK = (
    "from newsdesk.stories import actions; from django.contrib.auth.models import User; "
    "u = User.objects.get(username='seed-desk'); "
)


def run(server, code: str) -> str:
    return server.newsdesk("shell", "--command", DESK + code).stdout.strip()


def publish(server, headline: str) -> int:
    out = run(
        server,
        f"s = actions.do_create_story(u, {{'headline': {headline!r}, 'body': 'Crews are on "
        "the way.'}); actions.do_publish_story(u, s.pk); print(s.pk)",
    )
    return int(out.splitlines()[-1])


def unpublish(server, story_id: int) -> None:
    run(server, f"actions.do_unpublish_story(u, {story_id})")


def reader(browser, viewport: str, **options):
    context = browser.new_context(viewport=VIEWPORTS[viewport], **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    return context, page


def live(page, url: str) -> None:
    page.goto(url)
    expect(page.locator("[data-feed]")).to_have_attribute("data-live-mode", "stream")


def noon_zone() -> str:
    """A time zone where it is about noon now: every seeded story is "Today" there."""
    offset = 12 - dt.datetime.now(dt.UTC).hour
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


# ── the news you are waiting for is where you look ───────────────────────────────────────────


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_new_updates_bar_is_in_view_wherever_the_reader_is(server, browser, viewport):
    """At the top of the page and far down it, "Show 1 new update" is at the top of the window;
    pressed from the keyboard it puts the item in, scrolls to it and focuses it."""
    context, page = reader(browser, viewport)
    live(page, server.url + "/")
    size = VIEWPORTS[viewport]
    headline = f"Harbour master reopens the north channel ({viewport})"
    story_id = publish(server, headline)
    try:
        button = page.get_by_role("button", name="Show 1 new update")
        expect(button).to_be_visible()
        for scrolled in (0, 3000):
            page.evaluate(f"window.scrollTo(0, {scrolled})")
            box = button.bounding_box()
            assert 0 <= box["y"] <= 40 and box["y"] + box["height"] <= size["height"], box
            assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], box
        expect(page.get_by_role("status")).to_have_text("1 new update")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # the window, far down a long page
        page.screenshot(path=str(SCREENSHOTS / f"live-bar-{viewport}.png"))
        button.focus()
        page.keyboard.press("Enter")
        first = page.locator(FEED_ITEMS).first
        expect(first.locator("h2")).to_have_text(headline)
        expect(button).to_be_hidden()
        assert page.evaluate("document.activeElement.textContent") == headline
        top = first.bounding_box()["y"]
        assert 0 <= top < size["height"] / 2, top
        assert page.js_errors == []
    finally:
        unpublish(server, story_id)
        context.close()


def test_the_bar_is_reached_by_keyboard_and_never_covers_the_skip_link(server, browser):
    context, page = reader(browser, "phone")
    live(page, server.url + "/")
    story_id = publish(server, "Pilot boats return to the inner harbour")
    try:
        button = page.get_by_role("button", name="Show 1 new update")
        expect(button).to_be_visible()
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to content")
        expect(skip).to_be_focused()
        box = skip.bounding_box()
        on_top = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('.skip-link') !== null",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert on_top, "the skip link must be drawn above the new-updates bar"
        for _ in range(12):  # the header's links, then the bar: first in <main>
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('live-bar__button')"):
                break
        else:
            pytest.fail("the new-updates button is not reached from the keyboard")
    finally:
        unpublish(server, story_id)
        context.close()


def test_a_pin_and_an_unpin_move_the_item_live(server, browser):
    """An editor pins a story: it leaves the list for the pinned section at once; unpinned, it
    goes back to its place in the list."""
    context, page = reader(browser, "desktop")
    live(page, server.url + "/")
    items = page.locator(FEED_ITEMS)
    before = [items.nth(i).get_attribute("data-story-id") for i in range(items.count())]
    story_id = before[2]
    pinned = page.locator(f"[data-pinned-list] article[data-story-id='{story_id}']")
    try:
        run(server, f"actions.do_set_pinned(u, {story_id}, True)")
        expect(pinned).to_be_visible()
        expect(pinned.locator(".badge--pinned")).to_have_text("Pinned")
        expect(page.locator(f"{FEED_ITEMS}[data-story-id='{story_id}']")).to_have_count(0)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "live-pinned.png"))
    finally:
        run(server, f"actions.do_set_pinned(u, {story_id}, False)")
    expect(pinned).to_have_count(0)
    expect(page.locator("[data-pinned-list]")).to_be_hidden()
    expect(items.nth(2)).to_have_attribute("data-story-id", story_id)
    assert [items.nth(i).get_attribute("data-story-id") for i in range(items.count())] == before
    assert page.js_errors == []
    context.close()


def test_a_reset_reloads_the_pinned_stories_as_well_as_the_list(server, browser):
    """A reader who missed too much gets a `reset`: the list and the pinned section are read
    afresh. The page is served here with its pinned stories cut out and a live position from
    another history (which the stream answers with a reset), as a page left open for days."""
    story_id = publish(server, "Pinned during the night")
    run(server, f"actions.do_set_pinned(u, {story_id}, True)")
    served = []

    def stale_copy(route):
        response = route.fetch()
        body = response.text()
        if not served:  # the page itself; live.js's own fetches pass unchanged
            body = re.sub(
                r"(<section[^>]*data-pinned-list[^>]*>\s*<h2[^>]*>[^<]*</h2>).*?(</section>)",
                r"\1\2",
                body,
                count=1,
                flags=re.S,
            )
            body = re.sub(r'data-live-after="\d+"', 'data-live-after="999999999"', body)
        served.append(route.request.url)
        route.fulfill(response=response, body=body)

    context, page = reader(browser, "desktop")
    try:
        page.route(re.compile(r"^[^?]*/$"), stale_copy)
        page.goto(server.url + "/")
        pinned = page.locator(f"[data-pinned-list] article[data-story-id='{story_id}']")
        expect(pinned).to_be_visible()
        expect(page.locator("[data-pinned-list]")).to_be_visible()
        assert len(served) >= 2  # the page, then the pinned stories read afresh
        assert page.js_errors == []
    finally:
        context.close()
        run(server, f"actions.do_set_pinned(u, {story_id}, False)")
        unpublish(server, story_id)


# ── times read like a news feed ─────────────────────────────────────────────────────────────


def test_days_in_the_readers_zone_and_a_new_today_after_midnight(server, browser):
    """With the page open over midnight, "Today" becomes "Yesterday", and an item published
    after midnight arrives under a new "Today"."""
    zone = noon_zone()
    context, page = reader(browser, "desktop", timezone_id=zone, locale="en-GB")
    page.clock.install()
    live(page, server.url + "/")
    headings = page.locator("main [data-feed-list] > h2.feed-day")
    expect(headings.first).to_have_text("Today")
    expect(headings.filter(has_text="Today")).to_have_count(1)
    first_time = page.locator(FEED_ITEMS).first.locator(".feed-item__meta time").first
    iso = first_time.get_attribute("datetime")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", iso), iso
    clock = page.evaluate(
        "iso => new Intl.DateTimeFormat('en-GB', {hour: '2-digit', minute: '2-digit', "
        "hourCycle: 'h23'}).format(new Date(iso))",
        iso,
    )
    expect(first_time).to_have_text(f"Today, {clock}")  # the day is for screen readers only
    assert first_time.inner_text().strip().endswith(clock)
    expect(page.locator("[data-tz-label]")).to_contain_text(zone)

    page.clock.fast_forward(24 * 3600 * 1000 + 60_000)  # the reader's midnight passes
    expect(headings.first).to_have_text("Yesterday")
    out = run(
        server,
        "import datetime as dt; from django.db import transaction; "
        "from django.utils import timezone; from newsdesk.stories.models import Story\n"
        "with transaction.atomic():\n"
        "    s = actions.do_create_story(u, {'headline': 'Dawn shift starts at the quay', "
        "'body': 'First cranes moving.'})\n"
        "    actions.do_publish_story(u, s.pk)\n"
        "    Story.objects.filter(pk=s.pk).update("
        "published_at=timezone.now() + dt.timedelta(days=1))\n"
        "print(s.pk)",
    )
    story_id = int(out.splitlines()[-1])
    try:
        page.get_by_role("button", name="Show 1 new update").click()
        children = page.locator("main [data-feed-list] > *")
        expect(children.nth(0)).to_have_text("Today")
        expect(children.nth(1)).to_have_attribute("data-story-id", str(story_id))
        expect(children.nth(2)).to_have_text("Yesterday")
        assert page.js_errors == []
    finally:
        unpublish(server, story_id)
        context.close()


def test_a_twelve_hour_newsroom_clock_in_the_readers_zone(server, browser):
    """Times marked with the newsroom's 12-hour clock are written "9:40 PM" by the browser, in
    the reader's zone, with the day where it belongs."""
    context, page = reader(browser, "phone", timezone_id="America/New_York")
    page.goto(server.url + "/")
    shown = page.evaluate(
        """() => {
          const box = document.createElement('p');
          const at = (iso, style, extra) =>
            `<time datetime="${iso}" data-local-time="${style}" ${extra}>x</time>`;
          box.innerHTML =
            at('2025-01-10T02:40:00.000Z', 'datetime', 'data-clock="12"') +
            at('2025-01-10T02:40:00.000Z', 'time', 'data-clock="12"') +
            at('2025-01-10T17:05:00.000Z', 'update', 'data-since="2025-01-10T02:40:00.000Z"') +
            at('2025-01-10T17:05:00.000Z', 'update', 'data-since="2025-01-10T06:40:00.000Z"');
          document.body.appendChild(box);
          window.Newsdesk.localiseTimes(box);
          return Array.from(box.children).map(t => t.textContent);
        }"""
    )
    assert shown == [
        "9 January 2025, 9:40 PM",  # 02:40 UTC is the evening before in New York
        "9:40 PM",
        "10 January 2025, 12:05",  # updated the day after it was published there
        "12:05",  # the same day
    ]
    context.close()


# ── a place that is kept ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("viewport", "path"), [("desktop", "/"), ("phone", "/"), ("phone", "/topics/harbour/")]
)
def test_back_after_show_more_restores_the_items_and_the_place(server, browser, viewport, path):
    """Load 40 items, open item 38, press Back: 40 items, item 38 where it was. A reload too."""
    context, page = reader(browser, viewport)
    page.goto(server.url + path)
    items = page.locator(FEED_ITEMS)
    page.get_by_role("link", name=re.compile("Show More")).first.click()
    expect(items).to_have_count(40)
    expect(page).to_have_url(re.compile(r"/\?through="))
    target = items.nth(37)
    target.scroll_into_view_if_needed()
    page.mouse.wheel(0, -200)
    expect(target).to_be_in_viewport()
    story_id = target.get_attribute("data-story-id")
    top = page.evaluate("el => el.getBoundingClientRect().top", target.element_handle())
    target.locator("h2 a").click()
    expect(page.locator("h1")).to_have_count(1)
    assert "/stories/" in page.url

    page.go_back()
    expect(items).to_have_count(40)
    back = page.locator(f"{FEED_ITEMS}[data-story-id='{story_id}']")
    expect(back).to_be_in_viewport()
    assert abs(back.bounding_box()["y"] - top) <= 4, (back.bounding_box()["y"], top)

    page.reload()
    expect(items).to_have_count(40)
    assert abs(back.bounding_box()["y"] - top) <= 4, (back.bounding_box()["y"], top)
    assert items.nth(37).get_attribute("data-story-id") == story_id
    assert page.js_errors == []
    context.close()


def test_without_javascript_older_pages_have_newer_and_show_more(server, nojs_page):
    page = nojs_page
    page.goto(server.url + "/")
    items = page.locator(FEED_ITEMS)
    first_page = items.locator("h2").all_inner_texts()
    expect(page.get_by_role("link", name=re.compile("^Newer"))).to_have_count(0)
    page.get_by_role("link", name=re.compile("Show More")).click()
    expect(page).to_have_url(re.compile(r"\?before="))
    expect(page.locator("main h2.feed-day").first).to_have_text(re.compile(r"^\d{1,2} \w+ \d{4}$"))
    expect(page.get_by_role("link", name=re.compile("^Newer"))).to_have_count(2)
    expect(page.get_by_role("link", name=re.compile("Show More"))).to_be_visible()
    screenshot(page, "feed-older-nojs-phone")
    page.get_by_role("link", name=re.compile("^Newer")).first.click()
    expect(page).to_have_url(server.url + "/")
    assert items.locator("h2").all_inner_texts() == first_page


def test_show_more_pages_are_valid_for_a_screen_reader(server, browser):
    """Headings by day are real headings; every `<time datetime>` is valid HTML."""
    context, page = reader(browser, "desktop")
    page.goto(server.url + "/")
    page.get_by_role("link", name=re.compile("Show More")).first.click()
    expect(page.locator(FEED_ITEMS)).to_have_count(40)
    values = page.locator("time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    valid = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(\.\d{1,3})?Z)?")
    bad = [v for v in values if not valid.fullmatch(v)]
    assert bad == []
    days = page.get_by_role("heading", level=2).filter(has=page.locator("time"))
    assert days.count() >= 1
    assert page.js_errors == []
    context.close()
