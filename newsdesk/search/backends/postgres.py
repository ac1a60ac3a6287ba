"""PostgreSQL full text: to_tsquery over word forms, ts_rank_cd over the weighted tsvector.

The `document` tsvector holds the word forms of the text (`search.terms`, written by
`index.write_vectors`). Each query word becomes its forms, quoted as tsquery lexemes and ORed,
plus a prefix match ('sandb':*) for the last word; the words are ANDed. The forms are letters and
digits only, so the query holds no tsquery syntax. The `newsdesk_search` configuration (see the
migrations) folds case and, with unaccent, accents. Headlines and snippets are marked in Python
(`search.snippets`) from the stored text, as ts_headline knows nothing of word forms.

1. The window, the newest WINDOW + 1 matching stories, is found one of two ways, whichever the
   table statistics say is cheaper (the planner's own estimate of the match count):
   - a word in many stories: walk the feed index (status, published_at, id) from the newest and
     test each story's tsvector until WINDOW + 1 match; ~4 µs a story, so the walk costs
     (WINDOW + 1) / share-of-stories-matching, whatever the archive's size;
   - a rarer word: the GIN index ANDed with a range of the newest story ids, sized to hold about
     twice WINDOW matches and widened eightfold until it does (or covers every story). Walking
     for a word in 1 story in 20 tests 20,000 tsvectors (about 100 ms at 1,000,000 stories); the
     bitmap visits only the ~2,000 matches in range (about 12 ms). Left to itself the planner
     chooses the walk or a range scan that tests every row, as it prices the test too cheaply.
   Either way the window's stories are then ordered by published_at, newest first (for the desk,
   which also finds drafts, by id). In the second way a story whose id is far older than its
   publication (an old draft published late) can fall outside the range for a common word.
2. The ranking: ts_rank_cd over the window's stories only, fetched by id (filters applied again;
   no `@@` here, or the planner may take every match from the GIN index and sift them by id), one
   page cut out, and the stored text read for that page only.
"""

from __future__ import annotations

import json
import math
from contextlib import contextmanager

from django.db import connection, transaction

from newsdesk.search.backends import WINDOW, Filters, RawHit, Results, story_conditions
from newsdesk.search.snippets import Matcher, highlight, snippet
from newsdesk.search.terms import Term, whole_words

CONFIG = "newsdesk_search"


def run(terms: list[Term], filters: Filters, *, limit: int, offset: int) -> Results:
    where, params = story_conditions(filters)
    conditions = "".join(" AND " + c for c in where)
    query = _tsquery_text(terms)
    newest = "s.published_at DESC, s.id DESC" if filters.published_only else "s.id DESC"
    dated = _in_date_range(filters)
    with connection.cursor() as cursor:
        window = []
        if terms[-1].prefix:
            whole = whole_words(terms)
            window = _window(cursor, whole, conditions, params, newest, dated)
            if len(window) > WINDOW:  # a whole common word: no prefix (see terms.whole_words)
                terms, query = whole, _tsquery_text(whole)
        if not window or len(window) <= WINDOW:
            window = _window(cursor, terms, conditions, params, newest, dated)
        results = Results([], min(len(window), WINDOW), len(window) <= WINDOW)
        if offset >= results.total:
            return results
        cursor.execute(
            f"""
            WITH q AS (SELECT to_tsquery('{CONFIG}', %s) AS query),
            hits AS (
                SELECT s.id, s.published_at, ts_rank_cd(d.document, q.query) AS score
                FROM search_searchdocument d
                JOIN stories_story s ON s.id = d.story_id
                CROSS JOIN q
                WHERE d.story_id = ANY(%s){conditions}
                ORDER BY score DESC, s.published_at DESC NULLS LAST, s.id DESC
                LIMIT %s OFFSET %s
            )
            SELECT hits.id, d.headline, d.summary, d.body_text
            FROM hits
            JOIN search_searchdocument d ON d.story_id = hits.id
            ORDER BY hits.score DESC, hits.published_at DESC NULLS LAST, hits.id DESC
            """,  # noqa: S608  (only our own constants are formatted in; user text is a parameter)
            [
                query,
                window[: results.total],
                *params,
                limit,
                offset,
            ],
        )
        rows = cursor.fetchall()
    matches = Matcher(terms)
    hits = [
        RawHit(story_id, highlight(headline, matches), snippet([body_text, summary], matches))
        for story_id, headline, summary, body_text in rows
    ]
    return Results(hits, results.total, results.exact)


# Measured on the benchmark machine (docs/benchmarks.md, Archive): testing one story's tsvector
# during the feed-index walk, reading one GIN posting entry, and one bitmap match's heap visit
# and story lookup, in µs.
WALK_US, GIN_ENTRY_US, BITMAP_MATCH_US = 4.0, 0.08, 5.0
SMALL = 50_000  # below this many documents the planner's own plan is fast whatever it picks
FEW = 5 * WINDOW  # up to this many matches in all, the GIN bitmap alone (no id range)


def _in_date_range(filters: Filters) -> tuple[str, list] | None:
    """The story conditions of a date-filtered search, to estimate how many stories it spans."""
    if not (filters.date_from or filters.date_to):
        return None
    dates = Filters(filters.published_only, date_from=filters.date_from, date_to=filters.date_to)
    where, params = story_conditions(dates)
    return " AND ".join(where), params


def _window(
    cursor, terms: list[Term], conditions: str, params: list, newest: str, dated: tuple | None
) -> list[int]:
    """The ids of the newest WINDOW + 1 matching stories that pass the filters, newest first."""
    query = _tsquery_text(terms)
    select = (
        "SELECT s.id FROM search_searchdocument d JOIN stories_story s ON s.id = d.story_id "  # noqa: S608
        f"WHERE d.document @@ to_tsquery('{CONFIG}', %s){conditions} "
    )
    order = f"ORDER BY {newest} LIMIT {WINDOW + 1}"
    documents, matches, entries = _estimates(cursor, terms)
    share = max(matches, 1.0) / max(documents, 1.0)
    walk = (WINDOW + 1) / share * WALK_US
    bitmap = entries * GIN_ENTRY_US + 2 * (WINDOW + 1) * BITMAP_MATCH_US
    if documents < SMALL:
        cursor.execute(select + order, [query, *params])
        return [row[0] for row in cursor.fetchall()]
    if dated is not None:
        # A date range: ids say nothing about it, so the choice is the walk (the feed index
        # starts at the range's end and stops at its start) or every match from the GIN index.
        walk = min(walk, _estimated_rows(cursor, "stories_story s", *dated) * WALK_US)
        bitmap = entries * GIN_ENTRY_US + matches * BITMAP_MATCH_US
    if walk <= bitmap:
        # Parallel workers only add their start-up to a walk that stops after ~1,000 matches.
        with transaction.atomic(), _setting(cursor, "max_parallel_workers_per_gather", "0"):
            cursor.execute(select + order, [query, *params])
            return [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT max(story_id) FROM search_searchdocument")
    highest = cursor.fetchone()[0] or 0
    # Few matches in all, or a date range: the GIN index alone, no id range.
    few = matches <= FEW or dated is not None
    span = highest if few else math.ceil(2 * (WINDOW + 1) / share)
    while True:
        lowest = max(0, highest - span)
        with transaction.atomic(), _setting(cursor, "enable_indexscan", "off"):
            cursor.execute(
                "SELECT story_id FROM search_searchdocument "  # noqa: S608
                f"WHERE document @@ to_tsquery('{CONFIG}', %s)"
                + (" AND story_id > %s" if lowest else ""),
                [query, lowest] if lowest else [query],
            )
            candidates = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT s.id FROM stories_story s WHERE s.id = ANY(%s)"  # noqa: S608
            f"{conditions} {order}",
            [candidates, *params],
        )
        window = [row[0] for row in cursor.fetchall()]
        if len(window) > WINDOW or lowest == 0:
            return window
        span *= 8


@contextmanager
def _setting(cursor, name: str, value: str):
    """A planner setting for the statements inside (transaction-local; put back after, since a
    surrounding transaction, as in tests, would otherwise keep it)."""
    cursor.execute("SELECT current_setting(%s), set_config(%s, %s, true)", [name, name, value])
    before = cursor.fetchone()[0]
    try:
        yield
    finally:
        cursor.execute("SELECT set_config(%s, %s, true)", [name, before])


def _estimated_rows(cursor, table: str, where: str, params: list) -> float:
    """The planner's estimate of the rows of `table` matching `where`."""
    cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} WHERE {where}", params)  # noqa: S608
    plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"])


def _estimates(cursor, terms: list[Term]) -> tuple[float, float, float]:
    """The planner's estimates of the documents in the index, of those matching all the words,
    and of the GIN entries a bitmap reads (each word's own matches: 'harbour' AND 'storm' reads
    both lists whole, however few stories hold both)."""
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'search_searchdocument'::regclass")
    documents = float(cursor.fetchone()[0])
    if documents < SMALL:
        return documents, 0.0, 0.0
    where = f"document @@ to_tsquery('{CONFIG}', %s)"
    matches = _estimated_rows(cursor, "search_searchdocument", where, [_tsquery_text(terms)])
    if len(terms) == 1:
        return documents, matches, matches
    entries = sum(
        _estimated_rows(cursor, "search_searchdocument", where, [_tsquery_text([term])])
        for term in terms
    )
    return documents, matches, entries


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery_text(terms: list[Term]) -> str:
    """to_tsquery text: each word's forms (and its prefix, for the last) ORed, the words ANDed.
    Every lexeme is quoted, so "or", "!" or ":" in a word are text, not operators."""
    groups = []
    for term in terms:
        alternatives = [_lexeme(form) for form in term.forms]
        if term.prefix:
            alternatives.append(_lexeme(term.prefix) + ":*")
        groups.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(groups)
