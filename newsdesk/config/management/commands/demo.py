"""`newsdesk demo`: load the invented Lindenhav newsroom, once.

Safe to run again: when the demo is already loaded it says so and changes nothing.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from newsdesk.core.errors import NewsdeskError
from newsdesk.demo.build import DEFAULT_SEED, DEFAULT_STORIES, build_demo_newsroom


class Command(BaseCommand):
    help = (
        "Load a demo newsroom (authors, topics and a few days of invented news) written through "
        "the same actions as the desk. Runs once: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stories",
            type=int,
            default=DEFAULT_STORIES,
            help=f"how many stories to write, drafts included (default {DEFAULT_STORIES})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="the same seed writes the same newsroom (default %(default)s)",
        )

    def handle(self, *args, stories: int, seed: int, **options):
        if stories < 10:
            raise CommandError("Give --stories 10 or more, so every kind of story can be shown.")
        started = time.monotonic()
        try:
            result = build_demo_newsroom(stories=stories, seed=seed)
        except NewsdeskError as error:
            raise CommandError(
                f"The demo could not be loaded: {error.message} Nothing was written."
            ) from None
        if not result.created:
            self.stdout.write("Demo newsroom already loaded; nothing changed.")
            return
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom loaded: {result.story_count} stories "
                f"({len(result.draft_slugs)} drafts, {len(result.scheduled_slugs)} scheduled)"
                + (
                    f", {len(result.live_slugs)} live coverages with {result.entry_count} entries"
                    if result.live_slugs
                    else ""
                )
                + f" in {seconds:.1f} s. Readers: /  Desk: /desk/"
            )
        )
