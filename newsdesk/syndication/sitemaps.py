"""Sitemaps for search engines: every published story, topic and author, plus Google News.

Each edition has its own (`/sitemap.xml`, `/uk/sitemap.xml`: its stories, and its pages, topics
and authors at its addresses); robots.txt at / names every edition's.

The 50,000-URL limit and the paging live in Django's `Sitemap` (`limit`, `paginator`); a
section larger than that is listed in the index once per page (`?p=2`, …). Every address is
built on `settings.SITE_URL`, whatever host the search engine asked.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.db.models.query import QuerySet
from django.urls import reverse
from django.utils import timezone

from newsdesk.core import editions
from newsdesk.stories import queries, translations
from newsdesk.stories.models import Author, Kind, Story, Topic
from newsdesk.syndication.entries import absolute

NEWS_WINDOW = dt.timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News reads at most this many URLs per news sitemap


class SiteSitemap(Sitemap):
    """Addresses on the public site (`settings.SITE_URL`), not on the requested host."""

    @property
    def protocol(self) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class StorySitemap(SiteSitemap):
    """Every published story, oldest first so a page's contents rarely change. A story with a
    published translation lists every published language of it as `xhtml:link` alternates
    (the same list under each of them, and `x-default`), as search engines read hreflang."""

    def items(self) -> QuerySet[Story]:
        return (
            queries.published(editions.current())
            .only(
                "slug", "published_at", "updated_at", "kind", "coverage_id", "language",
                "translation_of_id",
            )
            .order_by("published_at", "id")
        )  # fmt: skip

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        urls = super().get_urls(page, site, protocol)
        groups = translations.published_alternates_of([url["item"] for url in urls])
        for url in urls:
            alternates = groups.get(url["item"].pk) or []
            if not alternates:
                continue
            default = translations.x_default(alternates)
            url["alternates"] = [
                {"lang_code": a.language, "location": absolute(a.path)} for a in alternates
            ] + [{"lang_code": "x-default", "location": absolute(default.path)}]
        return urls

    def lastmod(self, story: Story) -> dt.datetime:
        return (story.updated_at or story.published_at).replace(microsecond=0)

    def get_latest_lastmod(self) -> dt.datetime | None:
        # One query instead of Django's default of calling lastmod() on every story.
        latest = Max(Coalesce("updated_at", "published_at"))
        return queries.published(editions.current()).aggregate(latest=latest)["latest"]


class PageSitemap(SiteSitemap):
    """The reader's way in: the News Feed and the topic and author indexes."""

    def items(self) -> list[str]:
        return ["public:feed", "public:topic_index", "public:author_index"]

    def location(self, name: str) -> str:
        return reverse(name)


class TopicSitemap(SiteSitemap):
    """Topics readers can find stories in (`/topics/` lists the same): one nobody has
    published in yet is left out, as it says what a newsroom is preparing."""

    def items(self) -> list[Topic]:
        return queries.topic_index(editions.current())


class AuthorSitemap(SiteSitemap):
    """The people `/authors/` lists: staff, and guests with a published byline."""

    def items(self) -> list[Author]:
        return queries.author_index(editions.current())


SECTIONS: dict[str, type[Sitemap]] = {
    "pages": PageSitemap,
    "stories": StorySitemap,
    "topics": TopicSitemap,
    "authors": AuthorSitemap,
}


def news_stories(now: dt.datetime | None = None) -> list[Story]:
    """Stories for the Google News sitemap: published in the last 48 hours, newest first. Live
    entries are left out: their live page is the news item."""
    since = (now or timezone.now()) - NEWS_WINDOW
    recent = queries.published(editions.current()).filter(published_at__gte=since)
    recent = recent.exclude(kind=Kind.ENTRY)
    recent = recent.order_by("-published_at", "-id")
    return list(recent[:NEWS_LIMIT])
