"""Fetching the feeds that are due (`newsdesk wire poll`, and the loop in `newsdesk serve`)."""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request

from django.db.models import Q
from django.utils import timezone

from newsdesk.wires import actions
from newsdesk.wires.models import SourceKind, WireSource
from newsdesk.wires.parsers import MAX_FEED_BYTES, WireFormatError, parse_feed_bytes

TIMEOUT = 15


class FetchError(Exception):
    pass


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a feed's redirect only to another http(s) address (urllib would follow ftp://)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.startswith(("http://", "https://")):
            raise FetchError(f"The feed redirects to {newurl[:200]!r}, which is not http(s).")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


def fetch(url: str) -> bytes:
    """The feed's bytes; FetchError with a readable reason for anything else."""
    if not url.startswith(("http://", "https://")):
        raise FetchError(f"Only http:// and https:// feeds are polled, not {url!r}.")
    request = urllib.request.Request(url, headers={"User-Agent": "Newsdesk wire poller"})  # noqa: S310
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:
            raw = response.read(MAX_FEED_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(f"The feed answered HTTP {error.code} ({error.reason}).") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"The feed could not be fetched: {reason}.") from None
    if len(raw) > MAX_FEED_BYTES:
        raise FetchError(f"The feed is larger than {MAX_FEED_BYTES:,} bytes; it was not read.")
    return raw


def poll_source(source: WireSource) -> actions.IngestResult | None:
    """Poll one feed. Errors go to the source's status; they never escape."""
    try:
        items = parse_feed_bytes(fetch(source.url))
    except (FetchError, WireFormatError) as error:
        actions.do_record_source_error(source, error)
        return None
    result = actions.do_store_items(source, items)
    actions.do_mark_polled(source)
    return result


def due_sources(now: dt.datetime | None = None) -> list[WireSource]:
    now = now or timezone.now()
    sources = WireSource.objects.filter(kind=SourceKind.RSS).filter(
        Q(last_polled_at__isnull=True) | Q(last_polled_at__lte=now - dt.timedelta(minutes=1))
    )
    return [
        s
        for s in sources
        if s.last_polled_at is None
        or s.last_polled_at <= now - dt.timedelta(minutes=s.poll_minutes)
    ]


def poll_due(*, everything: bool = False) -> list[tuple[WireSource, actions.IngestResult | None]]:
    sources = list(WireSource.objects.filter(kind=SourceKind.RSS)) if everything else due_sources()
    return [(source, poll_source(source)) for source in sources]
