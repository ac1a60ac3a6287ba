"""SQLite FTS5: the newest matches, ranked by where the words are, with snippet() and highlight().

Each word becomes an FTS5 string ("word", quotes doubled), so the query can hold no FTS5 syntax;
the words are ANDed, which is what readers expect from a search box.

Every statement is bounded by WINDOW, not by how common the words are:
1. the window: FTS5 walks the match's doclist from the highest rowid (the newest story) down,
   joined to the story for the filters, and stops after WINDOW + 1 stories (with a date range,
   the walk is bounded to the ids of the range's stories, see `_rowid_bounds`);
2. the ranking: for each word, which of the window's stories have it in the headline, the
   summary, or an author or topic name: one FTS5 query per word and column group, limited to the
   window's rowid range (FTS5 seeks to it and stops at its end). A story scores the column
   weights of every word it has there, and the window is sorted by score, then newest first.
   FTS5's own bm25() is not used: it counts every row holding each word to weigh the words, a
   walk of the whole doclist (55 ms for a word in all of 1,000,000 stories), however few rows it
   then scores;
3. highlight() and snippet() for the page's stories only, with the filters checked again.
"""

from __future__ import annotations

from django.db import connection

from newsdesk.search.backends import WINDOW, Filters, RawHit, Results, story_conditions
from newsdesk.search.text import MARK_END, MARK_START

# What a word found in these columns adds to a story's score. Every story in the window has
# every word somewhere (body included), so the body adds nothing that tells them apart.
WEIGHTS = (("headline", 10), ("summary", 4), ("authors topics", 3))
SNIPPET_TOKENS = 24
# Words of a query that count for the score (all of them must match). Each costs three queries
# that AND every word over the window: 6 words cost ~20 ms at 1,000,000 stories, 12 cost 110.
SCORED_WORDS = 6
BOUND_SCAN = 20_000  # stories of a date range read from the feed index to bound the walk


def quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def match_expression(words: list[str]) -> str:
    return " ".join(quoted(word) for word in words)


def _rowid_bounds(cursor, filters: Filters) -> tuple[str, list]:
    """Rowid bounds for the walk when a reader's search has a date range, so that it starts at
    the range instead of walking every newer match (a common word before a date five years back
    walked 500,000 matches: 1.2 s at 1,000,000 stories). The bounds come from the feed index:
    the lowest and highest id among the range's stories, exact when it holds at most
    BOUND_SCAN stories. A wider range gets only the highest id among its BOUND_SCAN newest
    stories (when it has an end), which leaves out a story with a higher id yet an earlier time
    than all of them (a backdated import); no lower bound is needed, as the walk then finds
    1,001 matches long before it leaves the range."""
    if not (filters.published_only and (filters.date_from or filters.date_to)):
        return "", []
    where, params = story_conditions(Filters(date_from=filters.date_from, date_to=filters.date_to))
    cursor.execute(
        "SELECT min(id), max(id), count(*) FROM (SELECT s.id FROM stories_story s "  # noqa: S608
        f"WHERE {' AND '.join(where)} ORDER BY s.published_at DESC LIMIT %s)",
        [*params, BOUND_SCAN + 1],
    )
    lowest, highest, count = cursor.fetchone()
    if not count:
        return " AND search_fts.rowid < 0", []  # no story in the range
    if count <= BOUND_SCAN:
        return " AND search_fts.rowid BETWEEN %s AND %s", [lowest, highest]
    if filters.date_to:
        return " AND search_fts.rowid <= %s", [highest]
    return "", []


def run(words: list[str], filters: Filters, *, limit: int, offset: int) -> Results:
    where, params = story_conditions(filters, story_id="search_fts.rowid")
    conditions = "".join(" AND " + c for c in where)
    match = match_expression(words)
    # CROSS JOIN keeps the FTS table the outer loop, so the walk is the doclist in rowid order.
    joined = "search_fts CROSS JOIN stories_story s ON s.id = search_fts.rowid"
    with connection.cursor() as cursor:
        bounds, bound_params = _rowid_bounds(cursor, filters)
        cursor.execute(
            f"SELECT s.id, s.published_at FROM {joined} WHERE search_fts MATCH %s"  # noqa: S608
            f"{bounds}{conditions} ORDER BY search_fts.rowid DESC LIMIT %s",
            [match, *bound_params, *params, WINDOW + 1],
        )
        window = cursor.fetchall()
        results = Results([], min(len(window), WINDOW), len(window) <= WINDOW)
        window = window[:WINDOW]
        if offset >= len(window):
            return results
        lowest, highest = window[-1][0], window[0][0]
        score = dict.fromkeys((row[0] for row in window), 0)
        # The topic and author tests are cheap (no story row) and keep Python from receiving
        # the rows of a wide window that the filters left out.
        links, link_params = story_conditions(
            Filters(published_only=False, topic_id=filters.topic_id, author_id=filters.author_id),
            story_id="search_fts.rowid",
        )
        for word in dict.fromkeys(words[:SCORED_WORDS]):
            for columns, weight in WEIGHTS:
                cursor.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "  # noqa: S608
                    "AND rowid BETWEEN %s AND %s" + "".join(" AND " + c for c in links),
                    [f"{match} {{{columns}}} : {quoted(word)}", lowest, highest, *link_params],
                )
                for (story_id,) in cursor.fetchall():
                    if story_id in score:
                        score[story_id] += weight
        newest = {story_id: str(published_at or "") for story_id, published_at in window}
        ranked = sorted(score, key=lambda i: (score[i], newest[i], i), reverse=True)
        ids = ranked[offset : offset + limit]
        page_ids = ", ".join(["%s"] * len(ids))
        cursor.execute(
            "SELECT s.id, highlight(search_fts, 0, %s, %s), "  # noqa: S608
            f"snippet(search_fts, 2, %s, %s, '…', {SNIPPET_TOKENS}) "
            f"FROM {joined} WHERE search_fts MATCH %s AND search_fts.rowid IN ({page_ids})"
            f"{conditions}",
            [MARK_START, MARK_END, MARK_START, MARK_END, match, *ids, *params],
        )
        marked = {row[0]: (row[1] or "", row[2] or "") for row in cursor.fetchall()}
    hits = [RawHit(i, *marked[i]) for i in ids if i in marked]
    return Results(hits, results.total, results.exact)
