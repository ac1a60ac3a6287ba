"""PostgreSQL full text: websearch_to_tsquery, ts_rank_cd over the weighted tsvector, ts_headline.

Each word is quoted (so "or" is a word, not an operator) and the quoted words are given to
websearch_to_tsquery, which never raises on any input. The `newsdesk_search` configuration (see
the migration) folds case and, with unaccent, accents. Headlines are computed only for the page
of results, in the outer query.
"""

from __future__ import annotations

from django.db import connection

from newsdesk.search.backends import Filters, RawHit, story_conditions
from newsdesk.search.text import MARK_END, MARK_START

CONFIG = "newsdesk_search"


def run(words: list[str], filters: Filters, *, limit: int, offset: int) -> list[RawHit]:
    where, params = story_conditions(filters)
    headline_options = f"HighlightAll=true, StartSel={MARK_START}, StopSel={MARK_END}"
    snippet_options = (
        f'MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … ", '
        f"StartSel={MARK_START}, StopSel={MARK_END}"
    )
    sql = f"""
        WITH q AS (SELECT websearch_to_tsquery('{CONFIG}', %s) AS query),
        hits AS (
            SELECT s.id, s.published_at, ts_rank_cd(d.document, q.query) AS score
            FROM search_searchdocument d
            JOIN stories_story s ON s.id = d.story_id
            CROSS JOIN q
            WHERE d.document @@ q.query {"".join(" AND " + c for c in where)}
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
    """  # noqa: S608  (only our own constants are formatted in; user text is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                " ".join(f'"{word}"' for word in words),
                *params,
                limit,
                offset,
                headline_options,
                snippet_options,
            ],
        )
        return [RawHit(row[0], row[1] or "", row[2] or "") for row in cursor.fetchall()]
