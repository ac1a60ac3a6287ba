"""ETags for API reads and If-Match for API edits.

We send a story's ETag as '"<id>-<version>"'. An If-Match names the version the client edited,
and the story it read: an ETag of another story is not a precondition this story can meet (412),
whatever its version. Anything that is not one of our ETags (or '*') is a 400 that says what we
expect; digits are bounded, so no value, however long, costs more than reading it.
"""

from __future__ import annotations

import re

from django.http import HttpRequest

from newsdesk.api.errors import ApiError

# Ids and versions are 64-bit at most: 19 digits is every value either can have.
_ETAG = re.compile(r'(?:W/)?"(?:(\d{1,19})-)?(\d{1,19})"')
_MAX_HEADER = 200


def story_etag(story) -> str:
    return f'"{story.pk}-{story.version}"'


def if_match_version(request: HttpRequest, story_id: int) -> int | None:
    """The version named by If-Match for story `story_id` ('"<id>-<version>"' as we send it, or
    '"<version>"'); None without the header or with '*'."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    match = _ETAG.fullmatch(header) if len(header) <= _MAX_HEADER else None
    if match is None:
        raise ApiError(
            400,
            "bad_if_match",
            "If-Match must be one ETag as we sent it, like "
            f'"{story_id}-3" (the story\'s id and version), or "*".',
        )
    etag_id, version = match.groups()
    if etag_id is not None and int(etag_id) != story_id:
        raise ApiError(
            412,
            "precondition_failed",
            f"If-Match names story {etag_id}'s ETag, not this story's ({story_id}). Fetch this "
            "story and send its ETag.",
        )
    return int(version)
