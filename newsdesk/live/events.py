"""Feed events as readers receive them: one schema, encoded once, shared by every reader.

A live reader, a reader that reconnects with `Last-Event-ID`, and a reader polling `/live/poll`
all get the same payload for the same event, built here:

    {"id": 42, "event": "updated",
     "story": {"id": 7, "slug": "…", "kind": "update", "url": "/stories/…/",
               "published_at": "…", "updated_at": "…" | null, "pinned": false,
               "breaking": false, "topics": ["energy"]},
     "html": "<article …>", "html_compact": "<article …>",
     "data": {"marked_update": true}}

The story part always describes the story as it is *now*: a story that is no longer published is
sent as `{"id": 7, "visible": false}` with empty HTML, so a replayed "published" event of a story
since pulled (or a late "updated" one) can never reveal its headline.

Live coverage: an entry's story part also has "coverage" (its live page's slug), "key_event",
"title" (headline or opening words) and the payload "html_entry" (the entry as its live page
draws it); a live coverage's own part has "coverage" (its slug), "summary" and "ended_at". Two
event kinds are theirs: "key_event" (data {"key_event": bool}) and "entry_pinned" (data
{"pinned": bool}). A reader of `/live/stream?coverage=<slug>` gets only the events of that
coverage and its entries.

Editions: a reader gets only the events of its edition's stories (`?edition=uk`; without it, the
edition at /), so the stream of the Ukrainian News Feed never carries an English story.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from newsdesk.stories.feed_events import events_after
from newsdesk.stories.models import EventKind, FeedEvent, Kind, Status, Story
from newsdesk.stories.queries import with_display_relations

STORY_KEYS = {
    "id", "slug", "kind", "url", "published_at", "updated_at", "pinned", "breaking", "topics",
}  # fmt: skip


# How a story is drawn as a feed item (`compact` for sidebars): the reader site's drawing, so an
# item looks the same however it arrives. `live` only delivers and sits below the site, so the
# site hands its drawing over when it starts (`public.apps`) instead of being imported here.
ItemDrawer = Callable[[Story, bool], str]
_draw_item: ItemDrawer | None = None
# How a live entry is drawn on its live page (handed over by the site, like the item drawer).
_draw_entry: Callable[[Story], str] | None = None


def set_item_drawer(draw: ItemDrawer) -> None:
    global _draw_item
    _draw_item = draw


def set_entry_drawer(draw: Callable[[Story], str]) -> None:
    global _draw_entry
    _draw_entry = draw


def _item(story: Story, compact: bool) -> str:
    if _draw_item is None:
        raise ImproperlyConfigured(
            "Live events need the reader site to draw their items: keep newsdesk.public in "
            "INSTALLED_APPS (its AppConfig.ready hands the drawing to newsdesk.live.events)."
        )
    return _draw_item(story, compact)


def _entry(story: Story) -> str:
    if _draw_entry is None:
        raise ImproperlyConfigured(
            "Live events need the reader site to draw live entries: keep newsdesk.public in "
            "INSTALLED_APPS (its AppConfig.ready hands the drawing to newsdesk.live.events)."
        )
    return _draw_entry(story)


@dataclass(frozen=True)
class EncodedEvent:
    """An event ready to send: `sse` is the exact bytes of one SSE message."""

    id: int
    kind: str
    topics: frozenset[str]
    payload: dict
    sse: bytes
    coverage: str | None = None  # the slug of the live page the event belongs to
    edition: str | None = None  # the language of its story's edition (None: a deleted story)

    def for_edition(self, edition: str | None) -> bool:
        """Whether a reader of `edition` (a language; None: every edition) gets this event. A
        deleted story's event (an empty "not visible") goes to everyone: it reveals nothing."""
        return edition is None or self.edition is None or self.edition == edition

    def is_for(self, topic: str | None, coverage: str | None, edition: str | None) -> bool:
        """Whether a reader following `topic`, the live page `coverage` and `edition` (each
        None: any) gets this event: the one rule of the hub, the replay and the poll."""
        return (
            self.for_edition(edition)
            and (topic is None or topic in self.topics)
            and (coverage is None or coverage == self.coverage)
        )


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def story_part(story: Story, coverage_slug: str | None = None) -> tuple[dict, str, str]:
    """The story's JSON and its rendered feed item (full and compact), as readers may see it."""
    if story.status != Status.PUBLISHED:
        return {"id": story.pk, "visible": False}, "", ""
    topics = [t.slug for t in story.topics.all()]
    part = {
        "id": story.pk,
        "slug": story.slug,
        "kind": story.kind,
        "url": story.get_absolute_url(),
        "published_at": _iso(story.published_at),
        "updated_at": _iso(story.updated_at),
        "pinned": story.pinned,
        "breaking": story.breaking,
        "topics": topics,
        "visible": True,
    }
    if story.kind == Kind.ENTRY:
        part["coverage"] = coverage_slug
        part["key_event"] = story.key_event
        part["title"] = story.display_headline
    elif story.kind == Kind.LIVE:
        part["coverage"] = story.slug
        part["summary"] = story.summary
        part["ended_at"] = _iso(story.ended_at)
    return part, _item(story, False), _item(story, True)


def check_payload(payload: dict) -> None:
    """Raise ValueError when a payload breaks the schema above (tests check every action's)."""
    if payload.get("event") not in EventKind.values:
        raise ValueError(f"unknown event kind {payload.get('event')!r}")
    if not isinstance(payload.get("id"), int):
        raise ValueError("event id must be an integer")
    story = payload.get("story")
    if not isinstance(story, dict) or not isinstance(story.get("id"), int):
        raise ValueError("story.id must be an integer")
    if story.get("visible"):
        missing = STORY_KEYS - story.keys()
        if missing:
            raise ValueError(f"visible story lacks {sorted(missing)}")
        if not payload.get("html") or not payload.get("html_compact"):
            raise ValueError("a visible story must carry its rendered item")
    elif payload.get("html") or payload.get("html_compact") or set(story) - {"id", "visible"}:
        raise ValueError("a story readers cannot see must carry nothing but its id")
    if not isinstance(payload.get("data"), dict):
        raise ValueError("data must be an object")
    for kind, key in ((EventKind.KEY_EVENT, "key_event"), (EventKind.ENTRY_PINNED, "pinned")):
        if payload["event"] == kind and not isinstance(payload["data"].get(key), bool):
            raise ValueError(f"a {kind} event's data must say {key}: true or false")
    if story.get("visible") and story.get("kind") == Kind.ENTRY:
        if not isinstance(story.get("coverage"), str) or not payload.get("html_entry"):
            raise ValueError("a visible entry must name its coverage and carry html_entry")
    elif payload.get("html_entry"):
        raise ValueError("only a visible entry carries html_entry")


def encode(events: list[FeedEvent]) -> list[EncodedEvent]:
    """Render and encode events, loading each story once."""
    story_ids = {event.story_id for event in events}
    stories = {s.pk: s for s in with_display_relations(Story.objects.filter(pk__in=story_ids))}
    coverage_ids = {s.coverage_id for s in stories.values() if s.coverage_id}
    coverage_slugs = dict(Story.objects.filter(pk__in=coverage_ids).values_list("pk", "slug"))
    channels = {
        pk: (story.slug if story.kind == Kind.LIVE else coverage_slugs.get(story.coverage_id))
        for pk, story in stories.items()
    }
    parts = {pk: story_part(story, channels[pk]) for pk, story in stories.items()}
    encoded = []
    for event in events:
        story = stories.get(event.story_id)
        if story is None:  # deleted since: nothing to show, but readers should drop it
            part, html, compact = {"id": event.story_id, "visible": False}, "", ""
            topics: frozenset[str] = frozenset()
        else:
            part, html, compact = parts[event.story_id]
            topics = frozenset(t.slug for t in story.topics.all())
        payload = {
            "id": event.pk,
            "event": event.kind,
            "story": part,
            "html": html,
            "html_compact": compact,
            "data": event.data or {},
        }
        channel = channels.get(event.story_id) if story is not None else None
        if story is not None and story.kind == Kind.ENTRY and part.get("visible"):
            payload["html_entry"] = _entry(story)
        check_payload(payload)
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        sse = f"id: {event.pk}\nevent: {event.kind}\ndata: {body}\n\n".encode()
        edition = story.edition.language if story is not None else None
        encoded.append(EncodedEvent(event.pk, event.kind, topics, payload, sse, channel, edition))
    return encoded


def replay(after_id: int, *, upto: int | None, limit: int) -> list[EncodedEvent] | None:
    """What a reconnecting reader missed, or None when it missed more than `limit` (reset)."""
    rows = events_after(after_id, upto=upto, limit=limit + 1)
    if len(rows) > limit:
        return None
    return encode(rows)
