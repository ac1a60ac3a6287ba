"""What every desk page's frame draws: the review queue's count in the navigation."""

from __future__ import annotations

from django.http import HttpRequest

from newsdesk.stories import desk_queries


def review(request: HttpRequest) -> dict:
    """`review_count`: stories waiting for an editor, or None for people who do not review.
    Counted only when a template asks (reader pages never do)."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"review_count": lambda: desk_queries.review_count(user)}
