"""The search index's source rows: the searchable text of each story, one row per story.

The full-text structures live next to this table and are vendor-specific (see migrations):
an external-content FTS5 table kept in step by SQLite triggers on this table, or a generated
`tsvector` column with a GIN index on PostgreSQL. Only `newsdesk.search.index` writes here.
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    story = models.OneToOneField(
        "stories.Story", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    headline = models.TextField()
    summary = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    authors = models.TextField(blank=True, help_text="Author names, space separated")
    topics = models.TextField(blank=True, help_text="Topic names, space separated")

    def __str__(self) -> str:
        return self.headline[:60]
