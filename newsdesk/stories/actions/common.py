"""What every write shares: loading and versioning a story, recording its revision and feed event,
free slugs, checked ids."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from newsdesk.core.errors import EditConflict, NotFound
from newsdesk.core.ids import parse_id, whole_number_text
from newsdesk.core.validation import FieldChecker
from newsdesk.stories.markdown import RenderedBody
from newsdesk.stories.models import (
    FeedEvent,
    Revision,
    Status,
    Story,
)
from newsdesk.stories.signals import feed_events_committed, story_written


def get_story(story_id: int, *, lock: bool = True) -> Story:
    queryset = Story.objects.select_for_update() if lock else Story.objects
    try:
        return queryset.get(pk=story_id)
    except (Story.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"There is no story with id {story_id!r}.") from None


def claim_version(story: Story, expected_version: int | None) -> None:
    """Bump the version, refusing when somebody saved since `expected_version` was read.

    The conditional UPDATE is what makes two simultaneous saves safe on every database: only one
    of them can match the old version.
    """
    query = Story.objects.filter(pk=story.pk)
    if expected_version is not None:
        query = query.filter(version=expected_version)
    if not query.update(version=F("version") + 1):
        current = Story.objects.filter(pk=story.pk).values_list("version", flat=True).first()
        raise EditConflict(
            "Somebody else saved this story while you were editing it (you started from version "
            f"{expected_version}, it is now at version {current}). Your text is still in the form: "
            "copy what you need, reload the story to see their changes, then apply yours again.",
            current_version=current or 0,
        )
    story.version = Story.objects.filter(pk=story.pk).values_list("version", flat=True).get()


def snapshot(story: Story) -> dict[str, Any]:
    """What a revision keeps: everything an editor can change, enough to restore it exactly."""
    return {
        "headline": story.headline,
        "slug": story.slug,
        "summary": story.summary,
        "body": story.body,
        "kind": story.kind,
        "language": story.language,
        "breaking": story.breaking,
        "pinned": story.pinned,
        "status": story.status,
        "lead_image_id": story.lead_image_id,
        "author_ids": list(
            story.author_links.order_by("position").values_list("author_id", flat=True)
        ),
        "topic_ids": sorted(story.topics.values_list("pk", flat=True)),
        "published_at": story.published_at.isoformat() if story.published_at else None,
        "updated_at": story.updated_at.isoformat() if story.updated_at else None,
        "version": story.version,
    }


def record_revision(
    story: Story, user, action: str, *, body: RenderedBody | None = None
) -> Revision:
    # Every story write passes here, inside its transaction. The body's search text comes
    # rendered from before the transaction (`render_body`); without a new body the index keeps
    # the text it has, so no write parses Markdown while it holds the write lock.
    story_written.send(
        sender=Story, story=story, body_text=body.text if body is not None else None
    )
    last = story.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return Revision.objects.create(
        story=story,
        number=last + 1,
        created_by=user if user is not None and user.is_authenticated else None,
        action=action,
        content=snapshot(story),
    )


def record_event(story: Story, kind: str, **data: Any) -> FeedEvent:
    event = FeedEvent.objects.create(story=story, kind=kind, data=data)
    transaction.on_commit(
        lambda: feed_events_committed.send(
            sender=FeedEvent, event_ids=[event.pk], story_ids=[story.pk]
        )
    )
    return event


def unique_slug(model, wanted: str, *, exclude_id: int | None = None, spread: int = 0) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`, … whichever is free, in one query.

    With `spread`, one of the first `spread + 1` free ones at random: writers retrying after a
    clash (`retrying_taken_slug`) then stop all picking the same next slug."""
    others = model.objects.exclude(pk=exclude_id) if exclude_id else model.objects.all()
    taken = set(others.filter(slug__startswith=wanted).values_list("slug", flat=True))
    free: list[str] = []
    slug, n = wanted, 1
    while len(free) <= spread:
        if slug not in taken:
            free.append(slug)
        n += 1
        slug = f"{wanted}-{n}"
    return random.choice(free) if spread else free[0]


def retrying_taken_slug[T](write: Callable[[int], T]) -> T:
    """`write(attempt)` (one transaction), again when a parallel write took the slug it picked.

    `unique_slug` reads which slugs are taken; on PostgreSQL two writes can read at the same
    moment and pick the same one, and the unique index refuses the second (it was a 500). A retry
    reads again and picks among more free slugs (`spread=attempt`), so a crowd of writers with
    one headline sorts itself out in a few rounds."""
    attempts = 10
    for attempt in range(attempts):
        try:
            return write(attempt)
        except IntegrityError as error:
            if attempt == attempts - 1 or "slug" not in str(error).lower():
                raise
    raise AssertionError("unreachable")


def checked_ids(
    values: Iterable | None, model, field: str, label: str, checker: FieldChecker
) -> list:
    """Validate a list of primary keys, keeping the given order and dropping repeats.

    A whole number outside 1..MAX_ID names no row: it is reported as missing without a query
    (the database would overflow on it), like any other id with no row behind it.
    """
    if values is None:
        return []
    ids: list[int] = []
    impossible: list[str] = []
    for value in values:
        number = parse_id(value)
        if number is None:
            shown = whole_number_text(value)
            if shown is None:
                checker.add(field, f"{value!r:.60} is not a valid {label} id.")
            else:
                impossible.append(shown)
            continue
        if number not in ids:
            ids.append(number)
    found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [*impossible, *(str(i) for i in ids if i not in found)]
    if missing:
        checker.add(field, f"No {label} with id {', '.join(missing)}.")
    return [i for i in ids if i in found]


def ever_published(story: Story) -> bool:
    return story.status in {Status.PUBLISHED, Status.UNPUBLISHED}


def published_in_feed(story: Story) -> bool:
    return story.status == Status.PUBLISHED
