"""The review between writers and editors, and the desk's notes, for API clients: submit a draft
for review, approve it (publish), return it with a note, read the queue, a story's notes and its
history. Each write is the action the desk calls; every route needs a token."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Status as Answer
from pydantic import ValidationError as PydanticError

from newsdesk.api.errors import ApiError, check_json
from newsdesk.api.read import router
from newsdesk.api.schemas import (
    HistoryOut,
    NoteIn,
    NoteOut,
    ReturnIn,
    ReviewItemOut,
    StoryOut,
    SubmitIn,
)
from newsdesk.api.write import ERRORS, WRITE, _fresh, _versioned
from newsdesk.core.errors import NotFound
from newsdesk.stories import actions, desk_queries, permissions
from newsdesk.stories.models import Story

REVIEW = {**WRITE, "tags": ["review"]}


def _submit_options(request: HttpRequest) -> SubmitIn:
    """The optional JSON body of /submit (an empty or non-JSON body means `{}`)."""
    if request.content_type != "application/json" or not request.body.strip():
        return SubmitIn()
    check_json(request.body)
    try:
        return SubmitIn.model_validate_json(request.body)
    except PydanticError as error:
        fields: dict[str, list[str]] = {}
        for item in error.errors():
            name = ".".join(str(part) for part in item.get("loc", ())) or "body"
            fields.setdefault(name, []).append(item["msg"])
        raise ApiError(
            422,
            "validation_failed",
            'The body must be JSON like {"note": "Ready for the evening edition"}, or empty.',
            fields=fields,
        ) from None


def _desk_story(user, story_id: int) -> Story:
    """A story this user may open at the desk; one they may not and one that does not exist
    answer alike (404), as reading it does."""
    story = Story.objects.filter(pk=story_id).first() if 1 <= story_id < 2**63 else None
    if story is None or not permissions.can_view_in_desk(user, story):
        raise NotFound("There is no story here that you can open (or your token may not see it).")
    return story


@router.post(
    "/stories/{story_id}/submit",
    response={200: StoryOut, **ERRORS},
    summary="Submit a draft for review",
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": SubmitIn.model_json_schema()}},
        }
    },
    **REVIEW,
)
def submit_story(request: HttpRequest, story_id: int):
    """Put your draft in the editors' review queue, optionally with `{"note": "…"}` for them.
    Contributors submit their own drafts; editors any. Send `If-Match` to be sure of the
    version."""
    note = _submit_options(request).note
    story = _versioned(
        lambda version: actions.do_submit_for_review(
            request.auth, story_id, note=note, expected_version=version
        ),
        request,
        story_id,
    )
    return _fresh(story.pk)


@router.post(
    "/stories/{story_id}/approve",
    response={200: StoryOut, **ERRORS},
    summary="Approve a story in review (publishes it)",
    **REVIEW,
)
def approve_story(request: HttpRequest, story_id: int):
    """Editors only: publish a story waiting in the review queue."""
    story = _versioned(
        lambda version: actions.do_approve_story(request.auth, story_id, expected_version=version),
        request,
        story_id,
    )
    return _fresh(story.pk)


@router.post(
    "/stories/{story_id}/return",
    response={200: StoryOut, **ERRORS},
    summary="Return a story in review to its writer with a note",
    **REVIEW,
)
def return_story(request: HttpRequest, story_id: int, payload: ReturnIn):
    """Editors only: send it back with `{"note": "what to change"}`; the writer sees the note."""
    story = _versioned(
        lambda version: actions.do_return_story(
            request.auth, story_id, payload.note, expected_version=version
        ),
        request,
        story_id,
    )
    return _fresh(story.pk)


@router.get(
    "/review-queue",
    response={200: list[ReviewItemOut], **ERRORS},
    summary="Stories waiting for review",
    **REVIEW,
)
def review_queue(request: HttpRequest):
    """Editors only: stories submitted for review, longest waiting first."""
    return [
        {
            "story": story,
            "submitted_by": story.review_changed_by.get_username()
            if story.review_changed_by
            else None,
            "submitted_at": story.review_changed_at,
        }
        for story in desk_queries.review_queue(request.auth)
    ]


@router.get(
    "/stories/{story_id}/notes",
    response={200: list[NoteOut], **ERRORS},
    summary="The desk's notes on a story",
    **REVIEW,
)
def story_notes(request: HttpRequest, story_id: int):
    """Notes people at the desk wrote about the story, oldest first. Never public: only for
    tokens of people who may open the story at the desk."""
    story = _desk_story(request.auth, story_id)
    return desk_queries.story_notes(request.auth, story)


@router.post(
    "/stories/{story_id}/notes",
    response={201: NoteOut, **ERRORS},
    summary="Add a note to a story",
    **REVIEW,
)
def add_note(request: HttpRequest, story_id: int, payload: NoteIn):
    """A note in the story's desk thread (`{"text": "…"}`), seen by editors and its writers."""
    story = _desk_story(request.auth, story_id)
    return Answer(201, actions.do_add_story_note(request.auth, story.pk, payload.text))


@router.get(
    "/stories/{story_id}/history",
    response={200: HistoryOut, **ERRORS},
    summary="Who wrote, submitted, returned, approved and changed a story, and when",
    **REVIEW,
)
def story_history(request: HttpRequest, story_id: int):
    """The story's revisions, newest first (autosaves left out), and where it stands in
    review."""
    story = _desk_story(request.auth, story_id)
    revisions = [r for r in desk_queries.story_revisions(story) if r.action != actions.AUTOSAVE]
    return {
        "story_id": story.pk,
        "created_by": story.created_by.get_username() if story.created_by else None,
        "review": story.review,
        "review_changed_by": story.review_changed_by.get_username()
        if story.review_changed_by
        else None,
        "review_changed_at": story.review_changed_at,
        "revisions": revisions,
    }
