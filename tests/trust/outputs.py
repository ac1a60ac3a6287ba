"""Every machine-readable output, read as its consumers read it: the feeds and sitemaps parsed
by lxml as XML (sitemaps also against their published schemas), the JSON Feed and the API as
JSON. Used by the no-500 tests after each round of hostile writes."""

from __future__ import annotations

import html
import json
from urllib.parse import quote, unquote

from django.test import Client
from lxml import etree

from newsdesk.stories.models import Author, Story, Topic
from tests.syndication.conftest import news_sitemap_schema, xml_schema

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
SITE_FEEDS = ("/feed/rss.xml", "/feed/atom.xml")
SITEMAPS = {
    "/sitemap.xml": "siteindex.xsd",
    "/sitemap-stories.xml": "sitemap.xsd",
    "/sitemap-topics.xml": "sitemap.xsd",
    "/sitemap-authors.xml": "sitemap.xsd",
}


def as_xml_reads(text: str) -> str:
    """What an XML reader makes of `text`: every CR LF and lone CR is a LF (XML 1.0, 2.11)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def get_ok(client: Client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return response.content


def xml(client: Client, path: str) -> etree._Element:
    """The document at `path`, which must be well-formed XML (lxml raises otherwise)."""
    return etree.fromstring(get_ok(client, path), etree.XMLParser(resolve_entities=False))


def json_at(client: Client, path: str):
    return json.loads(get_ok(client, path))


class Outputs:
    """The site's feeds, sitemaps and JSON as read now, with lookups by story."""

    def __init__(self, client: Client) -> None:
        self.rss = xml(client, "/feed/rss.xml")
        self.atom = xml(client, "/feed/atom.xml")
        self.json_feed = json_at(client, "/feed/feed.json")
        self.news = xml(client, "/news-sitemap.xml")
        assert news_sitemap_schema().validate(self.news), news_sitemap_schema().error_log

    def rss_item(self, story: Story) -> etree._Element | None:
        for item in self.rss.iter("item"):
            if item.findtext("guid", "").endswith(f":story-{story.pk}"):
                return item
        return None

    def atom_entry(self, story: Story) -> etree._Element | None:
        for entry in self.atom.iterfind("atom:entry", NS):
            if entry.findtext("atom:id", "", NS).endswith(f":story-{story.pk}"):
                return entry
        return None

    def json_item(self, story: Story) -> dict | None:
        return next(
            (i for i in self.json_feed["items"] if i["id"].endswith(f":story-{story.pk}")), None
        )

    def news_title(self, story: Story) -> str | None:
        for url in self.news.iterfind("sm:url", NS):
            if unquote(url.findtext("sm:loc", "", NS)).endswith(f"/stories/{story.slug}/"):
                return url.findtext("news:news/news:title", None, NS)
        return None

    def assert_story_as_written(self, story: Story) -> None:
        """A published story's headline and summary read back from every format as stored."""
        story.refresh_from_db()
        item, entry, item_json = self.rss_item(story), self.atom_entry(story), self.json_item(story)
        assert item is not None and entry is not None and item_json is not None, story.pk
        assert item.findtext("title") == as_xml_reads(story.headline)
        assert entry.findtext("atom:title", None, NS) == as_xml_reads(story.headline)
        assert item_json["title"] == story.headline
        assert self.news_title(story) == as_xml_reads(story.headline)
        if story.summary:
            assert html.unescape(item.findtext("description")) == as_xml_reads(story.summary)
            assert item_json["summary"] == story.summary


def assert_all_outputs_well_formed(client: Client) -> None:
    """Every feed (site, each topic, each author; RSS, Atom, JSON), every sitemap (valid against
    its schema) and the API's lists parse; nothing answers 5xx."""
    Outputs(client)
    for path, schema in SITEMAPS.items():
        document, checker = xml(client, path), xml_schema(schema)
        # The schema wants at least one <url>: an empty section (no topics yet) is only parsed.
        assert len(document) == 0 or checker.validate(document), (path, checker.error_log)
    for kind, model in (("topics", Topic), ("authors", Author)):
        for slug in map(quote, model.objects.values_list("slug", flat=True)):
            for name in ("rss.xml", "atom.xml"):
                xml(client, f"/{kind}/{slug}/feed/{name}")
            json_at(client, f"/{kind}/{slug}/feed/feed.json")
            assert client.get(f"/{kind}/{slug}/").status_code == 200
    for path in ("/api/v1/feed", "/api/v1/topics", "/api/v1/authors", "/"):
        get_ok(client, path)
