"""Reads of the feed events: where a reader's live stream starts and what it missed.

Feed events are content (`stories.models.FeedEvent`); `newsdesk.live` renders and delivers them.
"""

from __future__ import annotations

from newsdesk.stories.models import FeedEvent, Kind


def latest_event_id() -> int:
    """The newest feed event's id (0 before the first): where a reader's live stream starts,
    asked by every live reader page."""
    return FeedEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def events_after(after_id: int, *, upto: int | None = None, limit: int) -> list[FeedEvent]:
    """Feed events with id > after_id (and ≤ upto), oldest first, at most `limit`."""
    rows = FeedEvent.objects.filter(pk__gt=after_id)
    if upto is not None:
        rows = rows.filter(pk__lte=upto)
    return list(rows.order_by("pk")[:limit])


def last_event_id_upto(
    upto: int, *, topic: str | None = None, coverage: str | None = None, edition=None
) -> int:
    """The newest feed event with id ≤ upto (of a story now in `topic`, or of the live coverage
    with slug `coverage` and its entries, when given; of `edition`'s stories when given); 0 when
    none.

    A push tier chains the events of each channel by id (`live.push`): this is the event before
    one on the site feed, a topic's or a live page's channel, asked both by the app answering a
    reader and by the publisher, so both name the same one."""
    rows = FeedEvent.objects.filter(pk__lte=upto)
    if edition is not None:  # a `core.editions.Edition`: the events of its stories only
        from newsdesk.stories.queries import edition_q

        rows = rows.filter(edition_q(edition, "story__language"))
    if topic is not None:
        rows = rows.filter(story__topics__slug=topic)
    if coverage is not None:
        # Two indexed reads (the coverage's own events, its entries'), newest of the two.
        own = rows.filter(story__slug=coverage, story__kind=Kind.LIVE)
        entries = rows.filter(story__coverage__slug=coverage)
        found = [q.order_by("-pk").values_list("pk", flat=True).first() for q in (own, entries)]
        return max((pk for pk in found if pk), default=0)
    return rows.order_by("-pk").values_list("pk", flat=True).first() or 0
