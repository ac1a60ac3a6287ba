"""What every desk page's frame draws: the counts in the navigation (the review queue, the
translations that need an update)."""

from __future__ import annotations

from django.http import HttpRequest

from newsdesk.stories import desk_queries


def review(request: HttpRequest) -> dict:
    """`review_count`: stories waiting for an editor, and `needs_update_count`: translations
    older than their original's last update; None for people who do not review. Counted only
    when a template asks (reader pages never do)."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "review_count": lambda: desk_queries.review_count(user),
        "needs_update_count": lambda: desk_queries.needs_update_count(user),
    }
