"""Related-story cards: a lone link to one of our stories, drawn as a card when the page is.

`markdown.render_markdown` wraps candidate paragraphs in card markers at save time. Here each
marker becomes the `_story_card.html` include when its story is published, and stays the plain
link otherwise, so a card never reveals a draft's headline or summary.
"""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from newsdesk.stories import embeds
from newsdesk.stories.excerpts import cut_at_word
from newsdesk.stories.markdown import CARD_CLOSE, CARD_OPEN, outline_headings, text_of_html
from newsdesk.stories.models import Story
from newsdesk.stories.queries import stories_by_slugs

CARD_TEXT_CHARS = 140

_MARKED = re.compile(
    re.escape(CARD_OPEN) + r"(?P<slug>[\w-]+)-->(?P<fallback>.*?)" + re.escape(CARD_CLOSE),
    re.DOTALL,
)


def card_slugs(body_html: str) -> list[str]:
    """Slugs of the stories a body links to as cards, in order (empty for most bodies)."""
    if CARD_OPEN not in body_html:
        return []
    return [m.group("slug") for m in _MARKED.finditer(body_html)]


def render_body(
    body_html: str, *, exclude_slug: str = "", top: int = 2, embed_cards: bool = False
) -> SafeString:
    """The stored, sanitised body with its card markers resolved and its headings outlined
    under a page heading one level above `top` (2 under a story's `<h1>`, 3 under a feed
    item's `<h2>` headline; see `markdown.outline_headings`). Embeds are drawn as cards with a
    click-to-load player on reader pages (`embed_cards`), as their quote and link everywhere
    else (feeds, JSON Feed)."""
    body_html = outline_headings(body_html, top)
    body_html = embeds.draw(body_html, _embed_card if embed_cards else None)
    slugs = card_slugs(body_html)
    if not slugs:
        return mark_safe(body_html)
    stories = stories_by_slugs(slugs)

    def replace(match: re.Match) -> str:
        story = stories.get(match.group("slug"))
        if story is None or story.slug == exclude_slug:
            return match.group("fallback")
        return render_to_string(
            "public/_story_card.html", {"card": story, "card_text": card_text(story)}
        )

    return mark_safe(_MARKED.sub(replace, body_html))


def _embed_card(embed: embeds.Embed) -> str:
    return render_to_string(
        "public/_embed_card.html", {"embed": embed, "day": embeds.published_date(embed)}
    )


def opening_text(body_html: str) -> str:
    """The words a body opens with, as readers see them: the cards it holds left out (their
    fallback is a bare address, no words of the story)."""
    return text_of_html(_MARKED.sub(" ", body_html))


def card_text(story: Story, limit: int = CARD_TEXT_CHARS) -> str:
    """What a card shows under its headline: the story's summary, or its opening text when it
    has none, cut at a word boundary with "…"."""
    return cut_at_word(story.summary or opening_text(story.body_html), limit)
