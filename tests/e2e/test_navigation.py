"""A way around, in a real browser on a desktop and a phone: the header's sections and search
box, the phone menu with and without JavaScript, the indexes, the footer's feeds, the 404 page,
icons that load, and links on the port the site is served on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, opened_page
from tests.servers import free_port, start_server, stop_server

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


@pytest.fixture
def phone(browser):
    page = opened_page(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


def not_found_responses(page) -> list[str]:
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    return missing


def test_desktop_header_shows_sections_and_searches(server, page):
    """On a desktop the sections are a bar under the name and the search box is in the header;
    searching goes to the search page with the words; a section link opens its page."""
    missing = not_found_responses(page)
    page.goto(server.url + "/")
    header = page.locator("header.site-header")
    expect(header.locator(".site-brand")).to_contain_text("Newsdesk")
    expect(header.locator(".site-brand img")).to_be_visible()
    bar = header.locator("nav.site-sections")
    expect(bar).to_be_visible()
    expect(header.locator("details.site-menu")).to_be_hidden()
    expect(bar.get_by_role("link", name="News Feed")).to_have_attribute("aria-current", "page")
    box = header.get_by_role("searchbox", name="Search stories")
    expect(box).to_be_visible()
    box.fill("ferry")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=ferry$"))
    expect(page.locator("h1")).to_have_text("Search")
    page.locator("nav.site-sections").get_by_role("link", name="Harbour").click()
    expect(page).to_have_url(re.compile(r"/topics/harbour/$"))
    expect(page.locator("nav.site-sections a[aria-current='page']")).to_have_text("Harbour")
    page.locator("nav.site-sections").get_by_role("link", name="Authors").click()
    expect(page.locator("h1")).to_have_text("Authors")
    expect(page.locator("main").get_by_role("link", name="Ilse Varga")).to_be_visible()
    assert missing == []  # the favicon, icons and every asset load
    assert page.js_errors == []


def test_phone_menu_opens_at_the_top_and_reaches_every_section(server, phone):
    """On a phone the sections are behind a Menu button at the top of the page: it opens in
    place (no scrolling to the bottom of the feed), holds the search box and the topics, and
    closes again."""
    phone.goto(server.url + "/")
    expect(phone.locator("nav.site-sections")).to_be_hidden()
    toggle = phone.locator("summary.site-menu__toggle")
    expect(toggle).to_be_visible()
    box = toggle.bounding_box()
    assert box["y"] < 80 and box["height"] >= 44  # at the top, a finger-sized target
    panel = phone.locator(".site-menu__panel")
    expect(panel).to_be_hidden()
    toggle.click()
    expect(panel).to_be_visible()
    expect(panel.get_by_role("searchbox", name="Search stories")).to_be_visible()
    harbour = panel.get_by_role("link", name="Harbour")
    expect(harbour).to_be_in_viewport()
    assert phone.evaluate("window.scrollY") == 0
    toggle.click()
    expect(panel).to_be_hidden()
    toggle.click()
    panel.get_by_role("link", name="All topics").click()
    expect(phone).to_have_url(re.compile(r"/topics/$"))
    expect(phone.locator("main").get_by_role("link", name="Harbour")).to_be_visible()
    # Nothing wider than the screen: the header fits a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.js_errors == []


def test_phone_menu_works_without_javascript_and_from_the_keyboard(server, nojs_page):
    """<details> needs no script: Enter on the focused Menu opens it, a search from it works."""
    page = nojs_page
    page.goto(server.url + "/stories/no-such-story/")
    expect(page.locator("h1")).to_have_text("Page not found")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the name and logo
    page.keyboard.press("Tab")  # the menu
    expect(page.locator("summary.site-menu__toggle")).to_be_focused()
    page.keyboard.press("Enter")
    panel = page.locator(".site-menu__panel")
    expect(panel).to_be_visible()
    expect(page.locator("details.site-menu")).to_have_attribute("open", "")
    search = panel.get_by_role("searchbox", name="Search stories")
    search.fill("ferry")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=ferry$"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_404_offers_search_and_the_latest_stories(server, browser, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    response = page.goto(server.url + "/stories/gone-for-good/")
    assert response.status == 404
    main = page.locator("main")
    expect(main.get_by_role("searchbox")).to_be_visible()
    latest = main.locator(".latest-list a")
    expect(latest).to_have_count(5)
    latest.first.click()
    expect(page).to_have_url(re.compile(r"/stories/[\w-]+/$"))
    assert page.locator("h1").count() == 1
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_footer_shows_the_site_feeds(server, browser, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(server.url + "/topics/")
    footer = page.locator("footer.site-footer")
    for name, path in (("RSS", "/feed/rss.xml"), ("Atom", "/feed/atom.xml"),
                       ("JSON Feed", "/feed/feed.json")):  # fmt: skip
        link = footer.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", path)
    icon = page.request.get(server.url + "/favicon.ico")
    assert icon.ok and icon.headers["content-type"].startswith("image/")
    manifest = page.request.get(server.url + "/manifest.webmanifest").json()
    assert manifest["start_url"] == "/"
    assert page.request.get(server.url + manifest["icons"][1]["src"]).ok
    context.close()


def test_a_server_on_another_port_links_to_that_port(server, browser):
    """`NEWSDESK_PORT=N` without NEWSDESK_SITE_URL: canonical URLs, feeds, robots.txt and the
    API name port N (nothing listens on the default port)."""
    port = free_port()
    environ = {k: v for k, v in server.environ.items() if k != "NEWSDESK_SITE_URL"}
    environ["NEWSDESK_PORT"] = str(port)
    process = start_server(environ, port)
    try:
        here = f"http://127.0.0.1:{port}"
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(f"{here}/stories/{server.seeded['article']}/")
        canonical = page.locator("link[rel='canonical']").get_attribute("href")
        assert canonical == f"{here}/stories/{server.seeded['article']}/"
        for path in ("/feed/atom.xml", "/robots.txt", "/sitemap.xml", "/api/v1/feed"):
            text = page.request.get(here + path).text()
            assert here in text, path
            assert "127.0.0.1:8000" not in text, path
        context.close()
    finally:
        stop_server(process)
