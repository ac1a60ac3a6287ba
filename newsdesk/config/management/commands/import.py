"""`newsdesk import FILE`: restore an archive made by `newsdesk export` into an empty site."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsdesk.backup.archive import BackupError, import_newsroom


class Command(BaseCommand):
    help = (
        "Restore a newsroom archive made by `newsdesk export` into an empty site (after "
        "`newsdesk migrate`). A site that already has content is refused, never merged."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the archive to read")

    def handle(self, *args, file: Path, **options):
        try:
            summary = import_newsroom(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        total = sum(summary.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {total} rows and {summary.files} image files from {file}; the "
                "search index was rebuilt."
            )
        )
