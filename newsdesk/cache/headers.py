"""How a view marks a response as a reader page that caches may keep."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers


def public(response: HttpResponse, request: HttpRequest, keys: Iterable[str]) -> HttpResponse:
    """Anonymous: `public` for `NEWSDESK_CACHE_SECONDS` at a proxy or CDN, which may serve it
    stale while it asks again, and a `Surrogate-Key` naming what the page shows (for purging by
    key and for our own page cache, which stores nothing without one). Logged in: never kept.

    `Vary: Cookie` either way, so a shared cache never hands one person's page to another.
    """
    patch_vary_headers(response, ["Cookie"])
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
        return response
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.CACHE_SECONDS,
        stale_while_revalidate=30,
    )
    response["Surrogate-Key"] = " ".join(keys)
    return response
