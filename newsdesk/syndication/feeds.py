"""The newsroom's feeds: the whole site, one topic, one author; each as RSS, Atom and JSON Feed.

A feed is a declaration in the manner of `django.contrib.syndication`: which stories, and what
each says. The format is only the generator it is built with (`FORMATS`), so the three formats
of one feed can never disagree about what is in it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import SyndicationFeed
from django.utils.html import escape
from django.utils.translation import gettext

from newsdesk.core import editions
from newsdesk.core.addresses import path_in, path_to
from newsdesk.core.errors import NotFound
from newsdesk.stories import queries
from newsdesk.stories.models import Author, Story, Topic
from newsdesk.syndication import entries
from newsdesk.syndication.generators import JsonFeed, NewsAtomFeed, NewsRssFeed

FEED_SIZE = 50

# URL file name → generator. The file names are part of our public interface: never rename one.
FORMATS: dict[str, tuple[str, type[SyndicationFeed]]] = {
    "rss": ("rss.xml", NewsRssFeed),
    "atom": ("atom.xml", NewsAtomFeed),
    "json": ("feed.json", JsonFeed),
}
MIME_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
FORMAT_LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}  # as readers see them


def feed_url(subject: str, fmt: str, slug: str | None = None, language: str | None = None) -> str:
    """The absolute URL of one feed, e.g. feed_url("topic", "atom", "energy"): in the current
    edition, or in the edition of `language` when given."""
    kwargs = {"slug": slug} if slug else {}
    name = f"syndication:{subject}_{fmt}"
    path = path_to(name, **kwargs) if language is None else path_in(language, name, **kwargs)
    return entries.absolute(path)


class StoriesFeed(Feed):
    """The 50 newest published stories of the whole site, pinned ones included."""

    subject = "site"

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.feed_type = FORMATS[fmt][1]

    @property
    def language(self) -> str:
        """The language of the edition whose feed this is (the request's address chose it)."""
        return editions.current().language

    def get_object(self, request, slug: str | None = None):
        return None

    def items(self, obj) -> list[Story]:
        return queries.feed_page(
            limit=FEED_SIZE, include_pinned=True, edition=editions.current()
        ).items

    def title(self, obj) -> str:
        return settings.SITE_NAME

    def description(self, obj) -> str:
        return gettext("Live news from %(site)s: updates as they happen.") % {
            "site": settings.SITE_NAME
        }

    def link(self, obj) -> str:
        return entries.absolute(reverse("public:feed"))

    def feed_url(self, obj) -> str:
        return feed_url(self.subject, self.fmt, getattr(obj, "slug", None))

    def feed_guid(self, obj) -> str:
        return self.feed_url(obj)

    def author_name(self, obj) -> str:
        return settings.SITE_NAME

    def feed_extra_kwargs(self, obj) -> dict:
        return {"hub": settings.WEBSUB_HUB}

    def item_title(self, story: Story) -> str:
        return story.headline

    def item_description(self, story: Story) -> str:
        # RSS descriptions and Atom summaries are HTML: a "<" in the summary is text.
        return escape(entries.excerpt(story))

    def item_link(self, story: Story) -> str:
        return entries.story_url(story)

    def item_guid(self, story: Story) -> str:
        return entries.story_guid(story)

    item_guid_is_permalink = False

    def item_pubdate(self, story: Story) -> dt.datetime:
        return story.published_at

    def item_updateddate(self, story: Story) -> dt.datetime:
        return entries.last_update(story)

    def item_categories(self, story: Story) -> list[str]:
        return [topic.name for topic in story.topics.all()]

    def item_enclosure_url(self, story: Story) -> str | None:
        image = entries.lead_image(story)
        return image.url if image else None

    def item_enclosure_length(self, story: Story) -> int:
        return entries.lead_image(story).length

    def item_enclosure_mime_type(self, story: Story) -> str:
        return entries.lead_image(story).mime_type

    def item_extra_kwargs(self, story: Story) -> dict:
        return {
            "content_html": entries.content_html(story),
            "summary_text": entries.excerpt(story),
            "authors": [
                (author.name, entries.absolute(author.get_absolute_url()))
                for author in story.ordered_authors()
            ],
            "image": entries.lead_image(story),
            "language": story.language,
        }


class TopicStoriesFeed(StoriesFeed):
    """The 50 newest published stories on one topic."""

    subject = "topic"

    def get_object(self, request, slug: str | None = None) -> Topic:
        try:
            return queries.topic_by_slug(slug)
        except NotFound as error:
            raise Http404(error.message) from None

    def items(self, topic: Topic) -> list[Story]:
        return queries.feed_page(limit=FEED_SIZE, topic=topic, edition=editions.current()).items

    def title(self, topic: Topic) -> str:
        return f"{topic.name} · {settings.SITE_NAME}"

    def description(self, topic: Topic) -> str:
        return topic.description or gettext("Stories about %(topic)s from %(site)s.") % {
            "topic": topic.name,
            "site": settings.SITE_NAME,
        }

    def link(self, topic: Topic) -> str:
        return entries.absolute(topic.get_absolute_url())


class AuthorStoriesFeed(StoriesFeed):
    """The 50 newest published stories by one author."""

    subject = "author"

    def get_object(self, request, slug: str | None = None) -> Author:
        try:
            return queries.author_by_slug(slug)
        except NotFound as error:
            raise Http404(error.message) from None

    def items(self, author: Author) -> list[Story]:
        return queries.feed_page(limit=FEED_SIZE, author=author, edition=editions.current()).items

    def title(self, author: Author) -> str:
        return f"{author.name} · {settings.SITE_NAME}"

    def description(self, author: Author) -> str:
        return author.bio or gettext("Stories by %(author)s from %(site)s.") % {
            "author": author.name,
            "site": settings.SITE_NAME,
        }

    def link(self, author: Author) -> str:
        return entries.absolute(author.get_absolute_url())


class LiveCoverageFeed(StoriesFeed):
    """The 50 newest entries of one live coverage, each linking to its own address."""

    subject = "live"

    def get_object(self, request, slug: str | None = None) -> Story:
        try:
            coverage = queries.coverage_by_slug(slug)
        except NotFound as error:
            raise Http404(error.message) from None
        if coverage.edition != editions.current():  # its feed is in its own edition
            raise Http404("There is no live coverage at this address.")
        return coverage

    def items(self, coverage: Story) -> list[Story]:
        return queries.coverage_entries(coverage, limit=FEED_SIZE, include_pinned=True).items

    def title(self, coverage: Story) -> str:
        return f"{coverage.headline} · {settings.SITE_NAME}"

    def description(self, coverage: Story) -> str:
        return coverage.summary or gettext("Live coverage from %(site)s.") % {
            "site": settings.SITE_NAME
        }

    def link(self, coverage: Story) -> str:
        return entries.absolute(coverage.get_absolute_url())

    def item_title(self, story: Story) -> str:
        return story.display_headline
