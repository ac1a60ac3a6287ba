"""Live coverage of an event: posting entries into it, key events, its pinned entry, ending it.

A live coverage is a story of kind "live" (created, edited and published like any story; its
summary is "what we know" and may be edited at any time). Its entries are stories of kind
"entry" with `coverage` set, so they go through the same revisions, feed events, search index
and caches as every other story, and appear in the News Feed and on their topics' pages.
Editing, correcting and deleting (unpublishing) an entry are the ordinary story actions.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from newsdesk.core.errors import InvalidInput, NotFound
from newsdesk.core.validation import FieldChecker
from newsdesk.stories import permissions
from newsdesk.stories.actions.common import (
    claim_version,
    get_story,
    record_event,
    record_revision,
    retrying_taken_slug,
    set_review,
    unique_slug,
)
from newsdesk.stories.actions.fields import (
    apply_fields,
    apply_relations,
    check_allowed_fields,
    check_story_fields,
    default_authors,
    render_body,
)
from newsdesk.stories.actions.publishing import publish_now
from newsdesk.stories.models import EventKind, Kind, Review, Status, Story

ENTRY_FIELDS = ("body", "author_ids", "lead_image_id", "breaking")


def get_coverage(coverage_id: int, *, lock: bool = False) -> Story:
    """The live coverage with this id (any status); NotFound for anything else."""
    try:
        story = get_story(coverage_id, lock=lock)
    except NotFound:
        story = None
    if story is None or story.kind != Kind.LIVE:
        raise NotFound(f"There is no live coverage with id {coverage_id!r}.")
    return story


def get_entry(entry_id: int, *, lock: bool = True) -> Story:
    try:
        story = get_story(entry_id, lock=lock)
    except NotFound:
        story = None
    if story is None or story.kind != Kind.ENTRY:
        raise NotFound(f"There is no live entry with id {entry_id!r}.")
    return story


def check_open(coverage: Story) -> None:
    if coverage.ended_at is not None:
        raise InvalidInput(
            "This live coverage has ended: entries can no longer be posted into it. "
            "Start a new live coverage, or post a feed update instead."
        )


def do_post_entry(
    user, coverage_id: int, data: dict[str, Any], *, publish: bool = True, review: bool = False
) -> Story:
    """A new entry in a live coverage: published at once (editors), or kept as a draft
    (`publish=False`, what contributors may do), sent straight to the editors' review queue
    with `review=True` (an editor approving it publishes it into its coverage). Its topics are
    the coverage's, so it reaches their pages; its authors are the ones chosen, else the
    writer's own author profile."""
    permissions.check_can_write(user)
    if publish and review:
        raise InvalidInput("An entry is either posted now or sent for review, not both.")
    if publish:
        permissions.check_can_publish(user)
    coverage = get_coverage(coverage_id)
    check_open(coverage)
    if publish and coverage.status != Status.PUBLISHED:
        raise InvalidInput(
            "Publish the live coverage before posting entries into it (drafts may be saved)."
        )
    checker = FieldChecker(Story)
    headline = checker.text(data, "headline", "Headline")
    body_text = checker.text(data, "body", "Text", required=True)
    checker.raise_if_any()
    fields = {key: data[key] for key in ENTRY_FIELDS if key in data}
    fields["body"] = body_text
    cleaned = check_story_fields(fields, partial=True)
    check_allowed_fields(user, None, cleaned)
    if not cleaned.get("author_ids"):
        cleaned["author_ids"] = default_authors(user)
    cleaned["topic_ids"] = list(coverage.topics.values_list("pk", flat=True))
    cleaned["kind"] = Kind.ENTRY
    cleaned["language"] = coverage.language
    cleaned["headline"] = headline
    body = render_body(cleaned)

    def write(attempt: int) -> Story:
        with transaction.atomic():
            locked = get_coverage(coverage_id, lock=True)
            check_open(locked)
            entry = Story(created_by=user, status=Status.DRAFT, coverage=locked)
            apply_fields(entry, cleaned, body)
            entry.slug = unique_slug(Story, f"{locked.slug}-entry", spread=attempt)
            entry.save()
            apply_relations(entry, cleaned)
            record_revision(entry, user, "created", body=body)
            if publish:
                publish_now(entry, user, "published")
            elif review:
                set_review(entry, user, Review.IN_REVIEW)
                entry.save()
                record_revision(entry, user, "submitted for review")
        return entry

    return retrying_taken_slug(write)


def _published_entry(entry_id: int) -> Story:
    entry = get_entry(entry_id)
    if entry.status != Status.PUBLISHED:
        raise InvalidInput(
            "This entry is not published (it is a draft or was deleted): "
            "publish it again before marking it.",
        )
    return entry


def do_set_key_event(user, entry_id: int, key_event: bool) -> Story:
    """Mark a published entry as one of its coverage's key events, or take the mark off."""
    permissions.check_can_publish(user)
    with transaction.atomic():
        entry = _published_entry(entry_id)
        if entry.key_event == key_event:
            return entry
        claim_version(entry, None)
        entry.key_event = key_event
        entry.save()
        record_revision(entry, user, "key event" if key_event else "key event removed")
        record_event(entry, EventKind.KEY_EVENT, key_event=key_event)
    return entry


def do_set_pinned_entry(user, entry_id: int, pinned: bool) -> Story:
    """Pin a published entry on top of its live page (one per page: pinning another replaces
    it), or release it. Returns the entry."""
    permissions.check_can_publish(user)
    with transaction.atomic():
        entry = _published_entry(entry_id) if pinned else get_entry(entry_id)
        coverage = get_coverage(entry.coverage_id, lock=True)
        current = coverage.pinned_entry_id
        wanted = entry.pk if pinned else (None if current == entry.pk else current)
        if wanted == current:
            return entry
        claim_version(coverage, None)
        coverage.pinned_entry_id = wanted
        coverage.save()
        record_revision(coverage, user, "entry pinned" if pinned else "entry unpinned")
        if current is not None and current != wanted:
            previous = Story.objects.get(pk=current)
            record_event(previous, EventKind.ENTRY_PINNED, pinned=False)
        if pinned:
            record_event(entry, EventKind.ENTRY_PINNED, pinned=True)
    return entry


def do_end_coverage(user, coverage_id: int) -> Story:
    """End a live coverage: it stays readable, marked as ended with the time it ended."""
    permissions.check_can_publish(user)
    with transaction.atomic():
        coverage = get_coverage(coverage_id, lock=True)
        if coverage.status != Status.PUBLISHED:
            raise InvalidInput("Only published live coverage can be ended.")
        if coverage.ended_at is not None:
            raise InvalidInput("This live coverage has already ended.")
        claim_version(coverage, None)
        coverage.ended_at = timezone.now()
        coverage.save()
        record_revision(coverage, user, "coverage ended")
        record_event(coverage, EventKind.UPDATED, marked_update=False, ended=True)
    return coverage
