"""Two editors in one story, in two browsers: autosave of a story never saved survives a closed
tab, each sees that the other has the story open, and a conflict is merged on the conflict
screen with both people's words kept."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import EDITOR, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

SECOND = ("seed-desk", "Seed-Desk-Password-42")  # made by tests/e2e/seed.py
SECONDS = 15_000  # presence beats every 5 s; autosave waits 1–2 s after typing stops


def logged_in(browser, base_url: str, who: tuple[str, str]):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base_url + "/desk/")
    page.get_by_label("Username").fill(who[0])
    page.get_by_label("Password").fill(who[1])
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/desk/$"))
    page.close()
    return context


@pytest.fixture(scope="module")
def desks(server, browser):
    """Two editors' browsers, logged in once for the module."""
    first = logged_in(browser, server.url, EDITOR)
    second = logged_in(browser, server.url, SECOND)
    yield first, second
    first.close()
    second.close()


def new_page(context):
    """A page whose script errors are gathered in `page.js_errors`."""
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


def start_story(context, base_url: str, headline: str):
    """A new story typed into the editor, made by its first autosave (no Save pressed)."""
    page = new_page(context)
    page.goto(base_url + "/desk/stories/new/")
    page.get_by_label("Headline").fill(headline)
    expect(page.locator("[data-autosave-status]")).to_have_attribute(
        "data-state", "saved", timeout=SECONDS
    )
    expect(page).to_have_url(re.compile(r"/desk/stories/\d+/$"))
    return page


def test_autosave_of_a_new_story_survives_closing_the_tab(server, desks):
    """Typed into a never-saved story, the tab closed without Save: the draft and its words are
    there when the editor comes back. Leaving with unsaved changes asks first."""
    context, _ = desks
    page = start_story(context, server.url, "Crane collapse closes the container quay")
    page.get_by_label("Body", exact=True).click()  # a person's gesture: beforeunload may ask
    page.get_by_label("Body", exact=True).fill("Two cranes fell at 04:10; nobody was hurt.")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saved", timeout=SECONDS)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert asked == ["beforeunload"]

    again = context.new_page()
    again.goto(server.url + "/desk/")
    again.get_by_role("link", name="Crane collapse closes the container quay").first.click()
    expect(again.get_by_label("Headline")).to_have_value("Crane collapse closes the container quay")
    expect(again.get_by_label("Body", exact=True)).to_have_value(
        "Two cranes fell at 04:10; nobody was hurt."
    )
    again.close()


def test_two_editors_see_each_other_and_merge_a_conflict(server, desks):
    """Both open one story and see each other within seconds. The first saves a new paragraph;
    the second, who changed the first paragraph, gets both versions side by side, keeps the
    merged text, and the saved story holds both people's words."""
    mine, theirs = desks
    first = start_story(mine, server.url, "Storm surge floods the fish market")
    first.get_by_label("Body", exact=True).fill("Water reached the stalls at dawn.")
    first.get_by_role("button", name="Save draft").click()
    expect(first.get_by_text("Saved.")).to_be_visible()
    second = new_page(theirs)
    second.goto(first.url)

    expect(first.locator("#presence")).to_contain_text("seed-desk", timeout=SECONDS)
    expect(second.locator("#presence")).to_contain_text(EDITOR[0], timeout=SECONDS)
    screenshot(first, "desk-presence")

    first.get_by_label("Body", exact=True).fill(
        "Water reached the stalls at dawn.\n\nTraders moved ice and stock to the upper hall."
    )
    first.get_by_role("button", name="Save draft").click()
    expect(first.get_by_text("Saved.")).to_be_visible()

    second.get_by_label("Body", exact=True).fill("Sea water reached the stalls at 05:30.")
    second.get_by_role("button", name="Save draft").click()
    expect(second.get_by_role("heading", name=re.compile("Two versions of"))).to_be_visible()
    body = second.locator("[data-conflict-field='body']")
    expect(body.locator("[data-side='mine'] del")).not_to_have_count(0)
    expect(body.locator("[data-side='theirs'] ins")).to_contain_text(["upper hall"])
    merged = body.get_by_label(re.compile("Merged body"))
    expect(merged).to_have_value(
        "Sea water reached the stalls at 05:30.\n\nTraders moved ice and stock to the upper hall."
    )
    screenshot(second, "desk-conflict")
    merged.press("Control+End")
    merged.type(" Police closed the road.")
    expect(body.get_by_label("Use the merged text below")).to_be_checked()
    second.get_by_role("button", name="Save with these choices").click()
    expect(second.get_by_text("both people's work is kept")).to_be_visible()
    expect(second.get_by_label("Body", exact=True)).to_have_value(
        "Sea water reached the stalls at 05:30.\n\n"
        "Traders moved ice and stock to the upper hall. Police closed the road."
    )
    assert first.js_errors == [] and second.js_errors == []
    first.close()
    second.close()


def test_restoring_a_published_story_waits_for_the_editor_to_publish(server, desks):
    """Restore asks first; on a live story the old words come into the form while readers keep
    the published text, until the editor publishes them as an update."""
    context, _ = desks
    page = start_story(context, server.url, "Bridge toll rises to four euros")
    page.get_by_label("Body", exact=True).fill("The toll rises to four euros.")
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_text("Published.")).to_be_visible()
    page.get_by_label("Body", exact=True).fill("The toll rises to five euros.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    reader = new_page(context)
    reader.goto(
        server.url + page.get_by_role("link", name="View on the site").get_attribute("href")
    )
    expect(reader.locator("main")).to_contain_text("five euros")

    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    history = page.locator(".history li", has_text=re.compile(r"Revision \d+: published\b"))
    history.get_by_role("button", name=re.compile("Restore")).click()
    expect(page.get_by_text("readers still see the published version")).to_be_visible()
    assert asked and "nothing changes on the site" in asked[0]
    expect(page.get_by_label("Body", exact=True)).to_have_value("The toll rises to four euros.")
    reader.reload()
    expect(reader.locator("main")).to_contain_text("five euros")

    page.get_by_role("button", name="Publish as update").click()
    expect(page.get_by_text("marked as updated")).to_be_visible()
    reader.reload()
    expect(reader.locator("main")).to_contain_text("four euros")
    expect(reader.locator("main")).to_contain_text("Updated")
    assert page.js_errors == []
    page.close()
    reader.close()
