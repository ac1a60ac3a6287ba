"""Old addresses answer 301 (`Redirect`). Looked up only where a page could not be found, and for
WordPress's `/?p=123` (the front page with a post id): no other request reads the table."""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect

from newsdesk.imports.redirects import redirect_for

_QUERY_KEYS = ("p", "page_id")


class OldAddressMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        if request.path == "/" and request.GET:
            for key in _QUERY_KEYS:
                value = request.GET.get(key, "")
                if value.isdigit():
                    target = redirect_for(f"/?{key}={value}")
                    if target:
                        return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404:
            target = redirect_for(request.path)
            if target and target != request.path:
                return HttpResponsePermanentRedirect(target)
        return response
