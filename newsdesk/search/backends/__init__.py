"""The two full-text backends behind one function: `run(words, filters, limit, offset)`.

Each returns `RawHit`s (story id plus headline and snippet with MARK_START/MARK_END around hits),
best first. The filters are applied in the same SQL statement as the match, joined to the story
table, so "published only" is decided by the story's status at query time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class Filters:
    published_only: bool = True
    topic_id: int | None = None
    author_id: int | None = None
    kind: str | None = None
    date_from: dt.datetime | None = None
    date_to: dt.datetime | None = None


@dataclass(frozen=True)
class RawHit:
    story_id: int
    headline: str
    snippet: str


def story_conditions(filters: Filters) -> tuple[list[str], list]:
    """SQL conditions on `s` (stories_story) for the filters, with their parameters."""
    ops = connection.ops
    where: list[str] = []
    params: list = []
    if filters.published_only:
        where.append("s.status = %s AND s.published_at IS NOT NULL")
        params.append("published")
    if filters.kind:
        where.append("s.kind = %s")
        params.append(filters.kind)
    if filters.date_from:
        where.append("s.published_at >= %s")
        params.append(ops.adapt_datetimefield_value(filters.date_from))
    if filters.date_to:
        where.append("s.published_at < %s")
        params.append(ops.adapt_datetimefield_value(filters.date_to))
    if filters.topic_id:
        where.append(
            "EXISTS (SELECT 1 FROM stories_story_topics t WHERE t.story_id = s.id "
            "AND t.topic_id = %s)"
        )
        params.append(filters.topic_id)
    if filters.author_id:
        where.append(
            "EXISTS (SELECT 1 FROM stories_storyauthor a WHERE a.story_id = s.id "
            "AND a.author_id = %s)"
        )
        params.append(filters.author_id)
    return where, params


def run(words: list[str], filters: Filters, *, limit: int, offset: int) -> list[RawHit]:
    if not words:
        return []
    if connection.vendor == "postgresql":
        from newsdesk.search.backends import postgres as backend
    else:
        from newsdesk.search.backends import sqlite as backend
    return backend.run(words, filters, limit=limit, offset=offset)
