"""Django's feed generators with what a newsroom feed needs and Django leaves out.

Each generator reads the same item keys, passed by `feeds.StoriesFeed.item_extra_kwargs`:
`content_html`, `summary_text`, `authors` (list of (name, url)), `image` (`entries.LeadImage`)
and `language`; and the feed key `hub` (the WebSub hub's URL, or empty). So one `Feed`
declaration serves RSS 2.0, Atom 1.0 and JSON Feed 1.1 alike.
"""

from __future__ import annotations

import json

from django.utils.feedgenerator import (
    Atom1Feed,
    Rss201rev2Feed,
    SyndicationFeed,
    rfc3339_date,
)

from newsdesk.syndication.wellformed import XmlWriter

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"


class NewsRssFeed(Rss201rev2Feed):
    """RSS 2.0 with full content (`content:encoded`), every author (`dc:creator`), the lead
    image as `media:content`, and the WebSub hub as `atom:link rel="hub"`."""

    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NS,
            "xmlns:dc": DC_NS,
            "xmlns:media": MEDIA_NS,
        }

    def write(self, outfile, encoding) -> None:
        """Django's `RssFeed.write`, through `XmlWriter` (well-formed whatever a row holds)."""
        handler = XmlWriter(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        self.add_stylesheets(handler)
        handler.startElement("rss", self.rss_attributes())
        handler.startElement("channel", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        self.endChannelElement(handler)
        handler.endElement("rss")

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        if self.feed.get("hub"):
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.feed["hub"]})

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name, _url in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        handler.addQuickElement("dc:language", item["language"])
        handler.addQuickElement("content:encoded", item["content_html"])
        image = item["image"]
        if image is not None:
            handler.startElement(
                "media:content",
                {
                    "url": image.url,
                    "medium": "image",
                    "type": image.mime_type,
                    "width": str(image.width),
                    "height": str(image.height),
                },
            )
            handler.addQuickElement("media:description", image.alt)
            handler.endElement("media:content")


class NewsAtomFeed(Atom1Feed):
    """Atom 1.0 with full content (`content type="html"`), every author with a link to their
    page, each entry's language, and the WebSub hub as `link rel="hub"`."""

    def write(self, outfile, encoding) -> None:
        """Django's `Atom1Feed.write`, through `XmlWriter` (well-formed whatever a row holds)."""
        handler = XmlWriter(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        if self.feed.get("hub"):
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub"]})

    def item_attributes(self, item) -> dict[str, str]:
        return {"xml:lang": item["language"]}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name, url in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class JsonFeed(SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1), from the same items as RSS and Atom."""

    content_type = "application/feed+json; charset=utf-8"
    version = "https://jsonfeed.org/version/1.1"

    def document(self) -> dict:
        feed = {
            "version": self.version,
            "title": self.feed["title"],
            "home_page_url": self.feed["link"],
            "feed_url": self.feed["feed_url"],
            "description": self.feed["description"],
            "language": self.feed["language"],
            "items": [self.item(item) for item in self.items],
        }
        if self.feed.get("hub"):
            feed["hubs"] = [{"type": "WebSub", "url": self.feed["hub"]}]
        return feed

    def item(self, item) -> dict:
        entry = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item["content_html"],
            "summary": item["summary_text"],
            "date_published": rfc3339_date(item["pubdate"]),
            "date_modified": rfc3339_date(item["updateddate"]),
            "authors": [{"name": name, "url": url} for name, url in item["authors"]],
            "tags": list(item["categories"]),
            "language": item["language"],
        }
        image = item["image"]
        if image is not None:
            entry["image"] = image.url
        return entry

    def write(self, outfile, encoding) -> None:
        outfile.write(json.dumps(self.document(), ensure_ascii=False, indent=1))
