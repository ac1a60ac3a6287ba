"""`GET /live/poll`: the same feed events as JSON, for pages whose stream cannot connect.

Answers `ETag`/`If-None-Match` with 304 while nothing new happened, so a page polling every 30 s
behind a proxy that blocks streams costs almost nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from newsdesk.live import events as live_events
from newsdesk.live.stream import BadRequest, edition_of
from newsdesk.stories import feed_events
from newsdesk.stories.models import Kind, Status, Story, Topic
from newsdesk.stories.queries import possible_slug


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": status, "message": message}}, status=status)


@require_safe
def poll(request: HttpRequest) -> HttpResponse:
    topic = request.GET.get("topic", "").strip() or None
    coverage = request.GET.get("coverage", "").strip() or None
    try:
        edition = edition_of(request.GET.get("edition", "").strip())
    except BadRequest as error:
        return _error(error.status, error.message)
    after_text = request.GET.get("after", "").strip()
    if after_text and (not (after_text.isascii() and after_text.isdigit()) or len(after_text) > 18):
        return _error(400, "'after' must be a feed event id (a number).")
    if topic is not None and not (
        possible_slug(topic) and Topic.objects.filter(slug=topic).exists()
    ):
        return _error(404, f"There is no topic {topic!r}.")
    if coverage is not None and not (
        possible_slug(coverage)
        and Story.objects.filter(slug=coverage, kind=Kind.LIVE, status=Status.PUBLISHED).exists()
    ):
        return _error(404, f"There is no live coverage {coverage!r}.")
    last_id = feed_events.latest_event_id()
    etag = f'"live-{edition}-{topic or ""}-{coverage or ""}-{after_text}-{last_id}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        payloads: list[dict] = []
        reset = False
        if after_text:
            missed = live_events.replay(
                int(after_text), upto=last_id, limit=settings.LIVE_REPLAY_LIMIT
            )
            if missed is None:
                reset = True
            else:
                payloads = [e.payload for e in missed if e.is_for(topic, coverage, edition)]
        response = JsonResponse({"last_id": last_id, "reset": reset, "events": payloads})
    response["ETag"] = etag
    patch_cache_control(response, no_cache=True)
    return response
