"""`newsdesk reindex`: rebuild the search index from the stories table."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from newsdesk.search.index import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from every story. Story writes keep it in step on "
        "their own; run this after a bulk import, a restore, or renaming authors or topics."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = rebuild()
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} stories in {elapsed:.1f} s."))
