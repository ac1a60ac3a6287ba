"""The edition of a request, from its address: `/uk/…` is read in Ukrainian, `/…` in the
language of the edition at /.

No cookie, header or database row takes part: the same address always gives the same page in
the same language, so the page cache, nginx and CDNs keep one copy per address, and finding the
edition costs nothing (`core.editions.of_path`). Pages then ask `core.editions.current()`.
"""

from __future__ import annotations

from django.utils import translation

from newsdesk.core import editions


class EditionMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        edition = editions.of_path(request.path_info)
        request.edition = edition
        # Only for this request: a thread that serves it then runs other work (a test, a hook)
        # in the language it was in before.
        with translation.override(edition.language):
            return self.get_response(request)
