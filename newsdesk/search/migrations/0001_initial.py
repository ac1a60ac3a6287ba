"""The search document table, plus the full-text structures of whichever database runs it.

SQLite: an external-content FTS5 table over `search_searchdocument`, kept in step by triggers on
that table (the pattern the FTS5 documentation gives), tokenized with unicode61 so case and
accents fold ("Київ" = "київ", "café" = "cafe").

PostgreSQL: a text search configuration `newsdesk_search` (the `simple` parser, with `unaccent`
when the extension can be created, else without), a generated `tsvector` column weighting the
headline highest, and a GIN index on it.
"""

import django.db.models.deletion
from django.db import migrations, models, transaction

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        headline, summary, body_text, authors, topics,
        content='search_searchdocument', content_rowid='story_id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, headline, summary, body_text, authors, topics)
        VALUES (new.story_id, new.headline, new.summary, new.body_text, new.authors, new.topics);
    END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, headline, summary, body_text, authors, topics)
        VALUES ('delete', old.story_id, old.headline, old.summary, old.body_text, old.authors,
                old.topics);
    END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, headline, summary, body_text, authors, topics)
        VALUES ('delete', old.story_id, old.headline, old.summary, old.body_text, old.authors,
                old.topics);
        INSERT INTO search_fts(rowid, headline, summary, body_text, authors, topics)
        VALUES (new.story_id, new.headline, new.summary, new.body_text, new.authors, new.topics);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_FORWARD = [
    """ALTER TABLE search_searchdocument ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('newsdesk_search'::regconfig, coalesce(headline, '')), 'A') ||
        setweight(to_tsvector('newsdesk_search'::regconfig, coalesce(summary, '')), 'B') ||
        setweight(to_tsvector('newsdesk_search'::regconfig, coalesce(authors, '')), 'C') ||
        setweight(to_tsvector('newsdesk_search'::regconfig, coalesce(topics, '')), 'C') ||
        setweight(to_tsvector('newsdesk_search'::regconfig, coalesce(body_text, '')), 'D')
    ) STORED""",
    "CREATE INDEX search_document_gin ON search_searchdocument USING gin (document)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS newsdesk_search",
]


def _postgres_configuration(cursor, connection) -> None:
    """`simple` plus unaccent when we may create the extension; `simple` alone otherwise."""
    cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS newsdesk_search")
    cursor.execute("CREATE TEXT SEARCH CONFIGURATION newsdesk_search (COPY = simple)")
    try:
        with transaction.atomic(using=connection.alias):
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute(
                "ALTER TEXT SEARCH CONFIGURATION newsdesk_search "
                "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
            )
    except Exception:  # noqa: BLE001  (no permission or no contrib package: case folding only)
        pass


def forward(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for sql in SQLITE_FORWARD:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            _postgres_configuration(cursor, connection)
            for sql in POSTGRES_FORWARD:
                cursor.execute(sql)


def backward(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("stories", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "story",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="stories.story",
                    ),
                ),
                ("headline", models.TextField()),
                ("summary", models.TextField(blank=True)),
                ("body_text", models.TextField(blank=True)),
                ("authors", models.TextField(blank=True, help_text="Author names, space separated")),
                ("topics", models.TextField(blank=True, help_text="Topic names, space separated")),
            ],
        ),
        migrations.RunPython(forward, backward),
    ]
