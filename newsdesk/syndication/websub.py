"""WebSub publisher: tell the hub which feeds changed, so subscribers get them in seconds.

After a publish, update, correction or unpublish has committed, `on_feed_events_committed`
works out the affected feeds (the site's, and those of the story's topics and authors) and
pings `settings.WEBSUB_HUB` from a daemon thread. The editor's request never waits for the hub
and never fails because of it: a hub that is down is retried with exponential back-off, and a
ping that still fails is logged and dropped (subscribers then see the change at their next poll).
"""

from __future__ import annotations

import logging
import threading
import urllib.error
import urllib.request
from urllib.parse import urlencode

from django.conf import settings

from newsdesk.stories import queries
from newsdesk.syndication.feeds import FORMATS, feed_url

logger = logging.getLogger(__name__)

# Seconds to wait before each retry of a failed ping: one try, then up to three retries.
RETRY_DELAYS: tuple[float, ...] = (1.0, 2.0, 4.0)
TIMEOUT = 10.0


def affected_feeds(event_ids: list[int]) -> list[str]:
    """Absolute URLs of every feed, in every format, that the given feed events changed: in the
    edition of each event's story, whatever language the thread sending the ping is in."""
    feeds = []
    for language, (topics, authors) in queries.feed_subjects_of_events(event_ids).items():
        subjects = [("site", None), *(("topic", t) for t in topics)]
        subjects += [("author", a) for a in authors]
        feeds += [
            feed_url(subject, fmt, slug, language) for subject, slug in subjects for fmt in FORMATS
        ]
    return feeds


def on_feed_events_committed(sender, event_ids: list[int], **kwargs) -> None:
    """Receiver of `stories.signals.feed_events_committed`; does nothing without a hub."""
    hub = settings.WEBSUB_HUB
    if not hub:
        return
    feeds = affected_feeds(event_ids)
    if not feeds:
        return
    threading.Thread(target=ping, args=(hub, feeds), name="websub-ping", daemon=True).start()


def ping(hub: str, feeds: list[str]) -> bool:
    """POST `hub.mode=publish` naming every feed; True once the hub accepted it (2xx)."""
    body = urlencode([("hub.mode", "publish")] + [("hub.url", url) for url in feeds]).encode()
    waits = [0.0, *RETRY_DELAYS]
    for attempt, wait in enumerate(waits, start=1):
        if wait:
            threading.Event().wait(wait)
        request = urllib.request.Request(  # noqa: S310  (the hub is the operator's own setting)
            hub,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                response.read()
            return True
        except urllib.error.HTTPError as error:
            problem = f"the hub answered {error.code} {error.reason}"
        except (urllib.error.URLError, OSError) as error:
            problem = f"the hub could not be reached ({error})"
        logger.warning("WebSub ping %d of %d to %s failed: %s", attempt, len(waits), hub, problem)
    logger.error(
        "WebSub ping to %s gave up after %d tries; subscribers will see the change at their "
        "next poll. Check NEWSDESK_WEBSUB_HUB.",
        hub,
        len(waits),
    )
    return False
