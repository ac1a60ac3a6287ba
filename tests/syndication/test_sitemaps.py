"""Sitemaps, the Google News sitemap and robots.txt, checked against the published schemas."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from lxml import etree

from newsdesk.stories import actions
from newsdesk.stories.models import Status, Story
from newsdesk.syndication.sitemaps import StorySitemap
from tests.syndication.conftest import (
    SITE_NAME,
    SITE_URL,
    dated,
    news_sitemap_schema,
    xml_schema,
)

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def valid_xml(response, schema: etree.XMLSchema) -> etree._Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    schema.assertValid(document)
    return document


def locations(document: etree._Element) -> list[str]:
    return document.xpath("//sm:loc/text()", namespaces=NS)


@pytest.mark.django_db
def test_sitemap_index_points_at_each_section(client, publish, topic, author):
    """/sitemap.xml is a valid sitemap index naming the page, story, topic and author sitemaps
    on the public address, each of them a valid sitemap."""
    publish("Harbour reopens", topic_ids=[topic.pk], author_ids=[author.pk])
    index = valid_xml(client.get("/sitemap.xml"), xml_schema("siteindex.xsd"))
    assert locations(index) == [
        f"{SITE_URL}/sitemap-pages.xml",
        f"{SITE_URL}/sitemap-stories.xml",
        f"{SITE_URL}/sitemap-topics.xml",
        f"{SITE_URL}/sitemap-authors.xml",
    ]
    sitemap = xml_schema("sitemap.xsd")
    assert locations(valid_xml(client.get("/sitemap-topics.xml"), sitemap)) == [
        f"{SITE_URL}/topics/{topic.slug}/"
    ]
    assert locations(valid_xml(client.get("/sitemap-authors.xml"), sitemap)) == [
        f"{SITE_URL}/authors/{author.slug}/"
    ]
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.django_db
def test_story_sitemap_lists_published_stories_with_their_last_update(client, editor, publish):
    """Only published stories are listed; lastmod is the story's update time when an editor
    marked one, else its publication time."""
    plain = publish("Ferry timetable changes")
    updated = publish("Bridge closure extended")
    updated = actions.do_update_story(
        editor,
        updated.pk,
        {"summary": "Now until May."},
        expected_version=updated.version,
        mark_as_update=True,
    )
    actions.do_create_story(editor, {"headline": "Draft about the bridge"})
    gone = publish("Unpublished bridge rumour")
    actions.do_unpublish_story(editor, gone.pk)
    document = valid_xml(client.get("/sitemap-stories.xml"), xml_schema("sitemap.xsd"))
    lastmods = {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in document.findall("sm:url", NS)
    }
    assert set(lastmods) == {
        f"{SITE_URL}/stories/{plain.slug}/",
        f"{SITE_URL}/stories/{updated.slug}/",
    }
    assert dt.datetime.fromisoformat(lastmods[f"{SITE_URL}/stories/{plain.slug}/"]) == (
        plain.published_at.replace(microsecond=0)
    )
    assert dt.datetime.fromisoformat(lastmods[f"{SITE_URL}/stories/{updated.slug}/"]) == (
        updated.updated_at.replace(microsecond=0)
    )
    body = client.get("/sitemap-stories.xml").content.decode()
    assert "draft-about-the-bridge" not in body and gone.slug not in body


def test_story_sitemaps_hold_at_most_50000_urls():
    """The story sitemap is cut into pages of 50,000 URLs, the most a sitemap file may hold."""
    assert StorySitemap.limit == 50_000


@pytest.mark.django_db
def test_stories_past_the_limit_split_into_pages(client, monkeypatch):
    """Past the per-file limit, stories go on to page 2, 3, …; every page is valid and named in
    the index. (The limit is lowered to 3 here: 50,001 real rows took about a minute to write
    and render on the development machine; the paging itself is Django's `Sitemap.limit`.)"""
    monkeypatch.setattr(StorySitemap, "limit", 3)
    now = timezone.now()
    Story.objects.bulk_create(
        Story(
            headline=f"Archive item {n}",
            slug=f"archive-{n}",
            status=Status.PUBLISHED,
            published_at=now - dt.timedelta(minutes=n),
        )
        for n in range(7)
    )
    index = valid_xml(client.get("/sitemap.xml"), xml_schema("siteindex.xsd"))
    assert [loc for loc in locations(index) if "stories" in loc] == [
        f"{SITE_URL}/sitemap-stories.xml",
        f"{SITE_URL}/sitemap-stories.xml?p=2",
        f"{SITE_URL}/sitemap-stories.xml?p=3",
    ]
    sitemap = xml_schema("sitemap.xsd")
    pages = [
        locations(valid_xml(client.get("/sitemap-stories.xml", {"p": page}), sitemap))
        for page in (1, 2, 3)
    ]
    assert [len(urls) for urls in pages] == [3, 3, 1]
    # Oldest first, so a new story only ever changes the last page.
    assert pages[2] == [f"{SITE_URL}/stories/archive-0/"]
    assert client.get("/sitemap-stories.xml", {"p": 4}).status_code == 404


@pytest.mark.django_db
def test_news_sitemap_has_the_last_48_hours_in_google_news_format(client, editor, publish):
    """The news sitemap validates against Google's schema and lists only stories published in
    the last 48 hours, with publication name, language, date and title."""
    fresh = publish("Storm warning for the coast", language="en-GB")
    old = publish("Last week's storm review")
    Story.objects.filter(pk=old.pk).update(published_at=timezone.now() - dt.timedelta(hours=49))
    actions.do_create_story(editor, {"headline": "Draft storm piece"})
    document = valid_xml(client.get("/news-sitemap.xml"), news_sitemap_schema())
    assert locations(document) == [f"{SITE_URL}/stories/{fresh.slug}/"]
    news = document.find("sm:url/news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == SITE_NAME
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == "Storm warning for the coast"
    published = dt.datetime.fromisoformat(news.findtext("news:publication_date", namespaces=NS))
    assert published == fresh.published_at.replace(microsecond=0)


@pytest.mark.django_db
def test_robots_txt_names_both_sitemaps_and_keeps_crawlers_out_of_the_desk(client):
    """robots.txt gives the absolute addresses of both sitemaps and disallows /desk/, /admin/."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /desk/" in lines
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in lines
    assert f"Sitemap: {SITE_URL}/news-sitemap.xml" in lines


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-stories.xml", "/news-sitemap.xml"])
def test_sitemaps_answer_conditional_requests_with_304(client, publish, url):
    """Search engines re-fetching an unchanged sitemap get 304."""
    publish("Quiet day")
    response = dated(client, url)
    assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304
    modified = response["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
