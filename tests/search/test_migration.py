"""An existing database, indexed before word forms, is moved to them by migration 0002."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from newsdesk.search.queries import search_stories

initial = importlib.import_module("newsdesk.search.migrations.0001_initial")
word_forms = importlib.import_module("newsdesk.search.migrations.0002_word_forms")


def _index_as_before_word_forms() -> None:
    """Put back the index of migration 0001: the text itself, not its word forms."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in word_forms.TRIGGERS:
                cursor.execute(f"DROP TRIGGER {name}")
            for sql in initial.SQLITE_FORWARD[1:]:  # the triggers of 0001
                cursor.execute(sql)
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        else:
            # The test's own transaction holds the deferred checks of the story just written; a
            # migration runs in a transaction of its own.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("DROP INDEX search_document_gin")
            cursor.execute("ALTER TABLE search_searchdocument DROP COLUMN document")
            for sql in initial.POSTGRES_FORWARD:
                cursor.execute(sql)


@pytest.mark.django_db
def test_migration_moves_an_old_index_to_word_forms(publish):
    """Before the migration 'бібліотека' misses 'бібліотеці'; after it, it finds it, and writes
    after it keep the index in step."""
    story = publish("У бібліотеці відкрили клуб", body="Клуб збирається щосереди.")
    _index_as_before_word_forms()
    assert search_stories("бібліотека").hits == []
    word_forms.forward(None, SimpleNamespace(connection=connection))
    assert [hit.story.pk for hit in search_stories("бібліотека").hits] == [story.pk]
    later = publish("Sandbags for the library", body="Volunteers filled sandbags.")
    assert [hit.story.pk for hit in search_stories("sandbag library").hits] == [later.pk]
