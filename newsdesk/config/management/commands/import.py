"""`newsdesk import FILE`: restore an archive made by `newsdesk export` into an empty site.
`newsdesk import wordpress|ghost EXPORT --as USER [--media DIR]`: move an archive in."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from newsdesk.backup.archive import BackupError, import_newsroom
from newsdesk.core.errors import NewsdeskError

SOURCES = ("wordpress", "ghost")


class Command(BaseCommand):
    help = (
        "Restore a newsroom archive made by `newsdesk export` into an empty site (after "
        "`newsdesk migrate`); a site that already has content is refused, never merged. "
        "Or move a WordPress or Ghost archive in: `newsdesk import wordpress EXPORT.xml "
        "--as EDITOR [--media UPLOADS]`, `newsdesk import ghost EXPORT.json --as EDITOR "
        "[--media content/images]`; running it again updates what changed (docs/import.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "what",
            help="the archive to restore, or `wordpress` / `ghost` followed by the export file",
        )
        parser.add_argument("export", nargs="?", type=Path, help="the WordPress or Ghost export")
        parser.add_argument(
            "--as",
            dest="username",
            help="the editor or admin account the import writes as (its revisions name them)",
        )
        parser.add_argument(
            "--media",
            type=Path,
            help="the old site's uploads folder (WordPress: wp-content/uploads; Ghost: "
            "content/images); images not found there keep their old address and are listed",
        )
        parser.add_argument(
            "--batch-size", type=int, default=200, help="posts per transaction (default 200)"
        )

    def handle(self, *args, what: str, export: Path | None, **options):
        if what in SOURCES:
            return self._import_archive(what, export, options)
        if export is not None:
            raise CommandError(
                f"Unknown source {what!r}: use `newsdesk import wordpress FILE`, "
                "`newsdesk import ghost FILE`, or `newsdesk import BACKUP.zip` to restore."
            )
        file = Path(what)
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

    def _import_archive(self, source: str, export: Path | None, options) -> None:
        from newsdesk.imports.runner import run_import

        if export is None:
            raise CommandError(f"Name the export file: newsdesk import {source} FILE --as USER")
        if not export.is_file():
            raise CommandError(f"{export} is not a file.")
        username = options["username"]
        if not username:
            raise CommandError(
                "Name the editor or admin the import writes as: --as USERNAME (create one with "
                "`newsdesk createuser NAME --role editor`)."
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account {username!r}.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            summary = run_import(
                source,
                export,
                user=user,
                media=options["media"],
                batch_size=options["batch_size"],
                progress=self.stdout.write,
            )
        except NewsdeskError as error:
            raise CommandError(error.message) from None
        for line in summary.lines():
            self.stdout.write(line)
        if summary.stopped:
            raise CommandError("Stopped before the end (see above).")
