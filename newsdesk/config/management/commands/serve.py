"""`newsdesk serve`: the ASGI app under granian, plus the scheduled-publishing loop.

A worker process that dies is replaced (see docs/trust.md, "Dead workers"); the scheduler runs in
the main process, which outlives its workers.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from newsdesk.config import env, scheduler

# How often a thread running Python must hand the GIL to another that waits (CPython: 5 ms).
# A publish does dozens of short database calls, and after each one it waits for the GIL; while
# other threads of the worker render long bodies, each wait lasted up to the whole interval, so
# an editor's publish took ~0.5 s instead of ~50 ms (bench/stall.py, docs/benchmarks.md). Workers
# are forked from this process and inherit the setting.
GIL_SWITCH_SECONDS = 0.0005


def follow_address(host: str, port: int) -> None:
    """`--host`/`--port` win over NEWSDESK_HOST/NEWSDESK_PORT, for this process and the workers
    it starts (forked or spawned); without NEWSDESK_SITE_URL, links then name this address."""
    env.export("NEWSDESK_HOST", host)
    env.export("NEWSDESK_PORT", str(port))
    settings.SERVE_HOST, settings.SERVE_PORT = host, port
    if not env.get("NEWSDESK_SITE_URL"):
        settings.SITE_URL = env.listening_url(host, port)


class Command(BaseCommand):
    help = "Serve Newsdesk with granian (ASGI) and publish scheduled stories on time."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.SERVE_HOST)
        parser.add_argument("--port", type=int, default=settings.SERVE_PORT)
        parser.add_argument("--workers", type=int, default=settings.SERVE_WORKERS)
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="leave scheduled publishing to another server",
        )

    def handle(self, *args, host: str, port: int, workers: int, no_scheduler: bool, **options):
        from granian import Granian
        from granian.constants import Interfaces

        if (host, port) != (settings.SERVE_HOST, settings.SERVE_PORT):
            follow_address(host, port)
        # Hashed static names come from the manifest; serving without one would fail every page.
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_scheduler:
            scheduler.start(settings.SCHEDULER_INTERVAL)
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        self.stdout.write(f"Newsdesk serving on http://{host}:{port}/ ({workers} worker(s))")
        # Long-lived live streams count against granian's backpressure; keep it high so they
        # never starve ordinary page requests.
        Granian(
            "newsdesk.config.asgi:application",
            address=host,
            port=port,
            interface=Interfaces.ASGINL,
            workers=workers,
            backlog=16384,
            backpressure=16384,
            log_access=False,
            # A worker that dies (killed, out of memory, a crash in a C library) is replaced at
            # once instead of granian shutting the whole server down. granian still stops when
            # the same worker dies again within 5.5 s of being replaced (a crash loop: a worker
            # that cannot start), so a broken deploy fails loudly instead of spinning.
            respawn_failed_workers=True,
        ).serve()
