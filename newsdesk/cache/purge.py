"""Tell the caches in front of us (nginx, a CDN) to drop what a takedown took away.

Why: our own page cache stops giving a story the moment its unpublish commits (`versions.purge`),
but nginx or a CDN may hold a copy of every reader page (each names the `feed` Surrogate-Key) and
of the story's images. After a feed event that takes something away or changes what readers were
told (`versions.PURGE_KINDS`: unpublish, correction, edit) commits, `on_feed_events_committed`
sends `PURGE <url>` with a `Surrogate-Key` header to every URL in `NEWSDESK_PURGE_URL` (space or
comma separated; empty: nothing is sent). It names `feed`, `story-<id>` and `image-<id>` of each
image the story shows (an unpublish) or no longer shows (an edit that swapped or cut a photo; an
edit that keeps its photos leaves every cached image alone). The shipped nginx answers it at
`/_newsdesk/purge` (deploy/nginx.conf); Fastly-style CDNs take the same header.

It runs in a background thread after the commit: a purge that fails is retried a few times
(`BACKOFF`) and logged, never raised into the write. It is sent once more `REPEAT_AFTER` later:
a cache that fetched a page from a process that had not yet seen the takedown (each process sees
another's write within `versions.SYNC_SECONDS`), or whose fetch began before the commit, drops
that copy too.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import urllib.error
import urllib.request

from django.conf import settings

from newsdesk.cache import versions

logger = logging.getLogger("newsdesk.cache")

BACKOFF = (0.1, 0.3, 1.0)  # seconds before each retry; then the purge is given up (logged)
REPEAT_AFTER = versions.SYNC_SECONDS + 0.2
TIMEOUT_SECONDS = 2


def targets() -> list[str]:
    """The http(s) purge URLs from `NEWSDESK_PURGE_URL` (anything else is logged, not used)."""
    urls = []
    for url in re.split(r"[\s,]+", settings.PURGE_URL or ""):
        if url.startswith(("http://", "https://")):
            urls.append(url)
        elif url:
            logger.error("NEWSDESK_PURGE_URL: %r is not an http(s) URL; not purging there", url)
    return urls


def keys_for(event_ids: list[int]) -> list[str]:
    """The Surrogate-Keys to purge for these committed feed events; empty when none of them is
    a purge event (a publish or a pin only adds: caches pick it up within their s-maxage)."""
    from newsdesk.media.queries import image_ids_dropped_by_last_save, image_ids_of_story
    from newsdesk.stories.models import FeedEvent

    events = list(
        FeedEvent.objects.filter(id__in=event_ids, kind__in=versions.PURGE_KINDS)
        .select_related("story")
        .order_by("id")
    )
    if not events:
        return []
    keys = ["feed"]
    for event in events:
        keys.append(f"story-{event.story_id}")
        if event.kind == "unpublished":
            keys.extend(f"image-{pk}" for pk in image_ids_of_story(event.story))
        elif event.kind == "updated":
            keys.extend(f"image-{pk}" for pk in image_ids_dropped_by_last_save(event.story))
    return list(dict.fromkeys(keys))


def send(url: str, keys: list[str]) -> bool:
    """One PURGE request; True when the cache took it (2xx, or 404: it held nothing)."""
    # http(s) only: `targets` keeps nothing else.
    request = urllib.request.Request(  # noqa: S310
        url, method="PURGE", headers={"Surrogate-Key": " ".join(keys)}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return 200 <= response.status < 300
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return True
        if error.code < 500:  # refused (e.g. 403: this address may not purge): retrying won't help
            logger.error("purge refused by %s: %s %s", url, error.code, error.reason)
            return True
        return False
    except (OSError, ValueError):
        return False


def deliver(url: str, keys: list[str]) -> bool:
    """`send` with the bounded retries; logs a purge given up."""
    for pause in (*BACKOFF, None):
        if send(url, keys):
            return True
        if pause is None:
            break
        time.sleep(pause)
    logger.error("purge of %s at %s failed after %d tries", keys, url, len(BACKOFF) + 1)
    return False


def _purge(urls: list[str], keys: list[str]) -> None:
    started = time.monotonic()
    for url in urls:
        deliver(url, keys)
    time.sleep(max(0.0, started + REPEAT_AFTER - time.monotonic()))
    for url in urls:
        deliver(url, keys)


def on_feed_events_committed(sender, event_ids: list[int], **kwargs) -> None:
    """Receiver of `stories.signals.feed_events_committed` (after commit): start the purge."""
    urls = targets()
    if not urls:
        return
    try:
        keys = keys_for(event_ids)
    except Exception:  # the database failed us: purge every page rather than nothing
        logger.exception("could not tell what to purge; purging every reader page")
        keys = ["feed"]
    if keys:
        threading.Thread(
            target=_purge, args=(urls, keys), name="newsdesk-purge", daemon=True
        ).start()
