"""`newsdesk export FILE`: the whole newsroom, rows and image files, in one zip archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from newsdesk.backup.archive import export_newsroom


class Command(BaseCommand):
    help = (
        "Write every story, revision, correction, author, topic, image (with its files), feed "
        "event and account to one zip archive. Password hashes are left out unless "
        "--with-passwords. Restore with `newsdesk import FILE` into an empty site."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the archive to write, e.g. newsroom.zip")
        parser.add_argument(
            "--with-passwords",
            action="store_true",
            help="include password hashes, so people can log in with their passwords after a "
            "restore (keep such an archive as safe as the database)",
        )

    def handle(self, *args, file: Path, with_passwords: bool, **options):
        summary = export_newsroom(file, with_passwords=with_passwords)
        parts = ", ".join(f"{n} {label.split('.')[-1]}" for label, n in summary.counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Exported {parts} and {summary.files} image files to {file}.")
        )
