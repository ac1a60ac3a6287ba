"""Template tags for the machine-readable parts of reader pages: JSON-LD, feed links, OG."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.safestring import SafeString

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
