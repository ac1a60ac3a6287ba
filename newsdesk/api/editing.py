"""The editor's other buttons through the API (token required): pin, breaking, schedule, and
the desk's story list (drafts by state and author). Each calls the action the desk calls, so
the rules (editors only for pin, breaking and schedule; contributors see their own stories) are
the same on every channel."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import Field

from newsdesk.api.read import router
from newsdesk.api.schemas import BreakingIn, PinIn, ScheduleIn, StoryOut
from newsdesk.api.write import ERRORS, WRITE, _fresh, _versioned
from newsdesk.core.errors import InvalidInput
from newsdesk.stories import actions, desk_queries
from newsdesk.stories.desk_queries import STATUS_FILTERS
from newsdesk.stories.models import Author

EDIT = {**WRITE, "tags": ["write"]}
MAX_LIST = 100


@router.post("/stories/{story_id}/pin", response={200: StoryOut, **ERRORS}, **EDIT)
def pin_story(request: HttpRequest, story_id: int, payload: PinIn):
    """Editors: `{"pinned": true}` pins a published story on top of the News Feed, `false`
    releases it."""
    story = actions.do_set_pinned(request.auth, story_id, payload.pinned)
    return _fresh(story.pk)


@router.post("/stories/{story_id}/breaking", response={200: StoryOut, **ERRORS}, **EDIT)
def mark_breaking(request: HttpRequest, story_id: int, payload: BreakingIn):
    """Editors: `{"breaking": true}` marks the story as breaking news, `false` takes it off."""
    story = actions.do_set_breaking(request.auth, story_id, payload.breaking)
    return _fresh(story.pk)


@router.post("/stories/{story_id}/schedule", response={200: StoryOut, **ERRORS}, **EDIT)
def schedule_story(request: HttpRequest, story_id: int, payload: ScheduleIn):
    """Editors: publish at `publish_at` (with its time zone; in the future). If-Match works
    as on edits."""
    story = _versioned(
        lambda version: actions.do_schedule_story(
            request.auth, story_id, payload.publish_at, expected_version=version
        ),
        request,
        story_id,
    )
    return _fresh(story.pk)


class StoryListParams(Schema):
    status: str = Field(
        "",
        description="draft, in_review, returned, scheduled, published or unpublished; "
        "empty means all",
    )
    author: str = Field("", description="An author's slug", max_length=200)
    q: str = Field("", description="Words in the headline", max_length=300)
    limit: int = Field(50, ge=1, le=MAX_LIST)


@router.get(
    "/stories",
    response={200: list[StoryOut], **ERRORS},
    summary="The desk's story list",
    **EDIT,
)
def list_stories(request: HttpRequest, params: Query[StoryListParams]):
    """Stories as the desk lists them, most recently changed first: every story for editors,
    your own for contributors. Filter by `status` (drafts by where they stand in review too)
    and `author` (slug)."""
    if params.status and params.status not in STATUS_FILTERS:
        message = f"status must be one of: {', '.join(STATUS_FILTERS)}, or empty."
        raise InvalidInput(message, fields={"status": [message]})
    author_id = None
    if params.author:
        author_id = Author.objects.filter(slug=params.author).values_list("pk", flat=True).first()
        if author_id is None:
            message = f"There is no author with the slug {params.author!r}."
            raise InvalidInput(message, fields={"author": [message]})
    return list(
        desk_queries.desk_stories(
            request.auth,
            status=params.status,
            author_id=author_id,
            search=params.q.strip(),
            limit=params.limit,
        )
    )
