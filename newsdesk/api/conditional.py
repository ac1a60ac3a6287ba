"""ETags for API reads and If-Match for API edits."""

from __future__ import annotations

import re

from django.http import HttpRequest

from newsdesk.api.errors import ApiError

_VERSION = re.compile(r'^(?:W/)?"(?:\d+-)?(\d+)"$')


def story_etag(story) -> str:
    return f'"{story.pk}-{story.version}"'


def if_match_version(request: HttpRequest) -> int | None:
    """The version named by If-Match ('"<id>-<version>"' as we send it, or '"<version>"')."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    match = _VERSION.match(header)
    if match is None:
        raise ApiError(
            400,
            "bad_if_match",
            'If-Match must be the ETag we sent ("<id>-<version>") or "<version>".',
        )
    return int(match.group(1))
