"""What a story looks like to a machine: its permanent id, absolute links, content and image.

Feeds, sitemaps and JSON-LD are read far from our pages (a feed reader, a search engine), so
every link they carry is absolute, built on `settings.SITE_URL` rather than on whatever host a
request came in on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static

from newsdesk.stories.cards import opening_text, render_body
from newsdesk.stories.excerpts import cut_at_word
from newsdesk.stories.models import Story

EXCERPT_CHARS = 320
LOGO_PATH = "syndication/logo.png"
LOGO_SIZE = (512, 512)

_MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Root-relative URLs in href/src attributes, and every URL of a srcset list.
_URL_ATTRIBUTE = re.compile(r'(?P<attr>\b(?:href|src|poster))="(?P<url>/(?!/)[^"]*)"')
_SRCSET = re.compile(r'\bsrcset="(?P<value>[^"]*)"')


def absolute(url: str) -> str:
    """`url` on the public site; URLs that already name a host are returned as they are."""
    if not url or urlsplit(url).scheme:
        return url
    if url.startswith("//"):
        return f"{urlsplit(settings.SITE_URL).scheme}:{url}"
    return f"{settings.SITE_URL}{url if url.startswith('/') else '/' + url}"


def absolute_links(html: str) -> str:
    """Make every root-relative link and image address in `html` absolute."""
    html = _URL_ATTRIBUTE.sub(lambda m: f'{m["attr"]}="{absolute(m["url"])}"', html)

    def srcset(match: re.Match) -> str:
        candidates = []
        for candidate in match["value"].split(","):
            url, _, descriptor = candidate.strip().partition(" ")
            candidates.append(f"{absolute(url)} {descriptor}".strip())
        return f'srcset="{", ".join(candidates)}"'

    return _SRCSET.sub(srcset, html)


def story_url(story: Story) -> str:
    return absolute(story.get_absolute_url())


def story_guid(story: Story) -> str:
    """A tag URI (RFC 4151) that never changes: neither an edit nor a new headline touches it.

    It names the story by id and by the day it first went out (`published_at` is kept when a
    story is unpublished and published again), not by its slug or headline.
    """
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    day = story.published_at.astimezone(dt.UTC).date().isoformat()
    return f"tag:{host},{day}:story-{story.pk}"


def last_update(story: Story) -> dt.datetime:
    """When readers were last told the story changed: its update time, else its first."""
    return story.updated_at or story.published_at


def content_html(story: Story) -> str:
    """The stored, sanitised body with related-story cards drawn and every link absolute."""
    return absolute_links(str(render_body(story.body_html, exclude_slug=story.slug)))


def excerpt(story: Story) -> str:
    """Plain text: the summary, or the body's opening text when there is none, cut at a word
    boundary with "…" past `EXCERPT_CHARS` (as cards are: `stories.excerpts.cut_at_word`)."""
    return cut_at_word(story.summary or opening_text(story.body_html), EXCERPT_CHARS)


@dataclass(frozen=True)
class LeadImage:
    url: str
    mime_type: str
    length: int
    width: int
    height: int
    alt: str


def lead_image(story: Story) -> LeadImage | None:
    image = story.lead_image
    if image is None:
        return None
    try:
        length = image.file.size
    except OSError:  # the file is gone from storage; the feed still names the image
        length = 0
    return LeadImage(
        url=absolute(image.url),
        mime_type=_MIME_TYPES.get(image.format.upper(), "application/octet-stream"),
        length=length,
        width=image.width,
        height=image.height,
        alt=image.alt_text,
    )


def logo_url() -> str:
    return absolute(static(LOGO_PATH))
