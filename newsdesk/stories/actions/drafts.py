"""Writing a story: create, save (also as a marked update), restore a revision, autosave."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from newsdesk.core.errors import InvalidInput, NotFound
from newsdesk.core.validation import FieldChecker, base_slug
from newsdesk.stories import permissions
from newsdesk.stories.actions.common import (
    claim_version,
    ever_published,
    get_story,
    published_in_feed,
    record_event,
    record_revision,
    retrying_taken_slug,
    snapshot,
    unique_slug,
)
from newsdesk.stories.actions.fields import (
    apply_fields,
    apply_relations,
    check_allowed_fields,
    check_story_fields,
    create_own_profile,
    default_authors,
    keep_what_they_may_not_set,
    known_embeds,
    needs_own_profile,
    prepare_with_embeds,
    render_body,
)
from newsdesk.stories.actions.translations import check_language_free
from newsdesk.stories.models import (
    Author,
    EventKind,
    Image,
    Kind,
    Revision,
    Status,
    Story,
    Topic,
)


def do_create_story(user, data: dict[str, Any], *, revision_action: str = "created") -> Story:
    """A new draft. Authors default to the writer's own author profile; a contributor who has
    none gets one, made in the same transaction (`fields.create_own_profile`)."""
    permissions.check_can_write(user)
    cleaned = check_story_fields(data, partial=False)
    check_allowed_fields(user, None, cleaned)
    if not cleaned["author_ids"]:
        cleaned["author_ids"] = default_authors(user)
    body = render_body(cleaned)

    def write(attempt: int) -> Story:
        with transaction.atomic():
            fields = cleaned
            if not cleaned["author_ids"] and needs_own_profile(user):
                # Not kept in `cleaned`: a retried write has rolled this profile back.
                fields = {**cleaned, "author_ids": [create_own_profile(user, attempt=attempt).pk]}
            story = Story(created_by=user, status=Status.DRAFT)
            apply_fields(story, fields, body)
            wanted = fields.get("slug") or base_slug(story.headline, "story", Story)
            story.slug = unique_slug(Story, wanted, spread=attempt)
            story.save()
            apply_relations(story, fields)
            record_revision(story, user, revision_action, body=body)
        return story

    return retrying_taken_slug(write)


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
    cleaned = check_story_fields(data, partial=True, entry=_is_entry(story_id))
    if "embeds" in cleaned and "body" not in cleaned:
        # Words typed for an embed change how the body is drawn: it is drawn again.
        cleaned["body"] = Story.objects.filter(pk=story_id).values_list("body", flat=True).first()
        if cleaned["body"] is None:
            raise NotFound("There is no such story.")
    body = render_body(cleaned, known=known_embeds(story_id))
    with transaction.atomic():
        story = get_story(story_id)
        permissions.check_can_edit(user, story)
        check_allowed_fields(user, story, cleaned)
        if "language" in cleaned:
            check_language_free(story, cleaned["language"])
        if mark_as_update:
            permissions.check_can_publish(user)
            if not published_in_feed(story):
                raise InvalidInput("Only a published story can be marked as updated.")
        if "slug" in cleaned and cleaned["slug"] != story.slug:
            if ever_published(story):
                raise InvalidInput(
                    "The address of a story that has been published cannot change: "
                    "readers' links and search engines point at it.",
                    fields={"slug": ["Keep the published address."]},
                )
            story.slug = unique_slug(Story, cleaned["slug"], exclude_id=story.pk)
        elif _first_headline(story, cleaned) or _translated_headline(story, cleaned):
            wanted = base_slug(cleaned["headline"], "story", Story)
            story.slug = unique_slug(Story, wanted, exclude_id=story.pk)
        claim_version(story, expected_version)
        apply_fields(story, cleaned, body)
        if mark_as_update:
            story.updated_at = timezone.now()
        story.save()
        apply_relations(story, cleaned)
        record_revision(story, user, "marked as update" if mark_as_update else "saved", body=body)
        if published_in_feed(story):
            record_event(story, EventKind.UPDATED, marked_update=mark_as_update)
    return story


def _first_headline(story: Story, cleaned: dict[str, Any]) -> bool:
    """A draft created by autosave before it had a headline gets its address from its first one."""
    return (
        story.headline == UNTITLED
        and cleaned.get("headline", UNTITLED) != UNTITLED
        and "slug" not in cleaned
        and not ever_published(story)
    )


def _translated_headline(story: Story, cleaned: dict[str, Any]) -> bool:
    """A translation takes its address from its own headline until it is first published: it
    starts with the original's (`actions.translations`), which must not stay in the address of
    the other language, where it would outlive the original's unpublishing."""
    return (
        story.translation_of_id is not None
        and cleaned.get("headline", story.headline) != story.headline
        and cleaned.get("slug", story.slug) == story.slug
        and not ever_published(story)
    )


def do_restore_revision(
    user, story_id: int, revision_number: int, *, expected_version: int | None
) -> Story:
    """Bring back an earlier revision's words, byline, topics and image (history is never
    rewritten). Flags (breaking, pinned), status, publication times and corrections stay as they
    are now: restoring is an edit, never a publish.

    On a draft (or a scheduled or unpublished story) the restore is a new save. On a published
    story nothing readers see changes: the restored headline, summary and body become this
    person's pending change (an autosave revision with `restored_from`), which the editor opens in
    the form and then saves as a silent fix or publishes as an update, like any edit.
    """
    # Revisions never change, so the body can be rendered before the transaction opens.
    old_content = (
        Revision.objects.filter(story_id=story_id, number=revision_number)
        .values_list("content", flat=True)
        .first()
    )
    body = None
    if isinstance(old_content, dict) and isinstance(old_content.get("body"), str):
        body = prepare_with_embeds(old_content["body"], known=known_embeds(story_id), fetch=True)
    with transaction.atomic():
        story = get_story(story_id)
        permissions.check_can_edit(user, story)
        revision = story.revisions.filter(number=revision_number).first()
        if revision is None:
            raise NotFound(f"This story has no revision {revision_number}.")
        content = revision.content
        if published_in_feed(story):
            if expected_version is not None and expected_version != story.version:
                claim_version(story, expected_version)  # raises the usual conflict
            _keep_pending_restore(user, story, revision)
            return story
        data = {
            key: content.get(key) for key in ("headline", "summary", "body", "kind", "language")
        }
        data["author_ids"] = [
            i for i in content.get("author_ids", []) if Author.objects.filter(pk=i).exists()
        ]
        data["topic_ids"] = [
            i for i in content.get("topic_ids", []) if Topic.objects.filter(pk=i).exists()
        ]
        image_id = content.get("lead_image_id")
        data["lead_image_id"] = image_id if Image.objects.filter(pk=image_id).exists() else None
        keep_what_they_may_not_set(user, story, data)
        cleaned = check_story_fields(data, partial=True, entry=story.kind == Kind.ENTRY)
        claim_version(story, expected_version)
        apply_fields(story, cleaned, body)
        story.save()
        apply_relations(story, cleaned)
        record_revision(story, user, f"restored revision {revision_number}", body=body)
    return story


def _keep_pending_restore(user, story: Story, revision: Revision) -> Revision:
    """A published story's restore: the old words as this person's pending change."""
    old = revision.content
    words = {key: old.get(key) or "" for key in AUTOSAVE_FIELDS}
    return _replace_own_autosave(user, story, {**words, "restored_from": revision.number})


def _replace_own_autosave(user, story: Story, words: dict) -> Revision:
    """This person's one pending autosave of the story (since its last real revision), now
    holding `words` over the story as it is saved."""
    story.revisions.filter(action=AUTOSAVE, created_by=user).filter(
        number__gt=_last_real_revision(story)
    ).delete()
    last = story.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return Revision.objects.create(
        story=story,
        number=last + 1,
        created_by=user,
        action=AUTOSAVE,
        content={**snapshot(story), **words},
    )


def _is_entry(story_id) -> bool:
    """Whether the story is a live entry (its headline is optional and its kind fixed)."""
    try:
        kind = Story.objects.filter(pk=story_id).values_list("kind", flat=True).first()
    except (ValueError, TypeError):
        return False
    return kind == Kind.ENTRY


AUTOSAVE = "autosave"
AUTOSAVE_FIELDS = ("headline", "summary", "body")
# The headline of a story created by its first autosave before a headline was typed.
UNTITLED = "Untitled draft"


def do_autosave_new_story(user, data: dict[str, Any]) -> Story:
    """The first autosave of a story never saved: create it as a draft with what was typed, so a
    closed tab loses nothing. Until a headline is typed it is called `UNTITLED`, and its address
    follows the first real headline it is saved with (see `do_update_story`)."""
    checker = FieldChecker(Story)
    typed = {key: checker.text(data, key, key.capitalize()) for key in AUTOSAVE_FIELDS}
    checker.raise_if_any()
    fields: dict[str, Any] = {**typed, "headline": typed["headline"].strip() or UNTITLED}
    for key in ("kind", "language"):
        if data.get(key):
            fields[key] = data.get(key)
    return do_create_story(user, fields, revision_action="created by autosave")


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
        story = get_story(story_id)
        permissions.check_can_edit(user, story)
        return _replace_own_autosave(user, story, typed)


def _last_real_revision(story: Story) -> int:
    real = story.revisions.exclude(action=AUTOSAVE).order_by("-number")
    return real.values_list("number", flat=True).first() or 0
