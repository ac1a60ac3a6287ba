"""The index holds word forms ("sandbags" → "sandbag", "бібліотеці" → "бібліотека").

SQLite: the FTS5 triggers index `newsdesk_terms(column)` (a Python function every connection
gets, see `search.apps`) instead of the text, and the FTS5 index is emptied and refilled from the
stored rows in one statement (FTS5's own 'rebuild' would index the text itself).

PostgreSQL: `document` stops being a column generated from the text (it cannot call Python) and
becomes a plain tsvector that `search.index.write_vectors` fills; existing rows are filled here in
batches of 2,000, then the GIN index is built once.

Both take minutes at a million stories (about as long as `newsdesk reindex`). The stored text
of old rows still holds the addresses of related-story cards; snippets leave them out, and
`newsdesk reindex` takes them out of the index too.
"""

from django.db import migrations

TRIGGERS = ("search_fts_ai", "search_fts_ad", "search_fts_au")
BATCH = 2000


def _sqlite(cursor) -> None:
    from newsdesk.search.backends.sqlite import DELETE_TRIGGER, INSERT_TRIGGER, UPDATE_TRIGGER

    for name in TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
    cursor.execute(
        "INSERT INTO search_fts(rowid, headline, summary, body_text, authors, topics) "
        "SELECT story_id, newsdesk_terms(headline), newsdesk_terms(summary), "
        "newsdesk_terms(body_text), newsdesk_terms(authors), newsdesk_terms(topics) "
        "FROM search_searchdocument ORDER BY story_id"
    )
    for sql in (INSERT_TRIGGER, DELETE_TRIGGER, UPDATE_TRIGGER):
        cursor.execute(sql)


def _postgres(cursor, connection) -> None:
    from newsdesk.search.index import write_vectors

    cursor.execute("DROP INDEX IF EXISTS search_document_gin")
    cursor.execute("ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS document")
    cursor.execute("ALTER TABLE search_searchdocument ADD COLUMN document tsvector")
    last = 0
    while True:
        cursor.execute(
            "SELECT story_id FROM search_searchdocument WHERE story_id > %s "
            "ORDER BY story_id LIMIT %s",
            [last, BATCH],
        )
        ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            break
        write_vectors(ids, using=connection)
        last = ids[-1]
    cursor.execute("CREATE INDEX search_document_gin ON search_searchdocument USING gin (document)")
    # The new column has no statistics until analysed, and the search backend picks its plan
    # from the planner's estimates: without this, 'harbour' took 590 ms instead of 20 at
    # 100,000 stories until autovacuum came by.
    cursor.execute("ANALYZE search_searchdocument")


def forward(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            _sqlite(cursor)
        elif connection.vendor == "postgresql":
            _postgres(cursor, connection)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        # Backward would need the old text-indexing triggers and generated column: reinstall
        # from 0001 instead (migrate search zero, then forward).
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
