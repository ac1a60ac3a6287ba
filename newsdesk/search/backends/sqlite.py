"""SQLite FTS5: the newest matches of the words' forms, ranked by where the words are.

The index holds word forms (`search.terms`), written by the triggers below through the
`newsdesk_terms()` SQL function. Each query word becomes its forms as FTS5 strings ("form",
quotes doubled, so the query can hold no FTS5 syntax), ORed, plus a prefix query ("sandb" *) for
the last word; the words are ANDed, which is what readers expect from a search box. Headlines and
snippets are marked in Python (`search.snippets`) from the stored text.

Every statement is bounded by WINDOW, not by how common the words are:
1. the window: FTS5 walks the match's doclist from the highest rowid (the newest story) down,
   joined to the story for the filters, and stops after WINDOW + 1 stories (with a date range,
   the walk is bounded to the ids of the range's stories, see `_rowid_bounds`);
2. the ranking: for each word, which of the window's stories have it in the headline, the
   summary, or an author or topic name: one FTS5 query per word and column group, limited to the
   window's rowid range (FTS5 seeks to it and stops at its end); the window's stories are the
   ones that count. A story scores the column
   weights of every word it has there, and the window is sorted by score, then newest first.
   FTS5's own bm25() is not used: it counts every row holding each word to weigh the words, a
   walk of the whole doclist (55 ms for a word in all of 1,000,000 stories), however few rows it
   then scores;
3. the stored text of the page's stories only, with the filters checked again, for snippets.
"""

from __future__ import annotations

from django.db import connection

from newsdesk.search.backends import WINDOW, Filters, RawHit, Results, story_conditions
from newsdesk.search.snippets import Matcher, highlight, snippet
from newsdesk.search.terms import Term, whole_words

_COLUMNS = "headline, summary, body_text, authors, topics"
_TERMS = ", ".join(f"newsdesk_terms({{row}}.{c})" for c in _COLUMNS.split(", "))
# The FTS5 triggers index each row's word forms (only our own constants are formatted in).
INSERT_TRIGGER = f"""CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
    INSERT INTO search_fts(rowid, {_COLUMNS}) VALUES (new.story_id, {_TERMS.format(row="new")});
END"""  # noqa: S608
DELETE_TRIGGER = f"""CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN
    INSERT INTO search_fts(search_fts, rowid, {_COLUMNS})
    VALUES ('delete', old.story_id, {_TERMS.format(row="old")});
END"""  # noqa: S608
UPDATE_TRIGGER = f"""CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN
    INSERT INTO search_fts(search_fts, rowid, {_COLUMNS})
    VALUES ('delete', old.story_id, {_TERMS.format(row="old")});
    INSERT INTO search_fts(rowid, {_COLUMNS}) VALUES (new.story_id, {_TERMS.format(row="new")});
END"""  # noqa: S608

# What a word found in these columns adds to a story's score. Every story in the window has
# every word somewhere (body included), so the body adds nothing that tells them apart.
WEIGHTS = (("headline", 10), ("summary", 4), ("authors topics", 3))
# Words of a query that count for the score (all of them must match). Each costs three queries
# that AND every word over the window: 6 words cost ~20 ms at 1,000,000 stories, 12 cost 110.
SCORED_WORDS = 6
BOUND_SCAN = 20_000  # stories of a date range read from the feed index to bound the walk


def quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def term_expression(term: Term) -> str:
    """One query word: any of its forms, or (the last word) any word it begins."""
    alternatives = [quoted(form) for form in term.forms]
    if term.prefix:
        alternatives.append(quoted(term.prefix) + " *")
    return "(" + " OR ".join(alternatives) + ")"


def match_expression(terms: list[Term]) -> str:
    return " AND ".join(term_expression(term) for term in terms)


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


def run(terms: list[Term], filters: Filters, *, limit: int, offset: int) -> Results:
    where, params = story_conditions(filters, story_id="search_fts.rowid")
    conditions = "".join(" AND " + c for c in where)
    match = match_expression(terms)
    # CROSS JOIN keeps the FTS table the outer loop, so the walk is the doclist in rowid order.
    joined = "search_fts CROSS JOIN stories_story s ON s.id = search_fts.rowid"
    with connection.cursor() as cursor:
        bounds, bound_params = _rowid_bounds(cursor, filters)

        def walk(match: str) -> list[tuple]:
            cursor.execute(
                f"SELECT s.id, s.published_at FROM {joined} WHERE search_fts MATCH %s"  # noqa: S608
                f"{bounds}{conditions} ORDER BY search_fts.rowid DESC LIMIT %s",
                [match, *bound_params, *params, WINDOW + 1],
            )
            return cursor.fetchall()

        window = []
        if terms[-1].prefix:
            whole = whole_words(terms)
            window = walk(match_expression(whole))
            if len(window) > WINDOW:  # a whole common word: no prefix (see terms.whole_words)
                terms, match = whole, match_expression(whole)
        if not window or len(window) <= WINDOW:
            window = walk(match)
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
        # A prefix scores by the word's whole forms only, and is not repeated in the match that
        # keeps the rows to the window's: each prefix query reads the index lists of every word
        # it begins again (see terms.whole_words).
        within = "" if terms[-1].prefix else f"{match} AND "
        for term in whole_words(terms[:SCORED_WORDS]):
            for columns, weight in WEIGHTS:
                cursor.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "  # noqa: S608
                    "AND rowid BETWEEN %s AND %s" + "".join(" AND " + c for c in links),
                    [
                        f"{within}{{{columns}}} : {term_expression(term)}",
                        lowest,
                        highest,
                        *link_params,
                    ],
                )
                for (story_id,) in cursor.fetchall():
                    if story_id in score:
                        score[story_id] += weight
        newest = {story_id: str(published_at or "") for story_id, published_at in window}
        ranked = sorted(score, key=lambda i: (score[i], newest[i], i), reverse=True)
        ids = ranked[offset : offset + limit]
        page_ids = ", ".join(["%s"] * len(ids))
        checks, check_params = story_conditions(filters, story_id="d.story_id")
        cursor.execute(
            "SELECT d.story_id, d.headline, d.summary, d.body_text "  # noqa: S608
            "FROM search_searchdocument d JOIN stories_story s ON s.id = d.story_id "
            f"WHERE d.story_id IN ({page_ids})" + "".join(" AND " + c for c in checks),
            [*ids, *check_params],
        )
        texts = {row[0]: row[1:] for row in cursor.fetchall()}
    matches = Matcher(terms)
    hits = [
        RawHit(i, highlight(texts[i][0], matches), snippet([texts[i][2], texts[i][1]], matches))
        for i in ids
        if i in texts
    ]
    return Results(hits, results.total, results.exact)
