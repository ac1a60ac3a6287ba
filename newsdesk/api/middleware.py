"""The API's edge: every 4xx as our JSON error shape, and conditional GET on reads.

Errors raised inside Ninja are shaped by `api.py`'s handlers; this catches what never reaches
Ninja (an unknown path under /api/, a method Ninja's router refuses, Django's own 400/403/413).
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from newsdesk.api.errors import for_status

PREFIX = "/api/"
_NOT_JSON_BODIES = ("/api/v1/docs",)


class ApiEdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(PREFIX):
            return response
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and not content_type.startswith("application/json"):
            replacement = for_status(response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    replacement[header] = response[header]
            response = replacement
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response = self._conditional(request, response)
        return response

    def _conditional(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        patch_vary_headers(response, ["Authorization"])
        if request.path.startswith(_NOT_JSON_BODIES) or response.streaming:
            return response
        if "Authorization" in request.headers:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=0, s_maxage=5)
            response["Surrogate-Key"] = "feed"  # a takedown's purge drops it (cache.purge)
        if not response.has_header("ETag"):
            digest = hashlib.sha256(response.content).hexdigest()[:32]
            response["ETag"] = f'"{digest}"'
        return get_conditional_response(request, etag=response["ETag"], response=response)
