"""WCAG 2.2 AA checks by axe-core in a real browser, on every kind of reader and desk page,
in light and dark mode. A violation fails the test with axe's own explanation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.test_editor import log_in

pytestmark = [pytest.mark.database_agnostic, pytest.mark.e2e, pytest.mark.timeout(180)]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


def violations(page) -> list[str]:
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['html'][:120]})"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reader_pages_have_no_axe_violations(server, browser, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    paths = [
        "/",
        f"/stories/{server.seeded['article']}/",
        "/authors/ilse-varga/",
        "/topics/harbour/",
        "/stories/no-such-story/",
        "/search?q=harbour",
    ]
    found = {}
    for path in paths:
        page.goto(server.url + path)
        problems = violations(page)
        if problems:
            found[path] = problems
    context.close()
    assert found == {}


def test_desk_pages_have_no_axe_violations(server, browser):
    page = browser.new_context().new_page()
    log_in(page, server.url)
    found = {}
    for path in [
        "/desk/",
        "/desk/stories/new/",
        "/desk/review/",
        "/desk/authors/",
        "/desk/topics/",
        "/desk/settings/",
        "/desk/photos/",
    ]:
        page.goto(server.url + path)
        problems = violations(page)
        if problems:
            found[path] = problems
    # One photo's page (with its form), reached from the library.
    page.goto(server.url + "/desk/photos/")
    page.locator("[data-photo-list] .photo-card__caption a").first.click()
    page.wait_for_url("**/desk/photos/*/")
    problems = violations(page)
    if problems:
        found[page.url] = problems
    assert found == {}


def test_keyboard_reaches_the_skip_link_then_the_feed(server, page):
    """The first Tab shows the skip link; following it moves focus to the main content."""
    page.goto(server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    assert page.evaluate("getComputedStyle(document.activeElement).left") == "0px"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
