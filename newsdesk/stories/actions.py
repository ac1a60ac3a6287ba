"""Every write to the newsroom's content, one function per write.

Each `do_*` function checks permission first (`permissions.check_*`), validates input (raising
`InvalidInput` with per-field messages), writes in one transaction the story, a `Revision` and,
when readers must see the change, a `FeedEvent`, and only after commit tells the rest of the
system (`stories.signals.feed_events_committed`). Actions never see a request: the desk, the API and
the `newsdesk` command all call these same functions, so none can do what another forbids.

`git grep "def do_"` lists every write in the product.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from newsdesk.core.errors import EditConflict, InvalidInput, NotAllowed, NotFound
from newsdesk.core.ids import parse_id, whole_number_text
from newsdesk.core.validation import FieldChecker, base_slug, max_length, text_problem
from newsdesk.stories import permissions
from newsdesk.stories.markdown import RenderedBody, prepare_body
from newsdesk.stories.models import (
    Author,
    Correction,
    EventKind,
    FeedEvent,
    Image,
    Kind,
    Revision,
    Status,
    Story,
    StoryAuthor,
    Topic,
)
from newsdesk.stories.reading_time import count_words
from newsdesk.stories.signals import catalogue_saved, feed_events_committed, story_written

# Fields only an editor may change on a save, because readers see them at once. Anyone may send
# the value the story already has (a form posts every field); changing it is refused, on every
# channel alike, because the check is here and not in a form.
EDITOR_ONLY_FIELDS = {
    "breaking": "Only editors can mark a story as breaking news or take the mark off.",
}
# Fields a save never sets: each has its own action, so a save that names one is refused rather
# than silently ignored.
SET_BY_OTHER_ACTIONS = {
    "status": "the status changes by publishing, scheduling or unpublishing the story",
    "pinned": "pin or unpin the story instead",
    "published_at": "publish or schedule the story instead",
    "updated_at": "save it marked as an update instead",
}


# ── helpers shared by the actions ────────────────────────────────────────────────────────────


def _get_story(story_id: int, *, lock: bool = True) -> Story:
    queryset = Story.objects.select_for_update() if lock else Story.objects
    try:
        return queryset.get(pk=story_id)
    except (Story.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"There is no story with id {story_id!r}.") from None


def _claim_version(story: Story, expected_version: int | None) -> None:
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


def _record_revision(
    story: Story, user, action: str, *, body: RenderedBody | None = None
) -> Revision:
    # Every story write passes here, inside its transaction. The body's search text comes
    # rendered from before the transaction (`_render_body`); without a new body the index keeps
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


def _record_event(story: Story, kind: str, **data: Any) -> FeedEvent:
    event = FeedEvent.objects.create(story=story, kind=kind, data=data)
    transaction.on_commit(
        lambda: feed_events_committed.send(
            sender=FeedEvent, event_ids=[event.pk], story_ids=[story.pk]
        )
    )
    return event


def _unique_slug(model, wanted: str, *, exclude_id: int | None = None, spread: int = 0) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`, … whichever is free, in one query.

    With `spread`, one of the first `spread + 1` free ones at random: writers retrying after a
    clash (`_retrying_taken_slug`) then stop all picking the same next slug."""
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


def _retrying_taken_slug[T](write: Callable[[int], T]) -> T:
    """`write(attempt)` (one transaction), again when a parallel write took the slug it picked.

    `_unique_slug` reads which slugs are taken; on PostgreSQL two writes can read at the same
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


def _ids(values: Iterable | None, model, field: str, label: str, checker: FieldChecker) -> list:
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


def _check_story_fields(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Validated story fields from `data`; with partial=True only the keys present are checked."""
    checker = FieldChecker(Story)
    cleaned: dict[str, Any] = {}

    def wants(key: str) -> bool:
        return not partial or key in data

    if wants("headline"):
        cleaned["headline"] = checker.text(data, "headline", "Headline", required=True)
    for key, label in (("summary", "Summary"), ("body", "Body")):
        if wants(key):
            cleaned[key] = checker.text(data, key, label)
    if data.get("slug"):
        slug = checker.text(data, "slug", "Address (slug)")
        if slug:
            normalised = base_slug(slug, "", Story)
            if not normalised:
                checker.add("slug", "The address must contain letters or digits.")
            cleaned["slug"] = normalised
    if wants("kind"):
        kind = data.get("kind") or Kind.UPDATE
        if kind not in Kind.values:
            checker.add("kind", f"Kind must be one of: {', '.join(Kind.values)}.")
        cleaned["kind"] = kind
    if wants("language"):
        language = (data.get("language") or settings.LANGUAGE_CODE).strip()
        problem = text_problem(
            "Language", language, max_length(Story, "language"), required=True
        )
        if problem:
            checker.add("language", problem)
        cleaned["language"] = language
    if wants("breaking"):
        cleaned["breaking"] = bool(data.get("breaking"))
    if wants("author_ids"):
        cleaned["author_ids"] = _ids(
            data.get("author_ids"), Author, "author_ids", "author", checker
        )
    if wants("topic_ids"):
        cleaned["topic_ids"] = _ids(data.get("topic_ids"), Topic, "topic_ids", "topic", checker)
    if wants("lead_image_id"):
        # Whether it exists and may be used depends on who asks: `_check_allowed_fields`.
        cleaned["lead_image_id"] = _image_id(data.get("lead_image_id"), "lead_image_id", checker)
    for key, how in SET_BY_OTHER_ACTIONS.items():
        if key in data:
            checker.add(key, f"“{key}” cannot be set by saving a story: {how}.")
    checker.raise_if_any()
    return cleaned


def _image_id(value: Any, field: str, checker: FieldChecker) -> int | None:
    """An image id as typed (None for none); its existence is checked with the user's rights.
    A whole number no row can have (`ids.parse_id`) names no image, without asking the database."""
    if value in (None, ""):
        return None
    number = parse_id(value)
    if number is None:
        if whole_number_text(value) is None:
            checker.add(field, f"{str(value)[:40]!r} is not an image id (a whole number).")
        else:
            # The same answer as for an image that does not exist (`permissions.image_refusal`).
            checker.add(field, f"No image with id {whole_number_text(value)} that you can use.")
    return number


def _usable_image(user, image_id: int) -> bool:
    image = Image.objects.filter(pk=image_id).first()
    return image is not None and permissions.can_use_image(user, image)


def _keep_what_they_may_not_set(user, story: Story, data: dict[str, Any]) -> None:
    """For a restore: what this person may not change keeps the story's value now, so restoring
    words cannot bring back a breaking mark or an image they may not use."""
    if not permissions.can_publish(user):
        for field in EDITOR_ONLY_FIELDS:
            data[field] = getattr(story, field)
    image_id = data.get("lead_image_id")
    if image_id not in (None, story.lead_image_id) and not _usable_image(user, image_id):
        data["lead_image_id"] = story.lead_image_id


def _check_allowed_fields(user, story: Story | None, cleaned: dict[str, Any]) -> None:
    """Refuse what this user may not set on this story (None: a new one): an editor-only field
    changed, or an image they may not use. A value the story already has is always fine (an
    editor may have put it there). An image that does not exist and one the user may not use get
    the same answer, so ids cannot be tried to learn which images exist."""
    refused: dict[str, list[str]] = {}
    for field, message in EDITOR_ONLY_FIELDS.items():
        current = getattr(story, field) if story else Story._meta.get_field(field).default
        if field in cleaned and cleaned[field] != current and not permissions.can_publish(user):
            refused[field] = [message]
    images: dict[str, list[str]] = {}
    image_id = cleaned.get("lead_image_id")
    current_image = story.lead_image_id if story else None
    if image_id is not None and image_id != current_image and not _usable_image(user, image_id):
        images["lead_image_id"] = [permissions.image_refusal(image_id)]
    if refused:
        raise NotAllowed(next(iter(refused.values()))[0], fields={**refused, **images})
    if images:
        raise InvalidInput(images["lead_image_id"][0], fields=images)


def _render_body(cleaned: dict[str, Any]) -> RenderedBody | None:
    """The new body rendered (HTML, words), or None when the write leaves the body alone.

    Called before the write's transaction opens: rendering a long body takes a moment, and
    inside the transaction it would hold every other writer (on SQLite the whole database)
    waiting. Bodies past the cost limits are refused here (`markdown.BodyTooComplex`)."""
    if "body" not in cleaned:
        return None
    return prepare_body(cleaned["body"], site_url=settings.SITE_URL)


def _apply_fields(story: Story, cleaned: dict[str, Any], body: RenderedBody | None) -> None:
    for key in ("headline", "summary", "body", "kind", "language", "breaking", "lead_image_id"):
        if key in cleaned:
            setattr(story, key, cleaned[key])
    if "body" in cleaned:
        if body is None or body.source != story.body:
            body = prepare_body(story.body, site_url=settings.SITE_URL)
        story.body_html = body.html
        story.word_count = count_words(body.text)


def _apply_relations(story: Story, cleaned: dict[str, Any]) -> None:
    if "author_ids" in cleaned:
        StoryAuthor.objects.filter(story=story).delete()
        StoryAuthor.objects.bulk_create(
            StoryAuthor(story=story, author_id=author_id, position=i)
            for i, author_id in enumerate(cleaned["author_ids"])
        )
    if "topic_ids" in cleaned:
        story.topics.set(cleaned["topic_ids"])


def _default_authors(user) -> list[int]:
    author = getattr(user, "author", None)
    return [author.pk] if author is not None else []


def _ever_published(story: Story) -> bool:
    return story.status in {Status.PUBLISHED, Status.UNPUBLISHED}


def _published_in_feed(story: Story) -> bool:
    return story.status == Status.PUBLISHED


# ── stories ──────────────────────────────────────────────────────────────────────────────────


def do_create_story(user, data: dict[str, Any]) -> Story:
    """A new draft. Authors default to the writer's own author profile."""
    permissions.check_can_write(user)
    cleaned = _check_story_fields(data, partial=False)
    _check_allowed_fields(user, None, cleaned)
    if not cleaned["author_ids"]:
        cleaned["author_ids"] = _default_authors(user)
    body = _render_body(cleaned)

    def write(attempt: int) -> Story:
        with transaction.atomic():
            story = Story(created_by=user, status=Status.DRAFT)
            _apply_fields(story, cleaned, body)
            wanted = cleaned.get("slug") or base_slug(story.headline, "story", Story)
            story.slug = _unique_slug(Story, wanted, spread=attempt)
            story.save()
            _apply_relations(story, cleaned)
            _record_revision(story, user, "created", body=body)
        return story

    return _retrying_taken_slug(write)


def do_update_story(
    user,
    story_id: int,
    data: dict[str, Any],
    *,
    expected_version: int | None,
    mark_as_update: bool = False,
) -> Story:
    """Save an edit. On a published story readers see it at once; with `mark_as_update` it is
    also shown as "(Updated: HH:MM)", otherwise it is a silent fix (a typo, a caption)."""
    cleaned = _check_story_fields(data, partial=True)
    body = _render_body(cleaned)
    with transaction.atomic():
        story = _get_story(story_id)
        permissions.check_can_edit(user, story)
        _check_allowed_fields(user, story, cleaned)
        if mark_as_update:
            permissions.check_can_publish(user)
            if not _published_in_feed(story):
                raise InvalidInput("Only a published story can be marked as updated.")
        if "slug" in cleaned and cleaned["slug"] != story.slug:
            if _ever_published(story):
                raise InvalidInput(
                    "The address of a story that has been published cannot change: "
                    "readers' links and search engines point at it.",
                    fields={"slug": ["Keep the published address."]},
                )
            story.slug = _unique_slug(Story, cleaned["slug"], exclude_id=story.pk)
        _claim_version(story, expected_version)
        _apply_fields(story, cleaned, body)
        if mark_as_update:
            story.updated_at = timezone.now()
        story.save()
        _apply_relations(story, cleaned)
        _record_revision(story, user, "marked as update" if mark_as_update else "saved", body=body)
        if _published_in_feed(story):
            _record_event(story, EventKind.UPDATED, marked_update=mark_as_update)
    return story


def do_publish_story(user, story_id: int, *, expected_version: int | None = None) -> Story:
    """Put a draft, scheduled or unpublished story in front of readers now."""
    permissions.check_can_publish(user)
    with transaction.atomic():
        story = _get_story(story_id)
        if story.status == Status.PUBLISHED:
            raise InvalidInput("This story is already published.")
        _claim_version(story, expected_version)
        _publish(story, user, timezone.now(), "published")
    return story


def _publish(story: Story, user, now: dt.datetime, action: str) -> None:
    # A republished story keeps its original time, so it returns to its place in the feed.
    if story.status != Status.UNPUBLISHED or story.published_at is None:
        story.published_at = now
    story.status = Status.PUBLISHED
    story.save()
    _record_revision(story, user, action)
    _record_event(story, EventKind.PUBLISHED)


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
        story = _get_story(story_id)
        if story.status == Status.PUBLISHED:
            raise InvalidInput(
                "This story is already published; unpublish it first to schedule it."
            )
        _claim_version(story, expected_version)
        story.status = Status.SCHEDULED
        story.published_at = when
        story.save()
        # Revision.action holds 40 characters, and PostgreSQL enforces it: no seconds here.
        _record_revision(story, user, f"scheduled for {when.isoformat(timespec='minutes')}")
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
            _record_revision(story, None, "published on schedule")
            _record_event(story, EventKind.PUBLISHED, scheduled=True)
            published.append(story)
    return published


def do_unpublish_story(user, story_id: int, *, expected_version: int | None = None) -> Story:
    """Take a story off every public page; scheduled stories go back to draft."""
    permissions.check_can_publish(user)
    with transaction.atomic():
        story = _get_story(story_id)
        if story.status not in {Status.PUBLISHED, Status.SCHEDULED}:
            raise InvalidInput("Only a published or scheduled story can be unpublished.")
        _claim_version(story, expected_version)
        was_published = story.status == Status.PUBLISHED
        story.status = Status.UNPUBLISHED if was_published else Status.DRAFT
        if not was_published:
            story.published_at = None
        story.pinned = False
        story.save()
        _record_revision(story, user, "unpublished" if was_published else "unscheduled")
        if was_published:
            _record_event(story, EventKind.UNPUBLISHED)
    return story


def do_add_correction(user, story_id: int, text: str) -> Correction:
    """A public note under a published story; readers see it at once."""
    permissions.check_can_publish(user)
    problem = text_problem("Correction", text, max_length(Correction, "text"), required=True)
    if problem:
        raise InvalidInput(problem, fields={"text": [problem]})
    with transaction.atomic():
        story = _get_story(story_id)
        if story.status != Status.PUBLISHED:
            raise InvalidInput("Corrections are for published stories; edit the draft instead.")
        _claim_version(story, None)
        correction = Correction.objects.create(story=story, text=text.strip(), created_by=user)
        story.save(update_fields=["modified_at"])
        _record_revision(story, user, "corrected")
        _record_event(story, EventKind.CORRECTED, correction_id=correction.pk)
    return correction


def do_set_pinned(user, story_id: int, pinned: bool) -> Story:
    """Pin a published story to the top of the News Feed, or release it."""
    permissions.check_can_publish(user)
    with transaction.atomic():
        story = _get_story(story_id)
        if pinned and story.status != Status.PUBLISHED:
            raise InvalidInput("Only a published story can be pinned.")
        if story.pinned == pinned:
            return story
        _claim_version(story, None)
        story.pinned = pinned
        story.save()
        _record_revision(story, user, "pinned" if pinned else "unpinned")
        if story.status == Status.PUBLISHED:
            _record_event(story, EventKind.PINNED, pinned=pinned)
    return story


def do_set_breaking(user, story_id: int, breaking: bool) -> Story:
    """Mark a story as breaking news (an editor's call, since readers see it at once)."""
    permissions.check_can_publish(user)
    with transaction.atomic():
        story = _get_story(story_id)
        if story.breaking == breaking:
            return story
        _claim_version(story, None)
        story.breaking = breaking
        story.save()
        _record_revision(story, user, "marked breaking" if breaking else "breaking removed")
        if story.status == Status.PUBLISHED:
            _record_event(story, EventKind.UPDATED, marked_update=False)
    return story


def do_restore_revision(
    user, story_id: int, revision_number: int, *, expected_version: int | None
) -> Story:
    """Bring back the words of an earlier revision as a new save (history is never rewritten).

    Status, pinning and publication times stay as they are now: restoring text is an edit, and
    publishing stays a separate, deliberate step.
    """
    # Revisions never change, so the body can be rendered before the transaction opens.
    old_content = (
        Revision.objects.filter(story_id=story_id, number=revision_number)
        .values_list("content", flat=True)
        .first()
    )
    body = None
    if isinstance(old_content, dict) and isinstance(old_content.get("body"), str):
        body = prepare_body(old_content["body"], site_url=settings.SITE_URL)
    with transaction.atomic():
        story = _get_story(story_id)
        permissions.check_can_edit(user, story)
        revision = story.revisions.filter(number=revision_number).first()
        if revision is None:
            raise NotFound(f"This story has no revision {revision_number}.")
        content = revision.content
        data = {
            key: content.get(key) for key in ("headline", "summary", "body", "kind", "language")
        }
        data["breaking"] = content.get("breaking", False)
        data["author_ids"] = [
            i for i in content.get("author_ids", []) if Author.objects.filter(pk=i).exists()
        ]
        data["topic_ids"] = [
            i for i in content.get("topic_ids", []) if Topic.objects.filter(pk=i).exists()
        ]
        image_id = content.get("lead_image_id")
        data["lead_image_id"] = image_id if Image.objects.filter(pk=image_id).exists() else None
        _keep_what_they_may_not_set(user, story, data)
        cleaned = _check_story_fields(data, partial=True)
        _claim_version(story, expected_version)
        _apply_fields(story, cleaned, body)
        story.save()
        _apply_relations(story, cleaned)
        _record_revision(story, user, f"restored revision {revision_number}", body=body)
        if _published_in_feed(story):
            _record_event(story, EventKind.UPDATED, marked_update=False)
    return story


AUTOSAVE = "autosave"
AUTOSAVE_FIELDS = ("headline", "summary", "body")


def do_autosave_draft(user, story_id: int, data: dict[str, Any]) -> Revision:
    """Keep what someone is typing, without saving the story: an `autosave` revision holding
    the typed headline, summary and body on top of the story as stored.

    The story itself, its version and what readers see do not change, so an autosave can never
    publish or overwrite anybody's words; the editor offers the autosave back when it is newer
    than the last real save. Each person keeps one pending autosave per story (the previous one
    is replaced). Empty or half-typed fields are kept as typed: this is a safety net, not a save.
    """
    checker = FieldChecker(Story)
    typed = {key: checker.text(data, key, key.capitalize()) for key in AUTOSAVE_FIELDS}
    checker.raise_if_any()
    with transaction.atomic():
        story = _get_story(story_id)
        permissions.check_can_edit(user, story)
        story.revisions.filter(action=AUTOSAVE, created_by=user).filter(
            number__gt=_last_real_revision(story)
        ).delete()
        last = story.revisions.order_by("-number").values_list("number", flat=True).first() or 0
        return Revision.objects.create(
            story=story,
            number=last + 1,
            created_by=user,
            action=AUTOSAVE,
            content={**snapshot(story), **typed},
        )


def _last_real_revision(story: Story) -> int:
    real = story.revisions.exclude(action=AUTOSAVE).order_by("-number")
    return real.values_list("number", flat=True).first() or 0


def do_quick_post(user, headline: str, text: str, topic_ids: Iterable[int] = ()) -> Story:
    """Breaking news in one step: headline and text straight to a published feed update."""
    permissions.check_can_publish(user)
    data = {"headline": headline, "body": text, "kind": Kind.UPDATE, "topic_ids": list(topic_ids)}
    with transaction.atomic():
        story = do_create_story(user, data)
        story = do_publish_story(user, story.pk)
    return story


# ── image text ───────────────────────────────────────────────────────────────────────────────


def check_image_text(alt_text: str, caption: str, credit: str) -> tuple[str, str, str]:
    """The words that go with an image, checked; alt text is required."""
    checker = FieldChecker(Image)
    fields = {"alt_text": alt_text, "caption": caption, "credit": credit}
    alt = checker.text(fields, "alt_text", "Alt text", required=True)
    caption = checker.text(fields, "caption", "Caption")
    credit = checker.text(fields, "credit", "Credit")
    checker.raise_if_any()
    return alt, caption, credit


def do_update_image_text(user, image_id: int, *, alt_text: str, caption: str, credit: str) -> Image:
    """New alt text, caption or credit for an image, wherever it is used.

    An image on a published story is part of what readers see, so changing its words is an
    editor's action (`permissions.can_edit_image_text`) and a change to every published story
    using it: each gets a new version, a revision ("image text edited") and an `updated` feed
    event, in this one transaction, so live readers and every cache see the new words.
    """
    permissions.check_can_write(user)
    alt, caption, credit = check_image_text(alt_text, caption, credit)
    with transaction.atomic():
        image = None
        if parse_id(image_id) is not None:
            image = Image.objects.select_for_update().filter(pk=image_id).first()
        if image is None or not permissions.can_view_image_details(user, image):
            raise NotFound(permissions.image_refusal(image_id))
        permissions.check_can_edit_image_text(user, image)
        if (image.alt_text, image.caption, image.credit) == (alt, caption, credit):
            return image
        image.alt_text, image.caption, image.credit = alt, caption, credit
        image.save(update_fields=["alt_text", "caption", "credit"])
        published = Story.objects.filter(lead_image=image, status=Status.PUBLISHED).order_by("pk")
        for story in published.select_for_update():
            _claim_version(story, None)
            story.save()
            _record_revision(story, user, "image text edited")
            _record_event(story, EventKind.UPDATED, marked_update=False, image_id=image.pk)
    return image


# ── authors and topics ───────────────────────────────────────────────────────────────────────


def do_save_author(user, author_id: int | None, data: dict[str, Any]) -> Author:
    """Create (author_id None) or edit an author: name, role, bio, avatar, linked account."""
    permissions.check_can_manage_authors_and_topics(user)
    checker = FieldChecker(Author)
    name = checker.text(data, "name", "Name", required=True)
    role = checker.text(data, "role", "Role")
    bio = checker.text(data, "bio", "Bio")
    slug = checker.text(data, "slug", "Address (slug)") if data.get("slug") else ""
    avatar_id = _image_id(data.get("avatar_id"), "avatar_id", checker)
    if avatar_id is not None:
        current = Author.objects.filter(pk=author_id).values_list("avatar_id", flat=True).first()
        if avatar_id != current and not _usable_image(user, avatar_id):
            checker.add("avatar_id", permissions.image_refusal(avatar_id))
    linked = data.get("user")
    if linked is not None:
        # One account, one author profile: the link is unique, so say so instead of crashing.
        other = Author.objects.filter(user=linked).exclude(pk=author_id).first()
        if other is not None:
            checker.add(
                "user",
                f"The account {linked.get_username()!r} is already linked to {other.name}. "
                "Unlink it there first, or choose another account.",
            )
    checker.raise_if_any()

    def write(attempt: int) -> Author:
        with transaction.atomic():
            author = (
                Author.objects.select_for_update().filter(pk=author_id).first()
                if author_id
                else Author()
            )
            if author is None:
                raise NotFound(f"There is no author with id {author_id}.")
            author.name, author.role, author.bio = name, role, bio
            if "avatar_id" in data:
                author.avatar_id = avatar_id
            if slug or not author.slug:
                author.slug = _unique_slug(
                    Author,
                    base_slug(slug or name, "author", Author),
                    exclude_id=author.pk,
                    spread=attempt,
                )
            if "user" in data:
                author.user = data["user"]
            renamed = author.pk is not None and Author.objects.get(pk=author.pk).name != name
            author.save()
            catalogue_saved.send(sender=Author, instance=author, renamed=renamed)
        return author

    return _retrying_taken_slug(write)


def do_save_topic(user, topic_id: int | None, data: dict[str, Any]) -> Topic:
    """Create (topic_id None) or edit a topic."""
    permissions.check_can_manage_authors_and_topics(user)
    checker = FieldChecker(Topic)
    name = checker.text(data, "name", "Name", required=True)
    description = checker.text(data, "description", "Description")
    slug = checker.text(data, "slug", "Address (slug)") if data.get("slug") else ""
    checker.raise_if_any()

    def write(attempt: int) -> Topic:
        with transaction.atomic():
            topic = (
                Topic.objects.select_for_update().filter(pk=topic_id).first()
                if topic_id
                else Topic()
            )
            if topic is None:
                raise NotFound(f"There is no topic with id {topic_id}.")
            topic.name, topic.description = name, description
            if slug or not topic.slug:
                topic.slug = _unique_slug(
                    Topic,
                    base_slug(slug or name, "topic", Topic),
                    exclude_id=topic.pk,
                    spread=attempt,
                )
            renamed = topic.pk is not None and Topic.objects.get(pk=topic.pk).name != name
            topic.save()
            catalogue_saved.send(sender=Topic, instance=topic, renamed=renamed)
        return topic

    return _retrying_taken_slug(write)
