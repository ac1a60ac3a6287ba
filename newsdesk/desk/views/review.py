"""The editors' review queue, and the small count that the desk's navigation keeps fresh."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from newsdesk.desk.access import desk_view
from newsdesk.stories import desk_queries


@desk_view
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """Stories submitted for review, longest waiting first (editors only)."""
    stories = desk_queries.review_queue(request.user)
    return render(request, "desk/review_queue.html", {"stories": stories})


@desk_view
@require_GET
def review_count(request: HttpRequest) -> HttpResponse:
    """`{"count": N}` for editors, polled by desk.js to update the navigation's counter
    without a reload; `{"count": null}` for people who do not review."""
    return JsonResponse({"count": desk_queries.review_count(request.user)})
