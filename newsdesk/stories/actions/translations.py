"""Starting a translation: a new draft in another language, made from a story and linked to it.

The draft starts from the story's words and everything around them (headline, summary, body,
kind, byline, topics, lead image); the translator then rewrites the words and an editor
publishes it like any story. Publishing, corrections and unpublishing stay each story's own:
nothing here, or anywhere, changes one member of a group because another changed. What the link
shows readers is decided by `stories.translations`, which only ever shows published members.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from newsdesk.core.errors import InvalidInput
from newsdesk.core.validation import max_length
from newsdesk.stories import permissions, translations
from newsdesk.stories.actions.common import (
    get_story,
    record_revision,
    retrying_taken_slug,
    unique_slug,
)
from newsdesk.stories.actions.fields import apply_fields, apply_relations, render_body
from newsdesk.stories.models import Kind, Revision, Status, Story

# A translation's address is the original's with the language after it, e.g. storm-verity-uk.
SLUG_ROOM = 8


def check_language_free(story: Story, language: str) -> None:
    """Refuse a language another member of the story's group is already written in: a group
    has one story per language (a save that changes a translation's language passes here)."""
    if language == story.language or (
        story.translation_of_id is None and not story.translations.exists()
    ):
        return
    taken = translations.language_taken(story, language)
    if taken is not None:
        message = (
            f"“{taken.headline}” is already this story in {translations.language_name(language)}"
            " (a story has one translation per language)."
        )
        raise InvalidInput(message, fields={"language": [message]})


def _check_language(story: Story, language: str) -> str:
    language = (language or "").strip()
    codes = translations.language_codes()
    if language not in codes:
        message = f"Choose one of the site's languages: {', '.join(codes)}."
        raise InvalidInput(message, fields={"language": [message]})
    if language == story.language:
        message = (
            f"This story is already in {translations.language_name(language)}: "
            "choose another language."
        )
        raise InvalidInput(message, fields={"language": [message]})
    return language


def _translated_coverage(entry: Story, language: str) -> Story:
    """The live coverage an entry's translation goes into: its coverage's translation."""
    coverage = Story.objects.get(pk=entry.coverage_id)
    found = translations.language_taken(coverage, language)
    if found is None and coverage.language == language:
        found = coverage
    if found is None or found.kind != Kind.LIVE:
        raise InvalidInput(
            f"Translate the live coverage “{coverage.headline}” into "
            f"{translations.language_name(language)} first: the entry's translation is posted "
            "into that coverage."
        )
    if found.ended_at is not None:
        raise InvalidInput(
            "The translated live coverage has ended: entries can no longer be posted into it."
        )
    return found


def do_create_translation(user, story_id: int, language: str) -> Story:
    """A new draft in `language` from the story `story_id`, linked to the group's original.

    For a live entry, the draft is an entry of the coverage's translation into `language`
    (which must exist). A group holds one story per language; asking again for a language it
    has is refused with the name of the story that has it.
    """
    permissions.check_can_write(user)
    source = get_story(story_id, lock=False)
    permissions.check_can_translate(user, source)
    language = _check_language(source, language)
    coverage = _translated_coverage(source, language) if source.kind == Kind.ENTRY else None
    fields = {
        "headline": source.headline,
        "summary": source.summary,
        "body": source.body,
        "kind": source.kind,
        "language": language,
        "lead_image_id": source.lead_image_id,
        # The byline and image are copied as they are: the draft is the same story, and the
        # people and picture were chosen by whoever may set them on the original.
        "author_ids": list(
            source.author_links.order_by("position").values_list("author_id", flat=True)
        ),
        "topic_ids": list((coverage or source).topics.values_list("pk", flat=True)),
    }
    body = render_body(fields)
    root_id = translations.original_id(source)

    def write(attempt: int) -> Story:
        with transaction.atomic():
            root = get_story(root_id)  # locked: two translators of one story take turns
            taken = translations.language_taken(root, language)
            if taken is not None or root.language == language:
                taken = taken or root
                message = (
                    f"This story already has a {translations.language_name(language)} version: "
                    f"“{taken.headline}” (id {taken.pk})."
                )
                raise InvalidInput(message, fields={"language": [message]})
            story = Story(
                created_by=user,
                status=Status.DRAFT,
                translation_of=root,
                translated_at=timezone.now(),
                coverage=coverage,
            )
            apply_fields(story, fields, body)
            if coverage is not None:
                wanted = f"{coverage.slug}-entry"
            else:
                room = max_length(Story, "slug") - SLUG_ROOM
                wanted = f"{source.slug[:room].rstrip('-')}-{language.lower()}"
            story.slug = unique_slug(Story, wanted, spread=attempt)
            story.save()
            apply_relations(story, fields)
            action = f"translated from story {source.pk}"[: max_length(Revision, "action")]
            record_revision(story, user, action, body=body)
        return story

    return retrying_taken_slug(write)
