"""Putting a story in front of readers and taking it away: publish, schedule, unpublish,
correct, pin, mark breaking, and the quick post that publishes in one step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from newsdesk.core.errors import InvalidInput
from newsdesk.core.validation import max_length, text_problem
from newsdesk.stories import permissions
from newsdesk.stories.actions.common import (
    claim_version,
    end_review,
    get_story,
    record_event,
    record_revision,
)
from newsdesk.stories.actions.drafts import do_create_story
from newsdesk.stories.models import (
    Correction,
    EventKind,
    Kind,
    Status,
    Story,
)


def do_publish_story(user, story_id: int, *, expected_version: int | None = None) -> Story:
    """Put a draft, scheduled or unpublished story in front of readers now."""
    permissions.check_can_publish(user)
    with transaction.atomic():
        story = get_story(story_id)
        if story.status == Status.PUBLISHED:
            raise InvalidInput("This story is already published.")
        if story.kind == Kind.ENTRY:
            check_coverage_open(story)
        claim_version(story, expected_version)
        publish_now(story, user, "published")
    return story


def check_coverage_open(entry: Story) -> None:
    coverage = Story.objects.filter(pk=entry.coverage_id).first()
    if coverage is None or coverage.status != Status.PUBLISHED:
        raise InvalidInput("Publish the live coverage before publishing entries in it.")
    if coverage.ended_at is not None:
        raise InvalidInput("This live coverage has ended: its entries can no longer be published.")


def publish_now(story: Story, user, action: str) -> None:
    """Publish now, inside the caller's transaction (the version already claimed or new)."""
    publish_locked(story, user, timezone.now(), action)


def publish_locked(story: Story, user, now: dt.datetime, action: str) -> None:
    """Publish a story its caller has locked and versioned, inside the caller's transaction.
    Ends any review: a story in the queue that an editor publishes was approved by them."""
    # A republished story keeps its original time, so it returns to its place in the feed.
    if story.status != Status.UNPUBLISHED or story.published_at is None:
        story.published_at = now
    story.status = Status.PUBLISHED
    approved = end_review(story, user)
    if approved and not action.startswith(approved):
        action = approved + action
    story.save()
    record_revision(story, user, action)
    record_event(story, EventKind.PUBLISHED)


def do_schedule_story(
    user, story_id: int, when: dt.datetime, *, expected_version: int | None = None
) -> Story:
    """Publish at `when` without anyone touching it (see `do_publish_due_stories`)."""
    permissions.check_can_publish(user)
    if timezone.is_naive(when):
        raise InvalidInput(
            "The scheduled time needs a time zone.",
            fields={"publish_at": ["Give the time with its time zone."]},
        )
    if when <= timezone.now():
        raise InvalidInput(
            "The scheduled time is in the past: pick a later time, or publish now.",
            fields={"publish_at": ["Pick a time in the future."]},
        )
    with transaction.atomic():
        story = get_story(story_id)
        if story.status == Status.PUBLISHED:
            raise InvalidInput(
                "This story is already published; unpublish it first to schedule it."
            )
        claim_version(story, expected_version)
        story.status = Status.SCHEDULED
        story.published_at = when
        end_review(story, user)
        story.save()
        # Revision.action holds 40 characters, and PostgreSQL enforces it: no seconds here.
        record_revision(story, user, f"scheduled for {when.isoformat(timespec='minutes')}")
    return story


def do_publish_due_stories(now: dt.datetime | None = None) -> list[Story]:
    """Publish every scheduled story whose time has come. Safe to run in many processes at once:
    each story is claimed by a conditional UPDATE, so exactly one process publishes it."""
    now = now or timezone.now()
    published = []
    due = Story.objects.filter(status=Status.SCHEDULED, published_at__lte=now)
    for story_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            claimed = Story.objects.filter(pk=story_id, status=Status.SCHEDULED).update(
                status=Status.PUBLISHED, version=F("version") + 1
            )
            if not claimed:
                continue
            story = Story.objects.get(pk=story_id)
            record_revision(story, None, "published on schedule")
            record_event(story, EventKind.PUBLISHED, scheduled=True)
            published.append(story)
    return published


def do_unpublish_story(user, story_id: int, *, expected_version: int | None = None) -> Story:
    """Take a story off every public page; scheduled stories go back to draft."""
    permissions.check_can_publish(user)
    with transaction.atomic():
        story = get_story(story_id)
        if story.status not in {Status.PUBLISHED, Status.SCHEDULED}:
            raise InvalidInput("Only a published or scheduled story can be unpublished.")
        claim_version(story, expected_version)
        was_published = story.status == Status.PUBLISHED
        story.status = Status.UNPUBLISHED if was_published else Status.DRAFT
        if not was_published:
            story.published_at = None
        story.pinned = False
        story.save()
        if story.kind == Kind.ENTRY:  # a deleted entry no longer tops its live page
            Story.objects.filter(pk=story.coverage_id, pinned_entry=story).update(pinned_entry=None)
        record_revision(story, user, "unpublished" if was_published else "unscheduled")
        if was_published:
            record_event(story, EventKind.UNPUBLISHED)
    return story


def do_add_correction(user, story_id: int, text: str) -> Correction:
    """A public note under a published story; readers see it at once."""
    permissions.check_can_publish(user)
    problem = text_problem("Correction", text, max_length(Correction, "text"), required=True)
    if problem:
        raise InvalidInput(problem, fields={"text": [problem]})
    with transaction.atomic():
        story = get_story(story_id)
        if story.status != Status.PUBLISHED:
            raise InvalidInput("Corrections are for published stories; edit the draft instead.")
        claim_version(story, None)
        correction = Correction.objects.create(story=story, text=text.strip(), created_by=user)
        story.save(update_fields=["modified_at"])
        record_revision(story, user, "corrected")
        record_event(story, EventKind.CORRECTED, correction_id=correction.pk)
    return correction


def do_set_pinned(user, story_id: int, pinned: bool) -> Story:
    """Pin a published story to the top of the News Feed, or release it."""
    permissions.check_can_publish(user)
    with transaction.atomic():
        story = get_story(story_id)
        if pinned and story.status != Status.PUBLISHED:
            raise InvalidInput("Only a published story can be pinned.")
        if pinned and story.kind == Kind.ENTRY:
            raise InvalidInput("A live entry is pinned on its live page, not in the News Feed.")
        if story.pinned == pinned:
            return story
        claim_version(story, None)
        story.pinned = pinned
        story.save()
        record_revision(story, user, "pinned" if pinned else "unpinned")
        if story.status == Status.PUBLISHED:
            record_event(story, EventKind.PINNED, pinned=pinned)
    return story


def do_set_breaking(user, story_id: int, breaking: bool) -> Story:
    """Mark a story as breaking news (an editor's call, since readers see it at once)."""
    permissions.check_can_publish(user)
    with transaction.atomic():
        story = get_story(story_id)
        if story.breaking == breaking:
            return story
        claim_version(story, None)
        story.breaking = breaking
        story.save()
        record_revision(story, user, "marked breaking" if breaking else "breaking removed")
        if story.status == Status.PUBLISHED:
            record_event(story, EventKind.UPDATED, marked_update=False)
    return story


def do_quick_post(
    user,
    headline: str,
    text: str,
    topic_ids: Iterable[int] = (),
    *,
    author_ids: Iterable[int] = (),
    breaking: bool = False,
    lead_image_id: int | None = None,
) -> Story:
    """Breaking news in one step: headline and text straight to a published feed update, on
    its topics' pages too. Authors default to the editor's own author profile."""
    permissions.check_can_publish(user)
    data = {
        "headline": headline,
        "body": text,
        "kind": Kind.UPDATE,
        "topic_ids": list(topic_ids),
        "author_ids": list(author_ids),
        "breaking": breaking,
        "lead_image_id": lead_image_id,
    }
    with transaction.atomic():
        story = do_create_story(user, data)
        story = do_publish_story(user, story.pk)
    return story
