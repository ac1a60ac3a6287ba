"""PostgreSQL full text: websearch_to_tsquery, ts_rank_cd over the weighted tsvector, ts_headline.

Each word is quoted (so "or" is a word, not an operator) and the quoted words are given to
websearch_to_tsquery, which never raises on any input. The `newsdesk_search` configuration (see
the migration) folds case and, with unaccent, accents.

Two statements, each bounded by WINDOW rather than by how common the words are:
1. the window: the newest WINDOW + 1 matching stories. For readers that is `published_at DESC`,
   which the planner answers either by walking the feed index (status, published_at, id) and
   testing each story's tsvector (common words: it stops after about WINDOW stories) or from the
   GIN index (rarer words: few matches to sort); for the desk, which also finds drafts, newest
   means the highest id;
2. the ranking: ts_rank_cd over the window's stories only (filters applied again), one page cut
   out, and ts_headline computed for that page only.
"""

from __future__ import annotations

from django.db import connection

from newsdesk.search.backends import WINDOW, Filters, RawHit, Results, story_conditions
from newsdesk.search.text import MARK_END, MARK_START

CONFIG = "newsdesk_search"


def run(words: list[str], filters: Filters, *, limit: int, offset: int) -> Results:
    where, params = story_conditions(filters)
    conditions = "".join(" AND " + c for c in where)
    query = " ".join(f'"{word}"' for word in words)
    newest = "s.published_at DESC, s.id DESC" if filters.published_only else "s.id DESC"
    headline_options = f"HighlightAll=true, StartSel={MARK_START}, StopSel={MARK_END}"
    snippet_options = (
        f'MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … ", '
        f"StartSel={MARK_START}, StopSel={MARK_END}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.id FROM search_searchdocument d JOIN stories_story s ON s.id = d.story_id "  # noqa: S608
            f"WHERE d.document @@ websearch_to_tsquery('{CONFIG}', %s){conditions} "
            f"ORDER BY {newest} LIMIT %s",
            [query, *params, WINDOW + 1],
        )
        window = [row[0] for row in cursor.fetchall()]
        results = Results([], min(len(window), WINDOW), len(window) <= WINDOW)
        if offset >= results.total:
            return results
        cursor.execute(
            f"""
            WITH q AS (SELECT websearch_to_tsquery('{CONFIG}', %s) AS query),
            hits AS (
                SELECT s.id, s.published_at, ts_rank_cd(d.document, q.query) AS score
                FROM search_searchdocument d
                JOIN stories_story s ON s.id = d.story_id
                CROSS JOIN q
                WHERE d.story_id = ANY(%s) AND d.document @@ q.query{conditions}
                ORDER BY score DESC, s.published_at DESC NULLS LAST, s.id DESC
                LIMIT %s OFFSET %s
            )
            SELECT hits.id,
                   ts_headline('{CONFIG}', d.headline, q.query, %s),
                   ts_headline('{CONFIG}', d.body_text, q.query, %s)
            FROM hits
            JOIN search_searchdocument d ON d.story_id = hits.id
            CROSS JOIN q
            ORDER BY hits.score DESC, hits.published_at DESC NULLS LAST, hits.id DESC
            """,  # noqa: S608  (only our own constants are formatted in; user text is a parameter)
            [
                query,
                window[: results.total],
                *params,
                limit,
                offset,
                headline_options,
                snippet_options,
            ],
        )
        hits = [RawHit(row[0], row[1] or "", row[2] or "") for row in cursor.fetchall()]
    return Results(hits, results.total, results.exact)
