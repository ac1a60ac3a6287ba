"""Related-story cards: a lone link to one of our stories, drawn as a card when the page is.

`markdown.render_markdown` wraps candidate paragraphs in card markers at save time. Here each
marker becomes the `_story_card.html` include when its story is published, and stays the plain
link otherwise, so a card never reveals a draft's headline or summary.
"""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from newsdesk.stories.markdown import CARD_CLOSE, CARD_OPEN
from newsdesk.stories.queries import stories_by_slugs

_MARKED = re.compile(
    re.escape(CARD_OPEN) + r"(?P<slug>[\w-]+)-->(?P<fallback>.*?)" + re.escape(CARD_CLOSE),
    re.DOTALL,
)


def card_slugs(body_html: str) -> list[str]:
    """Slugs of the stories a body links to as cards, in order (empty for most bodies)."""
    if CARD_OPEN not in body_html:
        return []
    return [m.group("slug") for m in _MARKED.finditer(body_html)]


def render_body(body_html: str, *, exclude_slug: str = "") -> SafeString:
    """The stored, sanitised body with its card markers resolved."""
    slugs = card_slugs(body_html)
    if not slugs:
        return mark_safe(body_html)
    stories = stories_by_slugs(slugs)

    def replace(match: re.Match) -> str:
        story = stories.get(match.group("slug"))
        if story is None or story.slug == exclude_slug:
            return match.group("fallback")
        return render_to_string("public/_story_card.html", {"card": story})

    return mark_safe(_MARKED.sub(replace, body_html))
