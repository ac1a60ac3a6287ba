"""Rendered feed items, kept in each process and keyed by exactly what they were drawn from.

Why: a page of the News Feed is twenty items, and between two publishes none of them changes;
after a publish only the new or edited one does. Rendering an item through Django's template
engine was most of what an uncached page cost, so each process keeps the HTML of the items it
drew (`core.memory`), and a page (the feed, a topic, an author, a story's sidebar, Show More, a
live event) draws only the items it has not drawn before. An item therefore looks the same
however it arrives.

When is a copy still right? The key holds every input of `_feed_item.html`:

- the story's `version`, which every write to a story bumps
  (`stories.actions.common.claim_version`), and its `modified_at` to the microsecond, so that a
  database restored or rebuilt under a running process (ids and versions start again) can never
  match an old copy; plus the fields a reader sees change (`pinned`, `breaking`, `updated_at`)
  for good measure;
- the `names` version of `cache.versions`, bumped when any topic is renamed (items list their
  topics by name);
- whether the item is compact;
- for a body with related-story cards, the version of each linked story while it is published
  (a card changes with its story's headline and disappears when the story is unpublished), read
  for the whole page in one query.

The story page's own parts (the article with its byline, lead figure, body, corrections and
author boxes, and its `<head>` metadata) are kept the same way by `story_parts_and_key`: their
key adds the lead image's texts, and a correction bumps the story's version. The page around them
is kept by `public.shells`; only the sidebar's items are looked up per request.

When the cache cannot tell the `names` version (an outage), nothing is kept: all is drawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from newsdesk.cache import versions
from newsdesk.core import memory
from newsdesk.stories import queries
from newsdesk.stories.cards import card_slugs
from newsdesk.stories.models import Story

TEMPLATE = "public/_feed_item.html"
ARTICLE_TEMPLATE = "public/_story_article.html"
HEAD_TEMPLATE = "syndication/_story_head.html"


def _card_slugs(story) -> tuple[str, ...]:
    """The slugs a story's body links to as cards, remembered by the story's version: the fast
    path (`public.fast`) reads rows without bodies and finds them here."""
    key = ("card_slugs", story.pk, story.version, story.modified_at)
    if isinstance(story, Story):
        return memory.get_or_set(key, lambda: tuple(card_slugs(story.body_html)))
    return memory.get(key)


def _key(kind: str, story, compact: bool, names: int, cards: dict[str, int]) -> tuple:
    """`story`: a `Story`, or a `queries.ItemRow` of one (the same attributes)."""
    linked = tuple((slug, cards.get(slug)) for slug in _card_slugs(story))
    return (
        kind,
        story.pk,
        story.version,
        story.modified_at,
        story.pinned,
        story.breaking,
        story.updated_at,
        compact,
        names,
        linked,
    )


def _draw(story: Story, compact: bool) -> SafeString:
    html = get_template(TEMPLATE).render({"story": story, "compact": compact})
    return mark_safe(html.strip())


def feed_items(stories: Iterable[Story], *, compact: bool = False) -> list[SafeString]:
    """The HTML of each story's feed item, in order. Stories may come without their topics and
    authors loaded: those are fetched, in one batch, only for the items that must be drawn."""
    stories = list(stories)
    names = versions.names_or_none()
    if names is None:
        queries.load_display_relations(stories)
        return [_draw(story, compact) for story in stories]
    cards = linked_versions(stories)
    keys = [_key("feed_item", story, compact, names, cards) for story in stories]
    found = [memory.get(key) for key in keys]
    missing = [story for story, html in zip(stories, found, strict=True) if html is None]
    if missing:
        queries.load_display_relations(missing)
    for index, story in enumerate(stories):
        if found[index] is None:
            found[index] = _draw(story, compact)
            memory.set(keys[index], found[index])
    return found


def linked_versions(stories) -> dict[str, int]:
    """The versions of the published stories that `stories` link to as cards (one query, none
    for the usual page without cards). Raises KeyError for a row whose card slugs this process
    does not know yet."""
    slugs = []
    for story in stories:
        found = _card_slugs(story)
        if found is None:
            raise KeyError(story.pk)
        slugs.extend(found)
    return queries.published_versions_by_slug(slugs)


def kept_items(rows, *, compact: bool, names: int, cards: dict[str, int]) -> list | None:
    """The kept HTML of each row's item, or None unless every one is kept (for `public.fast`)."""
    found = []
    for row in rows:
        html = memory.get(_key("feed_item", row, compact, names, cards))
        if html is None:
            return None
        found.append(html)
    return found


def feed_item(story: Story, *, compact: bool = False) -> SafeString:
    return feed_items([story], compact=compact)[0]


def story_key(story, image_texts: tuple | None, names: int, cards: dict[str, int]) -> tuple:
    """What a story page's own parts are drawn from (`story` may be a `queries.StoryRow`)."""
    return (*_key("story_parts", story, False, names, cards), image_texts)


@dataclass(frozen=True)
class StoryParts:
    head: SafeString
    article: SafeString


def _draw_story(story: Story) -> StoryParts:
    queries.load_story_details(story)
    article = get_template(ARTICLE_TEMPLATE).render(
        {
            "story": story,
            "authors": story.ordered_authors(),
            "corrections": list(story.corrections.all()),
        }
    )
    head = get_template(HEAD_TEMPLATE).render({"story": story})
    return StoryParts(mark_safe(head.strip()), mark_safe(article.strip()))


def story_parts_and_key(story: Story) -> tuple[StoryParts, tuple | None]:
    """The story page's article and head metadata, from this process's memory when the story,
    its image's texts, its topics' and authors' names and its cards are as they were drawn; and
    the key they are kept under (None when nothing can be kept). The story may come without its
    authors, topics and corrections: they are loaded on a miss."""
    names = versions.names_or_none()
    if names is None:
        return _draw_story(story), None
    image = story.lead_image
    image_texts = (image.pk, image.alt_text, image.caption, image.credit) if image else None
    key = story_key(story, image_texts, names, linked_versions([story]))
    return memory.get_or_set(key, lambda: _draw_story(story)), key
