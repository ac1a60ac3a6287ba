"""The Ukrainian edition in a real browser: its live News Feed offers new updates in Ukrainian,
with the right plural forms, and only its own stories; the header switches editions."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import screenshot
from tests.e2e.test_reader_places import run

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]
FEED_ITEMS = "main [data-feed] [data-feed-list] > article"


def publish(server, headline: str, language: str) -> None:
    run(
        server,
        f"s = actions.do_create_story(u, {{'headline': {headline!r}, 'language': {language!r}, "
        "'body': 'Подробиці згодом.'}); actions.do_publish_story(u, s.pk)",
    )


def test_the_ukrainian_feed_offers_its_own_new_updates_in_ukrainian(server, browser):
    """An English story published while a reader has /uk/ open never reaches it; Ukrainian ones
    wait behind "Показати 1 нове оновлення", then "… 3 нові оновлення", and go in on a click,
    under a "Сьогодні" heading."""
    publish(server, "Вітер на узбережжі слабшає", "uk")  # the edition's list is not empty
    reader = browser.new_context().new_page()
    errors: list[str] = []
    reader.on("pageerror", lambda error: errors.append(str(error)))
    reader.goto(server.url + "/uk/")
    expect(reader.locator("html")).to_have_attribute("lang", "uk")
    expect(reader.locator("[data-feed]")).to_have_attribute("data-live-mode", "stream")
    reader.evaluate("window.__sameDocument = true")

    publish(server, "Ferries to the Skerrow islands sail again", "en")
    publish(server, "Пороми до островів Скерроу знову курсують", "uk")
    button = reader.get_by_role("button", name="Показати 1 нове оновлення")
    expect(button).to_be_visible()
    expect(reader.get_by_role("status")).to_have_text("1 нове оновлення")
    publish(server, "У гавані відкрили пункт обігріву", "uk")
    publish(server, "Мільну вулицю знову відкрили для руху", "uk")
    button = reader.get_by_role("button", name="Показати 3 нові оновлення")
    expect(button).to_be_visible()
    expect(reader.get_by_role("status")).to_have_text("3 нові оновлення")
    screenshot(reader, "feed-uk-new-updates")

    button.click()
    first = reader.locator(FEED_ITEMS).first
    expect(first.locator("h2")).to_have_text("Мільну вулицю знову відкрили для руху")
    expect(reader.locator("main [data-feed-day]").first).to_have_text("Сьогодні")
    expect(reader.locator("main")).not_to_contain_text("Ferries to the Skerrow islands")
    assert reader.evaluate("window.__sameDocument") is True, "the page must not reload"
    assert not errors


def test_the_header_switches_between_the_editions(server, browser):
    """From the English News Feed to the Ukrainian one and back, by the editions' own names."""
    reader = browser.new_context().new_page()
    reader.goto(server.url + "/")
    switcher = reader.get_by_role("navigation", name="Editions")
    switcher.get_by_role("link", name="Українська").click()
    expect(reader).to_have_url(server.url + "/uk/")
    expect(reader.locator("html")).to_have_attribute("lang", "uk")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Стрічка новин")
    editions = reader.get_by_role("navigation", name="Мовні версії")
    editions.get_by_role("link", name="English").click()
    expect(reader).to_have_url(server.url + "/")
    expect(reader.get_by_role("heading", level=1)).to_have_text("News Feed")
