"""`newsdesk wire add|poll|list`: subscribe to agency wires and poll their feeds (docs/wires.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from newsdesk.core.errors import NewsdeskError
from newsdesk.wires import actions, polling
from newsdesk.wires.models import SourceKind, WireSource


class Command(BaseCommand):
    help = (
        "Agency wires. `newsdesk wire add NAME --feed URL` polls an RSS/Atom feed; "
        "`newsdesk wire add NAME --push ninjs|newsml` makes an endpoint agencies push to and "
        "prints its token once; `newsdesk wire poll [--all]` polls the feeds that are due; "
        "`newsdesk wire list` shows every source and its status."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["add", "poll", "list"])
        parser.add_argument("name", nargs="?", help="the source's name (for `add`)")
        parser.add_argument("--feed", help="the RSS or Atom feed's address")
        parser.add_argument("--push", choices=["ninjs", "newsml"], help="push format")
        parser.add_argument("--every", type=int, default=5, help="poll every N minutes")
        parser.add_argument("--all", action="store_true", help="poll every feed now")

    def handle(self, *args, what: str, name: str | None, **options):
        getattr(self, f"_{what}")(name, options)

    def _add(self, name, options) -> None:
        if not name or bool(options["feed"]) == bool(options["push"]):
            raise CommandError(
                "Usage: newsdesk wire add NAME --feed URL, or newsdesk wire add NAME "
                "--push ninjs|newsml"
            )
        kind = SourceKind.RSS if options["feed"] else options["push"]
        try:
            new = actions.do_add_source(
                None, name=name, kind=kind, url=options["feed"] or "",
                poll_minutes=options["every"],
            )  # fmt: skip
        except NewsdeskError as error:
            details = "; ".join(m for ms in error.fields.values() for m in ms)
            raise CommandError(details or error.message) from None
        source = new.source
        if new.token:
            self.stdout.write(
                f"Added push source {source.name!r}. Agencies POST items to "
                f"/api/v1/wires/{source.slug}/items with\n  Authorization: Bearer {new.token}\n"
                "This token is shown only now; keep it."
            )
        else:
            self.stdout.write(
                f"Added feed {source.name!r} ({source.url}), polled every "
                f"{source.poll_minutes} minutes."
            )

    def _poll(self, name, options) -> None:
        results = polling.poll_due(everything=options["all"])
        if not results:
            self.stdout.write("No feed is due.")
        for source, result in results:
            if result is None:
                source.refresh_from_db()
                self.stdout.write(f"{source.name}: error: {source.last_error}")
            else:
                self.stdout.write(f"{source.name}: {result}")

    def _list(self, name, options) -> None:
        sources = list(WireSource.objects.all())
        if not sources:
            self.stdout.write("No wire sources yet: add one with `newsdesk wire add`.")
        for source in sources:
            where = source.url or f"/api/v1/wires/{source.slug}/items"
            state = source.get_status_display() + (
                f": {source.last_error}" if source.last_error else ""
            )
            hidden = " (hidden)" if source.hidden else ""
            self.stdout.write(
                f"{source.name}{hidden}  {source.kind}  {where}  {source.items.count()} items  "
                f"{state}"
            )
