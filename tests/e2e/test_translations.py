"""Two languages of one story in a real browser (issue 19): an editor starts a translation from
the editor, writes it and publishes it; a reader follows "Читати українською" to it and "Read in
English" back, and both pages name each other in hreflang; a person switches the desk to
Ukrainian."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import violations
from tests.e2e.test_editor import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


def hreflangs(page) -> dict[str, str]:
    links = page.locator('head link[rel="alternate"][hreflang]')
    return {
        links.nth(i).get_attribute("hreflang"): links.nth(i).get_attribute("href")
        for i in range(links.count())
    }


SM = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_alternates(page, base_url: str) -> dict[str, dict[str, str]]:
    """Every story address in the site's story sitemaps (found as a search engine finds them:
    robots.txt → sitemap index → sections) with its hreflang alternates."""
    from lxml import etree

    def get(url: str) -> bytes:
        response = page.request.get(url)
        assert response.ok, url
        return response.body()

    robots = get(base_url + "/robots.txt").decode()
    indexes = re.findall(r"^Sitemap:\s*(\S+)", robots, re.M)
    found: dict[str, dict[str, str]] = {}
    for index in indexes:
        for loc in etree.fromstring(get(index)).xpath("//sm:loc/text()", namespaces=SM):
            if "sitemap-stories" not in loc:
                continue
            for url in etree.fromstring(get(loc)).findall("sm:url", SM):
                found[url.findtext("sm:loc", namespaces=SM)] = {
                    link.get("hreflang"): link.get("href") for link in url.findall("x:link", SM)
                }
    return found


def test_a_translation_is_made_at_the_desk_and_readers_go_to_it_and_back(server, browser):
    """Create translation → a Ukrainian draft with the original's words; once published, the
    English page links to it in Ukrainian, and the Ukrainian page back in English."""
    editor = browser.new_context().new_page()
    reader = browser.new_context().new_page()
    log_in(editor, server.url)
    headline = "Harbour cranes return to work after the storm"
    quick = editor.locator("form", has=editor.get_by_role("button", name="Post now"))
    quick.get_by_label("Headline").fill(headline)
    quick.get_by_label("Text").fill("All six cranes on the container quay were working by noon.")
    quick.get_by_role("button", name="Post now").click()
    english_path = editor.get_by_role("link", name="Read it on the site").get_attribute("href")
    editor.locator("table.desk-table").get_by_role("link", name=headline).first.click()

    panel = editor.locator("[data-translations]")
    expect(panel).to_contain_text("No translations yet.")
    panel.get_by_label("Translate into").select_option("uk")
    panel.get_by_role("button", name="Create translation").click()
    expect(editor.get_by_text(re.compile("Translation started"))).to_be_visible()
    expect(editor.get_by_label("Headline")).to_have_value(headline)
    expect(editor.get_by_label("Language")).to_have_value("uk")
    editor.get_by_label("Headline").fill("Портові крани знову працюють після шторму")
    editor.get_by_label("Body", exact=True).fill(
        "Опівдні на контейнерному причалі працювали всі шість кранів."
    )
    editor.get_by_role("button", name="Publish now").click()
    expect(editor.get_by_text("Published.")).to_be_visible()
    expect(editor.locator("[data-translations]")).to_contain_text(headline)
    assert violations(editor) == []  # the editor with its Translations panel, for axe

    reader.goto(server.url + english_path)
    english_url = reader.url
    to_ukrainian = reader.get_by_role("link", name="Читати українською", exact=True)
    expect(to_ukrainian).to_have_attribute("hreflang", "uk")
    to_ukrainian.click()
    expect(reader.locator("h1")).to_have_text("Портові крани знову працюють після шторму")
    expect(reader.locator("html")).to_have_attribute("lang", "uk")
    ukrainian_url = reader.url
    from_ukrainian = hreflangs(reader)
    assert violations(reader) == []  # the Ukrainian page with its link back, for axe
    reader.get_by_role("link", name="Read in English", exact=True).click()
    expect(reader).to_have_url(english_url)
    expect(reader.locator("h1")).to_have_text(headline)
    expected = {"en": english_url, "uk": ukrainian_url, "x-default": english_url}
    assert hreflangs(reader) == from_ukrainian == expected
    # The sitemaps say the same of both addresses, as the pages do.
    listed = sitemap_alternates(reader, server.url)
    assert listed[english_url] == expected == listed[ukrainian_url]


def test_the_desk_speaks_ukrainian_to_whoever_chooses_it(server, browser):
    """Settings → Language: the desk's menus, lists and buttons are then in Ukrainian for that
    person only."""
    page = browser.new_context().new_page()
    page.goto(server.url + "/desk/")
    page.get_by_label("Username").fill("seed-desk")
    page.get_by_label("Password").fill("Seed-Desk-Password-42")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Language of the desk").select_option("uk")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.locator("h1")).to_have_text("Налаштування")
    page.get_by_role("link", name="Матеріали").click()
    expect(page.locator("h1")).to_have_text("Матеріали")
    expect(page.get_by_role("link", name="Написати матеріал")).to_be_visible()
    page.get_by_role("link", name="Налаштування").click()
    page.get_by_label("Мова редакційного інтерфейсу").select_option("")
    page.get_by_role("button", name="Зберегти").click()
    expect(page.locator("h1")).to_have_text("Settings")
