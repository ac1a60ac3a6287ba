"""Template helpers shared by reader pages, the Show More fragment and the desk preview."""

from __future__ import annotations

from django import template
from django.utils.text import Truncator

from newsdesk.cache import versions
from newsdesk.core import memory
from newsdesk.stories import queries
from newsdesk.stories.cards import render_body

register = template.Library()


@register.simple_tag
def story_body(story):
    return render_body(story.body_html, exclude_slug=story.slug)


@register.filter
def truncate_summary(text: str, chars: int = 160) -> str:
    """Summaries on cards: cut at a word boundary, ending with an ellipsis."""
    return Truncator(text or "").chars(int(chars), truncate="…")


@register.filter
def photo_credit(credit: str) -> str:
    return f"(Photo: {credit})" if credit else ""


@register.filter
def srcset(image, fmt: str = "") -> str:
    """`srcset` of an image's renditions in one format (default: the original's)."""
    return image.srcset(fmt or None) if image else ""


@register.simple_tag
def all_topics():
    """Every topic, for the feed page's topic index (remembered until a topic changes)."""
    names = versions.names_or_none()
    if names is None:
        return queries.all_topics()
    return memory.get_or_set(("all_topics", names), queries.all_topics)
