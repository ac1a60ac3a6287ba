"""Live coverage in the API: coverages, their entries and key events; posting entries, marking
key events, pinning and ending coverage with a token. A coverage itself is created, edited and
published through `/stories` (kind "live")."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Status as Answer

from newsdesk.api.auth import request_user
from newsdesk.api.read import router
from newsdesk.api.schemas import CoverageOut, EntriesOut, EntryIn, KeyEventIn, PinIn, StoryOut
from newsdesk.api.write import ERRORS, WRITE, _fresh, _slugs_to_ids
from newsdesk.core.errors import NotFound
from newsdesk.stories import actions, queries
from newsdesk.stories.models import Author, Kind, Story

READ = {"tags": ["live"]}


def _coverage(coverage_id: int) -> Story:
    story = queries.published().filter(pk=coverage_id, kind=Kind.LIVE).first()
    if story is None:
        raise NotFound(f"There is no published live coverage with id {coverage_id}.")
    return story


def _coverage_out(coverage: Story) -> dict:
    story = _fresh(coverage.pk)
    keys = queries.with_display_relations(
        queries.published().filter(pk__in=[k.pk for k in queries.key_events(coverage)])
    ).order_by("-published_at", "-id")
    story.key_events = list(keys)
    return story


@router.get("/live", response={200: list[StoryOut], **ERRORS}, summary="Live coverage now", **READ)
def live_list(request: HttpRequest):
    """Published live coverage that has not ended, newest first."""
    request_user(request, required=False)
    return queries.with_display_relations(
        Story.objects.filter(pk__in=[c.pk for c in queries.live_coverages()])
    ).order_by("-published_at", "-id")


@router.get("/live/{coverage_id}", response={200: CoverageOut, **ERRORS}, **READ)
def coverage(request: HttpRequest, coverage_id: int):
    """A published live coverage with its key events and pinned entry."""
    request_user(request, required=False)
    return _coverage_out(_coverage(coverage_id))


@router.get("/live/{coverage_id}/entries", response={200: EntriesOut, **ERRORS}, **READ)
def entries(request: HttpRequest, coverage_id: int, before: str | None = None, order: str = ""):
    """Published entries, newest first (`order=oldest` for oldest first), pinned one included,
    20 per page. Pass `next` back as `before`."""
    request_user(request, required=False)
    found = _coverage(coverage_id)
    cursor = queries.Cursor.decode(before) if before else None
    page = queries.coverage_entries(found, cursor, order=order, include_pinned=True)
    queries.load_corrections(page.items)
    return {"items": page.items, "next": page.next_cursor.encode() if page.next_cursor else None}


@router.get("/live/{coverage_id}/key-events", response={200: list[StoryOut], **ERRORS}, **READ)
def key_events(request: HttpRequest, coverage_id: int):
    request_user(request, required=False)
    return _coverage_out(_coverage(coverage_id)).key_events


@router.post(
    "/live/{coverage_id}/entries",
    response={201: StoryOut, **ERRORS},
    summary="Post an entry into a live coverage",
    **WRITE,
)
def post_entry(request: HttpRequest, coverage_id: int, payload: EntryIn):
    data = payload.dict(exclude={"authors", "draft"})
    if payload.authors:
        data["author_ids"] = _slugs_to_ids(Author, payload.authors, "authors")
    entry = actions.do_post_entry(request.auth, coverage_id, data, publish=not payload.draft)
    return Answer(201, _fresh(entry.pk))


@router.post("/live/entries/{entry_id}/key-event", response={200: StoryOut, **ERRORS}, **WRITE)
def set_key_event(request: HttpRequest, entry_id: int, payload: KeyEventIn):
    """Mark (`{"key_event": true}`) or unmark an entry as a key event."""
    entry = actions.do_set_key_event(request.auth, entry_id, payload.key_event)
    return _fresh(entry.pk)


@router.post("/live/entries/{entry_id}/pin", response={200: StoryOut, **ERRORS}, **WRITE)
def pin_entry(request: HttpRequest, entry_id: int, payload: PinIn):
    """Pin (`{"pinned": true}`) an entry on top of its live page, or release it."""
    entry = actions.do_set_pinned_entry(request.auth, entry_id, payload.pinned)
    return _fresh(entry.pk)


@router.post("/live/{coverage_id}/end", response={200: StoryOut, **ERRORS}, **WRITE)
def end_coverage(request: HttpRequest, coverage_id: int):
    return _fresh(actions.do_end_coverage(request.auth, coverage_id).pk)
