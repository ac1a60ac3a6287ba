"""The review between a writer and an editor, and the desk's notes on a story.

A contributor cannot publish: they submit a draft for review (`do_submit_for_review`); editors
find it in the review queue (`desk_queries.review_queue`) and either approve it, which publishes
it (`do_approve_story`), or return it with a note saying what to change (`do_return_story`).
The writer sees the note on their story, edits, and submits again. Each step is a revision, so
who wrote, submitted, returned and approved a story, and when, is its history.

Notes (`do_add_story_note`) are a thread at the desk about a story. They are not content: they
never reach readers, are not part of a revision and do not change the story's version.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from newsdesk.core.errors import InvalidInput, NotAllowed
from newsdesk.core.validation import max_length, text_problem
from newsdesk.stories import permissions
from newsdesk.stories.actions.common import (
    claim_version,
    get_story,
    record_revision,
    set_review,
)
from newsdesk.stories.actions.publishing import check_coverage_open, publish_locked
from newsdesk.stories.models import Kind, Review, Status, Story, StoryNote

SUBMITTABLE = {Status.DRAFT, Status.UNPUBLISHED}


def _note_text(text, label: str, *, required: bool) -> str:
    text = text if isinstance(text, str) else ("" if text is None else str(text))
    problem = text_problem(label, text, max_length(StoryNote, "text"), required=required)
    if problem:
        raise InvalidInput(problem, fields={"note": [problem]})
    return text.strip()


def do_submit_for_review(
    user, story_id: int, *, note: str = "", expected_version: int | None = None
) -> Story:
    """Ask an editor to publish this draft, optionally with a note for them. Contributors may
    submit their own drafts; editors any. Submitting again while it waits is refused."""
    text = _note_text(note, "Note", required=False)
    with transaction.atomic():
        story = get_story(story_id)
        permissions.check_can_submit(user, story)
        if story.status not in SUBMITTABLE:
            raise InvalidInput(
                f"This story is {story.get_status_display().lower()}: only drafts and "
                "unpublished stories go to review."
            )
        if story.review == Review.IN_REVIEW:
            raise InvalidInput("This story is already waiting for an editor in the review queue.")
        claim_version(story, expected_version)
        set_review(story, user, Review.IN_REVIEW)
        story.save()
        if text:
            StoryNote.objects.create(
                story=story, text=text, kind=StoryNote.Kind.SUBMITTED, created_by=user
            )
        record_revision(story, user, "submitted for review")
    return story


def do_approve_story(user, story_id: int, *, expected_version: int | None = None) -> Story:
    """An editor approves a story in review: it is published now (the revision says
    "approved and published", by whom and when)."""
    permissions.check_can_review(user)
    with transaction.atomic():
        story = get_story(story_id)
        if story.review != Review.IN_REVIEW:
            raise InvalidInput(
                "This story is not in the review queue: its writer has not submitted it "
                "(or an editor already returned or published it). Use Publish to publish it."
            )
        if story.kind == Kind.ENTRY:  # an entry is published into its coverage, if still open
            check_coverage_open(story)
        claim_version(story, expected_version)
        publish_locked(story, user, timezone.now(), "approved and published")
    return story


def do_return_story(
    user, story_id: int, note: str, *, expected_version: int | None = None
) -> Story:
    """An editor sends a story in review back to its writer with a note saying what to change.
    The note is required: a story returned without a reason cannot be fixed."""
    permissions.check_can_review(user)
    text = _note_text(note, "The note to the writer", required=True)
    with transaction.atomic():
        story = get_story(story_id)
        if story.review != Review.IN_REVIEW:
            raise InvalidInput("Only a story waiting in the review queue can be returned.")
        claim_version(story, expected_version)
        set_review(story, user, Review.RETURNED)
        story.save()
        StoryNote.objects.create(
            story=story, text=text, kind=StoryNote.Kind.RETURNED, created_by=user
        )
        record_revision(story, user, "returned for changes")
    return story


def do_add_story_note(user, story_id: int, text: str) -> StoryNote:
    """A note in the story's desk thread, by anyone who may open the story in the desk."""
    text = _note_text(text, "Note", required=True)
    with transaction.atomic():
        story = get_story(story_id)
        if not permissions.can_read_notes(user, story):
            raise NotAllowed("You can only write notes on stories you can open in the desk.")
        return StoryNote.objects.create(story=story, text=text, created_by=user)
