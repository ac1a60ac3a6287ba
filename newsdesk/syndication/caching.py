"""Conditional GET and proxy caching for everything this package serves.

Feeds and sitemaps are polled: most requests should end in a 304 or at a proxy. Their ETag and
Last-Modified come from the newest feed event (every publish, update, correction and unpublish
records one), so any change a reader could see changes both; the ETag also names the URL and the
settings that change the output, so two feeds never share one. They carry the `feed`
Surrogate-Key, so a takedown's purge (`cache.purge`) drops them from caches in front of us.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from newsdesk.stories import queries

# Bump when the output of a view changes shape, so cached copies are not reused.
OUTPUT_VERSION = "1"


# How long after its second ended a change's date is given out (see `_last_modified`).
SETTLE = dt.timedelta(seconds=1)


def _last_modified(request: HttpRequest, *args, **kwargs) -> dt.datetime | None:
    """The end of the second of the last change, once that second is well over; None before.

    Why: HTTP dates are whole seconds. Dated by the second it happened in, a change (an unpublish)
    in the same second as the one before would leave the date as it was, and a reader asking
    If-Modified-Since would get a 304 for a feed that still lists the story. Dated by the end of
    its second and only given out once no write of that second can still be committing, every
    date a reader holds is older than any later change's."""
    changed = queries.latest_change()
    if changed is None:
        return None
    closed = changed.replace(microsecond=0) + dt.timedelta(seconds=1)
    if closed + SETTLE > timezone.now():
        return None
    return closed


def _etag(request: HttpRequest, *args, **kwargs) -> str:
    changed = queries.latest_change()
    parts = [
        OUTPUT_VERSION,
        request.path,
        request.GET.get("p", ""),
        changed.isoformat() if changed else "never",
        settings.SITE_URL,
        settings.SITE_NAME,
        settings.WEBSUB_HUB,
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def public_cache(response: HttpResponse) -> HttpResponse:
    """The same freshness as anonymous reader pages: a proxy may serve it for a few seconds."""
    patch_cache_control(response, public=True, max_age=0, s_maxage=5, stale_while_revalidate=30)
    return response


def cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET/HEAD only; ETag and Last-Modified from the last change, 304 when the client has it;
    public caching."""

    @condition(etag_func=_etag, last_modified_func=_last_modified)
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        # Django's Feed and sitemap views date the response by their newest item; an unpublished
        # story changes the feed without a newer item, so `condition` sets it from the last
        # change instead.
        if response.status_code == 200:
            del response.headers["Last-Modified"]
        return response

    def with_cache_headers(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = public_cache(wrapped(request, *args, **kwargs))
        if response.status_code in (200, 304):
            response["Surrogate-Key"] = "feed"
        return response

    return require_safe(wraps(view)(with_cache_headers))
