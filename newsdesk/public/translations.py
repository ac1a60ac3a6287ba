"""A reader page's links to the same story in other languages (issue 19).

A published story whose translation is published too carries, in its `<head>`, one
`<link rel="alternate" hreflang="…">` per language with the full address (the same list on every
member, so the links are reciprocal) plus `x-default` (the site's own language), and above the
article a link to each other language, worded in that language ("Читати українською",
"Read in English": `translations.read_in`). Which members readers may see is decided by
`stories.translations.published_alternates`: an unpublished member is never named. Drawn per
request around the cached article, so a member published or taken down changes the page with
the next feed event, like everything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.cache import versions
from newsdesk.stories import translations
from newsdesk.stories.models import Story
from newsdesk.syndication.entries import absolute


@dataclass(frozen=True)
class Link:
    language: str
    href: str
    label: str = ""


def page_values(story: Story) -> dict:
    """`alternates` (hreflang links, x-default last) and `translation_links` (the other
    languages, labelled in their own words) for the page of `story`; empty lists without a
    published translation. Remembered until the next feed event (`core.memory`): a member of the
    group is published or taken down only with one, so every page of a story need not ask the
    database again (two queries on every story and live page)."""
    return versions.remembered(("translation_links", story.pk), lambda: _page_values(story))


def _page_values(story: Story) -> dict:
    alternates = translations.published_alternates(story)
    if not alternates:
        return {"alternates": [], "translation_links": []}
    hreflang = [Link(a.language, absolute(a.path)) for a in alternates]
    default = translations.x_default(alternates)
    hreflang.append(Link("x-default", absolute(default.path)))
    others = [
        Link(a.language, a.path, translations.read_in(a.language))
        for a in alternates
        if a.story.pk != story.pk
    ]
    return {"alternates": hreflang, "translation_links": others}
