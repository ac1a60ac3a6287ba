"""SQLite FTS5: bm25 with column weights (headline highest), snippet() and highlight().

Each word becomes an FTS5 string ("word", quotes doubled), so the query can hold no FTS5 syntax;
the words are ANDed, which is what readers expect from a search box.
"""

from __future__ import annotations

from django.db import connection

from newsdesk.search.backends import Filters, RawHit, story_conditions
from newsdesk.search.text import MARK_END, MARK_START

# headline, summary, body_text, authors, topics
WEIGHTS = (10.0, 4.0, 1.0, 3.0, 3.0)
SNIPPET_TOKENS = 24


def match_expression(words: list[str]) -> str:
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def run(words: list[str], filters: Filters, *, limit: int, offset: int) -> list[RawHit]:
    where, params = story_conditions(filters)
    weights = ", ".join(str(w) for w in WEIGHTS)
    sql = f"""
        SELECT s.id,
               highlight(search_fts, 0, %s, %s),
               snippet(search_fts, 2, %s, %s, '…', {SNIPPET_TOKENS})
        FROM search_fts JOIN stories_story s ON s.id = search_fts.rowid
        WHERE search_fts MATCH %s {"".join(" AND " + c for c in where)}
        ORDER BY bm25(search_fts, {weights}), s.published_at DESC, s.id DESC
        LIMIT %s OFFSET %s
    """  # noqa: S608  (only our own constants are formatted in; user text is a parameter)
    marks = [MARK_START, MARK_END]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*marks, *marks, match_expression(words), *params, limit, offset])
        return [RawHit(row[0], row[1] or "", row[2] or "") for row in cursor.fetchall()]
