"""Template tags for the machine-readable parts of reader pages: JSON-LD, feed links, OG."""

from __future__ import annotations

import time

from django import template
from django.conf import settings
from django.utils.safestring import SafeString

from newsdesk.cache import memory
from newsdesk.stories import queries
from newsdesk.stories.models import Author, Story
from newsdesk.syndication import entries, jsonld
from newsdesk.syndication.feeds import FORMATS, MIME_TYPES, feed_url

register = template.Library()

_FORMAT_LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


@register.filter
def absolute(url: str) -> str:
    """A root-relative URL on the public site, made absolute with SITE_URL."""
    return entries.absolute(str(url or ""))


@register.simple_tag
def news_article_jsonld(story: Story) -> SafeString:
    return jsonld.script(jsonld.news_article(story))


@register.simple_tag
def live_blog_jsonld(*story_lists) -> SafeString:
    """The News Feed's LiveBlogPosting. Remembered per process (`cache.memory`) by the
    stories it lists at their versions; when coverage started is asked of the database at most
    once a minute, as it changes only if the oldest story is unpublished."""
    stories = sorted(
        {story.pk: story for stories in story_lists for story in stories}.values(),
        key=lambda story: (story.published_at, story.pk),
        reverse=True,
    )
    minute = int(time.monotonic() // 60)
    coverage_start = memory.remember(("coverage_start", minute), queries.first_publication_time)
    listed = tuple((story.pk, story.version, story.modified_at) for story in stories)
    return memory.remember(
        ("live_blog_jsonld", listed, coverage_start),
        lambda: jsonld.script(jsonld.live_blog(stories, coverage_start)),
    )


@register.simple_tag
def profile_page_jsonld(author: Author) -> SafeString:
    return jsonld.script(jsonld.profile_page(author))


@register.inclusion_tag("syndication/_feed_links.html")
def feed_links(title: str, subject: str = "site", slug: str = "") -> dict:
    """`<link rel="alternate">` for the three formats of one feed, for feed readers to find."""
    return {
        "links": [
            {
                "href": feed_url(subject, fmt, slug or None),
                "type": MIME_TYPES[fmt],
                "title": f"{title} ({_FORMAT_LABELS[fmt]})",
            }
            for fmt in FORMATS
        ]
    }


@register.inclusion_tag("syndication/_social.html")
def social_tags(
    title: str, description: str, url: str, og_type: str = "website", story: Story | None = None
) -> dict:
    """OpenGraph and Twitter card tags; an article's image and times come from its story."""
    return {
        "site_name": settings.SITE_NAME,
        "title": title,
        "description": description,
        "url": entries.absolute(url),
        "og_type": og_type,
        "story": story,
        "image": entries.lead_image(story) if story is not None else None,
    }
