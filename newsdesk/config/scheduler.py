"""The loop in `newsdesk serve` that publishes scheduled stories when their time comes.

It runs in the serving process's parent, not in each worker, so N workers do not poll N times.
`do_publish_due_stories` claims each story with a conditional UPDATE, so two servers sharing one
database can both run it without publishing anything twice.
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections

logger = logging.getLogger("newsdesk.scheduler")


def run_once() -> int:
    from newsdesk.stories.actions import do_publish_due_stories

    close_old_connections()
    published = do_publish_due_stories()
    for story in published:
        logger.info("Published scheduled story %s (%s)", story.pk, story.slug)
    return len(published)


def poll_wires() -> None:
    """Poll the agency feeds that are due; a failing feed's error goes to its status. It runs in
    a thread of its own, so a slow agency never delays a scheduled story."""
    from newsdesk.wires.polling import poll_due

    close_old_connections()
    for source, result in poll_due():
        if result is not None:
            logger.info("Polled wire %s: %s", source.name, result)


def start(interval: float) -> threading.Event:
    """Start the loop in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                run_once()
            except Exception:
                logger.exception("Scheduled publishing failed; will retry in %ss", interval)

    def wires_loop() -> None:
        while not stop.wait(interval):
            try:
                poll_wires()
            except Exception:
                logger.exception("Polling the wires failed; will retry in %ss", interval)

    threading.Thread(target=loop, name="newsdesk-scheduler", daemon=True).start()
    threading.Thread(target=wires_loop, name="newsdesk-wires", daemon=True).start()
    return stop
