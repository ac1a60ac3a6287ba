"""The two full-text backends behind one function: `run(terms, filters, limit, offset)`.

Each returns `Results`: a page of `RawHit`s (story id plus headline and snippet with
MARK_START/MARK_END around hits), best first, and how many stories matched, counted up to WINDOW.
The filters are applied in the same SQL statements as the match, joined to the story table, so
"published only" is decided by the story's status at query time.

The ranking rule (docs/search.md): each backend first takes the newest WINDOW + 1 matching
stories (a walk down an index from the newest end, which stops early however common the words
are), and ranks only the newest WINDOW of them by relevance. With WINDOW or fewer matches that is
every match; with more, the count is "more than WINDOW" and older matches are not shown. Scoring
every match of a word found in most of a million stories is what made common words cost seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from newsdesk.search.terms import Term


@dataclass(frozen=True)
class Filters:
    published_only: bool = True
    topic_id: int | None = None
    author_id: int | None = None
    kind: str | None = None
    date_from: dt.datetime | None = None
    date_to: dt.datetime | None = None
    # One edition's stories (`core.editions`): in `language`, or in none of `not_languages`.
    language: str | None = None
    not_languages: tuple[str, ...] = ()


def _language_is(language: str) -> tuple[str, list]:
    return "(s.language = %s OR s.language LIKE %s)", [language, f"{language}-%"]


# The newest matches ranked by relevance; also the most results anyone can page to (50 × 20).
WINDOW = 1000


@dataclass(frozen=True)
class RawHit:
    story_id: int
    headline: str
    snippet: str


@dataclass(frozen=True)
class Results:
    hits: list[RawHit]
    total: int  # matching stories, counted up to WINDOW
    exact: bool  # False: more than WINDOW stories match (only the newest WINDOW are ranked)


EMPTY = Results([], 0, True)


def story_conditions(filters: Filters, story_id: str = "s.id") -> tuple[list[str], list]:
    """SQL conditions on `s` (stories_story) for the filters, with their parameters. The topic
    and author tests name the story as `story_id`, which may be the index's own id column: SQLite
    then checks them before it fetches the (wide) story row."""
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
    if filters.language:
        condition, values = _language_is(filters.language)
        where.append(condition)
        params.extend(values)
    for language in filters.not_languages:
        condition, values = _language_is(language)
        where.append(f"NOT {condition}")
        params.extend(values)
    if filters.topic_id:
        where.append(
            f"EXISTS (SELECT 1 FROM stories_story_topics t WHERE t.story_id = {story_id} "  # noqa: S608
            "AND t.topic_id = %s)"
        )
        params.append(filters.topic_id)
    if filters.author_id:
        where.append(
            f"EXISTS (SELECT 1 FROM stories_storyauthor a WHERE a.story_id = {story_id} "  # noqa: S608
            "AND a.author_id = %s)"
        )
        params.append(filters.author_id)
    return where, params


def run(terms: list[Term], filters: Filters, *, limit: int, offset: int) -> Results:
    if not terms:
        return EMPTY
    if connection.vendor == "postgresql":
        from newsdesk.search.backends import postgres as backend
    else:
        from newsdesk.search.backends import sqlite as backend
    return backend.run(terms, filters, limit=limit, offset=offset)
