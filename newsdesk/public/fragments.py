"""Rendered feed items, kept in each process and keyed by exactly what they were drawn from.

Why: a page of the News Feed is twenty items, and between two publishes none of them changes;
after a publish only the new or edited one does. Rendering an item through a template
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
- the edition of the story: an item is always drawn in its story's edition's language and with
  its addresses (`translation.override`), wherever it is drawn (a page, the live hub's thread), so
  the story's `language` (part of its version) is all the key needs;
- the newsroom's time zone and clock (`NEWSDESK_TIME_ZONE`, `NEWSDESK_CLOCK`): an item writes
  its times in them (`public.times`); the words "Today" and "Yesterday", which change at
  midnight, are never part of an item (day headings are put between items by the list,
  `public.pages`, and relabelled by the browser);
- for a body with related-story cards, the version of each linked story while it is published
  (a card changes with its story's headline and disappears when the story is unpublished), read
  for the whole page in one query and remembered until the next feed event.

The story page's own parts (the article with its byline, lead figure, body, corrections and
author boxes, and its `<head>` metadata) are kept the same way by `story_parts`: a correction,
and new words for its lead image (`do_update_image_text`), bump the story's version. The page
around them is drawn for each request by its view (Jinja2, `public.jinja`), so nothing a request
brings (its user, a token, a nonce) is ever kept and shown to another reader.

When the cache cannot tell the `names` version (an outage), nothing is kept: all is drawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from newsdesk.cache import versions
from newsdesk.core import memory
from newsdesk.stories import queries
from newsdesk.stories.cards import card_slugs
from newsdesk.stories.feed_events import latest_event_id
from newsdesk.stories.models import Story

TEMPLATE = "public/_feed_item.html"
ARTICLE_TEMPLATE = "public/_story_article.html"
HEAD_TEMPLATE = "syndication/_story_head.html"


def _card_slugs_key(story: Story) -> tuple:
    return ("card_slugs", story.pk, story.version, story.modified_at)


def _card_slugs(story: Story) -> tuple[str, ...]:
    """The slugs a story's body links to as cards, remembered by the story's version."""
    return memory.get_or_set(_card_slugs_key(story), lambda: tuple(card_slugs(story.body_html)))


def _made_whole(stories: list[Story], which: list[Story]) -> list[Story]:
    """`stories`, with those among `which` read whole (`queries.drawable`)."""
    whole = {story.pk: story for story in queries.drawable(which)}
    return [whole.get(story.pk, story) for story in stories]


def _key(kind: str, story: Story, compact: bool, names: int, cards: dict[str, int]) -> tuple:
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
        settings.TIME_ZONE,
        settings.CLOCK_HOURS,
    )


def _draw(story: Story, compact: bool) -> SafeString:
    with translation.override(story.edition.language):
        html = get_template(TEMPLATE).render({"story": story, "compact": compact})
    return mark_safe(html.strip())


def feed_items(
    stories: Iterable[Story], *, compact: bool = False, newest_event: int | None = None
) -> list[SafeString]:
    """The HTML of each story's feed item, in order. Stories may come as reader pages read them
    (`relations=False`): only those that must be drawn, or whose body this process has not seen
    at this version, are read whole, in one batch. `newest_event`: the newest feed event's id,
    when the caller has read it (see `linked_versions`)."""
    stories = list(stories)
    names = versions.names_or_none()
    if names is None:
        return [_draw(story, compact) for story in queries.drawable(stories)]
    unseen = [story for story in stories if memory.get(_card_slugs_key(story)) is None]
    if unseen:
        stories = _made_whole(stories, unseen)
    cards = linked_versions(stories, newest_event)
    keys = [_key("feed_item", story, compact, names, cards) for story in stories]
    found = [memory.get(key) for key in keys]
    missing = [story for story, html in zip(stories, found, strict=True) if html is None]
    if missing:
        stories = _made_whole(stories, missing)
    for index, story in enumerate(stories):
        if found[index] is None:
            found[index] = _draw(story, compact)
            memory.set(keys[index], found[index])
    return found


def linked_versions(stories: Iterable[Story], newest_event: int | None = None) -> dict[str, int]:
    """The versions of the published stories that `stories` link to as cards (no query for the
    usual page without cards). Remembered until the next feed event: every change readers can
    see records one (the live stream and the page cache rely on the same rule), so while the
    newest event is the same, so are the versions of what readers can see."""
    slugs = tuple(sorted({slug for story in stories for slug in _card_slugs(story)}))
    if not slugs:
        return {}
    if newest_event is None:
        newest_event = latest_event_id()
    key = ("card_versions", newest_event, slugs)
    return memory.get_or_set(key, lambda: queries.published_versions_by_slug(list(slugs)))


def feed_item(story: Story, *, compact: bool = False) -> SafeString:
    return feed_items([story], compact=compact)[0]


@dataclass(frozen=True)
class StoryParts:
    head: SafeString
    article: SafeString


def _draw_story(story: Story) -> StoryParts:
    story = queries.story_details(story)
    with translation.override(story.edition.language):
        article = get_template(ARTICLE_TEMPLATE).render(
            {
                "story": story,
                "authors": story.ordered_authors(),
                "corrections": list(story.corrections.all()),
            }
        )
        head = get_template(HEAD_TEMPLATE).render({"story": story})
    return StoryParts(mark_safe(head.strip()), mark_safe(article.strip()))


def story_parts(story: Story, *, newest_event: int | None = None) -> StoryParts:
    """The story page's article and head metadata, from this process's memory when the story,
    its topics' and authors' names and its cards are as they were drawn. The
    story may come as `queries.story_by_slug(relations=False)` read it: the rest is read on a
    miss."""
    names = versions.names_or_none()
    if names is None:
        return _draw_story(story)
    if memory.get(_card_slugs_key(story)) is None:
        [story] = queries.drawable([story])
    key = _key("story_parts", story, False, names, linked_versions([story], newest_event))
    return memory.get_or_set(key, lambda: _draw_story(story))


ENTRY_TEMPLATE = "public/_live_entry.html"


def _draw_entry(entry: Story) -> SafeString:
    with translation.override(entry.edition.language):
        return mark_safe(get_template(ENTRY_TEMPLATE).render({"entry": entry}).strip())


def _entry_key(entry: Story, names) -> tuple:
    return (
        "live_entry", entry.pk, entry.version, entry.modified_at, entry.key_event,
        entry.updated_at, names, settings.TIME_ZONE, settings.CLOCK_HOURS,
    )  # fmt: skip


def live_entries(entries: list[Story], *, whole: dict | None = None) -> list[SafeString]:
    """Live entries as their live page draws them (and the live stream sends them), kept per
    process by each entry's version like feed items (a correction bumps the version too). The
    entries may come light (`relations=False`): those not drawn yet are read whole, with their
    authors, topics and corrections, in a fixed number of queries for all of them; `whole`, when
    given, receives them by id (for the page's structured data, which draws them too)."""
    names = versions.names_or_none()
    keys = [_entry_key(entry, names) for entry in entries]
    found = [memory.get(key) if names is not None else None for key in keys]
    misses = [entry for entry, html in zip(entries, found, strict=True) if html is None]
    if misses:
        read = queries.drawable(misses)
        queries.load_corrections(read)
        drawn = {entry.pk: _draw_entry(entry) for entry in read}
        if whole is not None:
            whole.update((entry.pk, entry) for entry in read)
        for n, entry in enumerate(entries):
            if found[n] is None:
                found[n] = drawn[entry.pk]
                if names is not None:
                    memory.set(keys[n], found[n])
    return found


def live_entry(entry: Story) -> SafeString:
    """One live entry (`live_entries`)."""
    return live_entries([entry])[0]
