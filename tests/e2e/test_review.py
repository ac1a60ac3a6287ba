"""The review round trip in two browsers: a contributor submits, the editor's queue counter
changes without a reload, the editor returns the story with a note, the contributor reads it,
revises and submits again, and the editor approves and publishes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import EDITOR
from tests.e2e.test_accessibility import violations

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

CONTRIBUTOR = ("review-writer", "Review-Writer-Password-42")  # made by tests/e2e/seed.py


def log_in(page, base_url: str, account: tuple[str, str]) -> None:
    page.goto(base_url + "/desk/")
    page.get_by_label("Username").fill(account[0])
    page.get_by_label("Password").fill(account[1])
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/desk/$"))


def refresh_counter(page) -> None:
    """What the desk's script does when the editor comes back to the tab (it also asks every
    15 seconds): ask for the count now, without reloading the page."""
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def test_review_round_trip_with_a_live_counter(server, browser):
    """Contributor submits → the editor's counter goes up in place → returned with a note →
    the contributor sees it, revises, submits → approved and on the News Feed."""
    writer = browser.new_context().new_page()
    chief = browser.new_context().new_page()
    log_in(chief, server.url, EDITOR)
    badge = chief.locator("[data-review-count]")
    before = int(badge.inner_text())

    log_in(writer, server.url, CONTRIBUTOR)
    writer.goto(server.url + "/desk/stories/new/")
    headline = "Lighthouse keepers vote on night shifts"
    writer.get_by_label("Headline").fill(headline)
    writer.get_by_label("Body").fill("The vote closes on Friday.")
    writer.get_by_role("button", name="Submit for review").click()
    expect(writer.get_by_text("submitted for review", exact=False).first).to_be_visible()
    story_url = writer.url

    # The editor's page was not reloaded: the counter changes in place.
    url_before = chief.url
    refresh_counter(chief)
    expect(badge).to_have_text(str(before + 1))
    assert chief.url == url_before

    chief.get_by_role("link", name=re.compile("Review queue")).click()
    chief.get_by_role("link", name=headline, exact=True).click()
    # The editor's page of a story in review (review panel, notes) passes axe's WCAG checks.
    assert violations(chief) == []
    chief.get_by_label("Note to the writer").fill("Say which lighthouse.")
    chief.get_by_role("button", name="Return to the writer").click()
    expect(chief.get_by_text("Returned to the writer with your note.")).to_be_visible()
    expect(badge).to_have_text(str(before))

    writer.goto(story_url)
    expect(writer.locator("[data-return-note]")).to_have_text("Say which lighthouse.")
    writer.get_by_label("Body").fill("The vote at Kessholm lighthouse closes on Friday.")
    writer.get_by_role("button", name="Submit for review").click()
    expect(writer.get_by_text("Saved and submitted for review")).to_be_visible()

    chief.goto(story_url)
    chief.get_by_role("button", name="Approve and publish").click()
    expect(chief.get_by_text("Approved and published.")).to_be_visible()
    reader = browser.new_context().new_page()
    reader.goto(server.url + "/")
    expect(reader.get_by_text(headline).first).to_be_visible()
    for page in (writer, chief, reader):
        page.context.close()
