"""A story in two languages, as readers and search engines see it (issue 19): links to the other
language worded in it, reciprocal hreflang alternates with full addresses and x-default, and the
same alternates in the story sitemap (valid against the sitemap schema). A member that is not
published is never named."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from newsdesk.stories import actions
from tests.syndication.conftest import SITE_URL, alternates_sitemap_schema

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def pair(editor, publish):
    """A published English story and its Ukrainian translation, not yet published."""
    original = publish("Storm closes the harbour", body="The harbour master closed the port.")
    translation = actions.do_create_translation(editor, original.pk, "uk")
    translation = actions.do_update_story(
        editor,
        translation.pk,
        {"headline": "Шторм закрив гавань", "body": "Начальник гавані закрив порт."},
        expected_version=None,
    )
    return original, translation


def hreflangs(html: str) -> dict[str, str]:
    found = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    return dict(found)


def url_of(story) -> str:
    return SITE_URL + story.get_absolute_url()


def test_published_translations_link_to_each_other_with_reciprocal_hreflang(
    client, editor, pair, django_capture_on_commit_callbacks
):
    """Once both are published, each page names both languages with full addresses and
    x-default (the English one), and links to the other in that language's own words."""
    original, translation = pair
    page = client.get(original.get_absolute_url()).content.decode()
    assert hreflangs(page) == {} and "Читати українською" not in page
    # As committed: the publish's feed event moves the content version pages remember by.
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_publish_story(editor, translation.pk)
    expected = {
        "en": url_of(original),
        "uk": url_of(translation),
        "x-default": url_of(original),
    }
    english = client.get(original.get_absolute_url()).content.decode()
    ukrainian = client.get(translation.get_absolute_url()).content.decode()
    assert hreflangs(english) == expected == hreflangs(ukrainian)
    assert re.search(
        rf'<a href="{re.escape(translation.get_absolute_url())}" hreflang="uk" lang="uk"'
        r"[^>]*>Читати українською</a>",
        english,
    )
    assert re.search(
        rf'<a href="{re.escape(original.get_absolute_url())}" hreflang="en" lang="en"'
        r"[^>]*>Read in English</a>",
        ukrainian,
    )
    assert "Read in English" not in english and "Читати українською" not in ukrainian


def test_an_unpublished_side_disappears_from_the_others_page(client, editor, pair):
    """Unpublishing the original takes its link and hreflang off the translation's page."""
    original, translation = pair
    actions.do_publish_story(editor, translation.pk)
    actions.do_unpublish_story(editor, original.pk)
    page = client.get(translation.get_absolute_url()).content.decode()
    assert hreflangs(page) == {} and "Read in English" not in page
    assert original.slug not in page


def story_sitemaps(client) -> list[etree._Element]:
    """The story sitemap of each edition there is (the Ukrainian one when stories in Ukrainian
    have an edition of their own), each valid against the sitemap schema."""
    documents = []
    for path in ("/sitemap-stories.xml", "/uk/sitemap-stories.xml"):
        response = client.get(path)
        if response.status_code == 404:
            continue
        document = etree.fromstring(response.content)
        if len(document):  # the schema wants an address; an edition may have none published
            alternates_sitemap_schema().assertValid(document)
        documents.append(document)
    return documents


def test_the_story_sitemap_lists_each_languages_alternates(client, editor, pair, publish):
    """Both stories appear in the story sitemaps, each with the same xhtml:link alternates
    (en, uk, x-default); a story without a translation has none; the sitemaps are valid."""
    original, translation = pair
    alone = publish("Bridge reopens")
    actions.do_publish_story(editor, translation.pk)
    by_loc = {
        url.findtext("sm:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href")
            for link in url.findall("x:link", NS)
            if link.get("rel") == "alternate"
        }
        for document in story_sitemaps(client)
        for url in document.findall("sm:url", NS)
    }
    expected = {
        "en": url_of(original),
        "uk": url_of(translation),
        "x-default": url_of(original),
    }
    assert by_loc[url_of(original)] == expected == by_loc[url_of(translation)]
    assert by_loc[url_of(alone)] == {}
    actions.do_unpublish_story(editor, translation.pk)
    for document in story_sitemaps(client):
        body = etree.tostring(document).decode()
        assert translation.slug not in body and "hreflang" not in body


def test_a_live_page_and_its_translation_carry_alternates(client, editor):
    """A live coverage and its published translation name each other like stories do."""
    coverage = actions.do_create_story(
        editor, {"headline": "Storm: live", "summary": "Gusts overnight.", "kind": "live"}
    )
    coverage = actions.do_publish_story(editor, coverage.pk)
    uk = actions.do_create_translation(editor, coverage.pk, "uk")
    uk = actions.do_update_story(
        editor, uk.pk, {"headline": "Шторм: онлайн"}, expected_version=None
    )
    uk = actions.do_publish_story(editor, uk.pk)
    english = client.get(coverage.get_absolute_url()).content.decode()
    ukrainian = client.get(uk.get_absolute_url()).content.decode()
    assert (
        hreflangs(english)
        == hreflangs(ukrainian)
        == {
            "en": url_of(coverage),
            "uk": url_of(uk),
            "x-default": url_of(coverage),
        }
    )
    assert "Читати українською" in english and "Read in English" in ukrainian
