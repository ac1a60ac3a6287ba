"""The search page in a real browser, on a desktop and a phone: a reader types a word form and
sees the stories that hold another form of it, results follow as they type, the form works
without JavaScript, and the filters fit without wrapping their labels."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE
from tests.e2e.helpers import screenshot

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

STORIES = """
import json
from django.contrib.auth import get_user_model
from newsdesk.stories import actions
desk = get_user_model().objects.get(username="seed-desk")
made = {}
for key, headline, body in [
    ("sandbags", "Volunteers fill sandbags at the west depot",
     "Four hundred sandbags were filled before the tide turned at the depot."),
    ("library", "У бібліотеці на Нортгейт відкрили розмовний клуб",
     "Клуб збирається щосереди, бібліотекарі запрошують охочих."),
]:
    story = actions.do_create_story(desk, {"headline": headline, "body": body})
    made[key] = actions.do_publish_story(desk, story.pk).slug
print(json.dumps(made))
"""


@pytest.fixture(scope="module")
def stories(server):
    output = server.newsdesk("shell", "--no-imports", "--command", STORIES).stdout
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture(params=sorted(VIEWPORTS))
def reader(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.viewport_name = request.param
    page.js_errors = errors
    yield page
    context.close()


@pytest.mark.parametrize(
    ("typed", "headline", "marked"),
    [
        ("sandb", "Volunteers fill sandbags at the west depot", "sandbags"),
        ("sandbag", "Volunteers fill sandbags at the west depot", "sandbags"),
        ("бібліотека", "У бібліотеці на Нортгейт відкрили розмовний клуб", "бібліотеці"),
    ],
)
def test_typing_a_word_form_shows_the_stories_as_you_type(
    server, stories, reader, typed, headline, marked
):
    """Typing into the box (no Enter) shows the story holding another form of the word, its
    form marked, and the address follows the words."""
    reader.goto(f"{server.url}/search")
    reader.locator("#search-q").press_sequentially(typed, delay=20)
    results = reader.locator("[data-search-results] .search-result")
    expect(results.filter(has_text=headline)).to_have_count(1)
    expect(results.filter(has_text=headline).locator("mark").first).to_have_text(marked)
    expect(reader).to_have_url(re.compile(r"[?&]q="))
    expect(reader.locator("[data-search-status]")).to_contain_text("match")
    assert "/stories/" not in reader.locator("[data-search-results]").inner_text()
    assert reader.js_errors == []
    if typed == "sandb":
        screenshot(reader, f"search-as-you-type-{reader.viewport_name}")


def test_the_form_works_without_javascript(server, stories, nojs_page):
    """Without JavaScript, Enter submits the form and the word form is found."""
    nojs_page.goto(f"{server.url}/search")
    nojs_page.locator("#search-q").fill("sandbag")
    nojs_page.locator("#search-q").press("Enter")
    expect(nojs_page).to_have_url(re.compile(r"q=sandbag"))
    expect(nojs_page.locator(".search-result").first).to_contain_text("sandbags")


def test_the_filters_fit_without_wrapping_labels(server, stories, reader):
    """Every label of the form is one line, and no control reaches past the screen's edge."""
    reader.goto(f"{server.url}/search?q=sandbag")
    boxes = reader.evaluate(
        """() => [...document.querySelectorAll('.search-form__label')].map(label => {
            const box = label.getBoundingClientRect();
            const line = parseFloat(getComputedStyle(label).lineHeight) ||
                         parseFloat(getComputedStyle(label).fontSize) * 1.6;
            return {text: label.textContent.trim(), height: box.height, line};
        })"""
    )
    assert [b["text"] for b in boxes] == ["Words to find", "Topic", "Kind", "From", "To"]
    for box in boxes:
        assert box["height"] <= box["line"] * 1.3, box
    width = reader.viewport_size["width"]
    rights = reader.evaluate(
        "() => [...document.querySelectorAll('.search-form :is(input, select, button)')]"
        ".map(el => el.getBoundingClientRect().right)"
    )
    assert max(rights) <= width
    assert reader.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(reader, f"search-filters-{reader.viewport_name}")
