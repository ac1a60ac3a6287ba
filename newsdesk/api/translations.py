"""Translations for API clients (issue 19): a story's other languages, starting a translation,
and the desk's lists of what needs one.

`GET /stories/{id}/translations` answers like the story itself: anonymously for a published
story, its published languages only (an unpublished original or translation is never named);
with a token that may open the story at the desk, every language of it the token may open, with
its status and whether it needs an update. The writes and the desk's lists need a token."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Schema
from ninja import Status as Answer

from newsdesk.api.auth import request_user
from newsdesk.api.read import router
from newsdesk.api.schemas import StoryOut, Strict
from newsdesk.api.write import ERRORS, WRITE, _fresh
from newsdesk.core.errors import NotFound
from newsdesk.core.validation import max_length
from newsdesk.stories import actions, desk_queries, permissions, queries, translations
from newsdesk.stories.models import Story

TRANSLATIONS = {**WRITE, "tags": ["translations"]}


class TranslateIn(Strict):
    language: str = Field(
        max_length=max_length(Story, "language"),
        description="One of the site's languages (e.g. 'uk'), not the story's own",
    )


class TranslationOut(Schema):
    id: int
    language: str
    headline: str
    url: str = Field(description="Its address for readers (only meaningful once published)")
    status: str
    is_original: bool = Field(description="The story the others were translated from")
    needs_update: bool = Field(
        description="A translation older than its original's last update for readers"
    )
    updated_for_readers_at: dt.datetime | None = Field(
        None, description="When readers were last told it changed (updated, else published)"
    )


def _out(story: Story, *, is_original: bool, needs_update: bool) -> dict:
    return {
        "id": story.pk,
        "language": story.language,
        "headline": story.headline,
        "url": settings.SITE_URL + story.get_absolute_url(),
        "status": story.status,
        "is_original": is_original,
        "needs_update": needs_update,
        "updated_for_readers_at": story.updated_at or story.published_at,
    }


@router.get(
    "/stories/{story_id}/translations",
    response={200: list[TranslationOut], **ERRORS},
    summary="The story in its other languages",
    tags=["read", "translations"],
)
def story_translations(request: HttpRequest, story_id: int):
    """Its other languages: published ones for anyone (of a published story); with a token that
    may open the story at the desk, all it may open, drafts included."""
    user = request_user(request, required=False)  # a wrong token is a 401, even here
    story = Story.objects.filter(pk=story_id).first() if 1 <= story_id < 2**63 else None
    desk = story is not None and user is not None and permissions.can_view_in_desk(user, story)
    if desk:
        return [
            _out(m.story, is_original=m.is_original, needs_update=m.needs_update)
            for m in translations.desk_group(story)
            if m.story.is_published or permissions.can_view_in_desk(user, m.story)
        ]
    if story is None or not queries.published().filter(pk=story.pk).exists():
        raise NotFound("There is no published story here (or your token may not see it).")
    root = translations.original_id(story)
    return [
        _out(a.story, is_original=a.story.pk == root, needs_update=False)
        for a in translations.published_alternates(story)
        if a.story.pk != story.pk
    ]


@router.post(
    "/stories/{story_id}/translations",
    response={201: StoryOut, **ERRORS},
    summary="Start a translation of a story",
    **TRANSLATIONS,
)
def create_translation(request: HttpRequest, story_id: int, payload: TranslateIn):
    """A new draft in `language` with the story's words, byline, topics and image, linked to
    it. Publish it like any story. A live entry's translation goes into its coverage's
    translation, which must exist."""
    story = actions.do_create_translation(request.auth, story_id, payload.language)
    return Answer(201, _fresh(story.pk))


@router.get(
    "/translations/needs-update",
    response={200: list[TranslationOut], **ERRORS},
    summary="Translations older than their original's last update",
    **TRANSLATIONS,
)
def needs_update(request: HttpRequest):
    """Translations whose published original was updated for readers after their words were
    last saved (contributors: their own stories), most recently changed first."""
    stories = desk_queries.desk_stories(request.auth, translation="needs_update", limit=200)
    return [_out(s, is_original=False, needs_update=True) for s in stories]


@router.get(
    "/translations/missing/{language}",
    response={200: list[TranslationOut], **ERRORS},
    summary="Stories with no translation into a language",
    **TRANSLATIONS,
)
def missing(request: HttpRequest, language: str):
    """Originals (not live entries) with no translation into `language` yet, drafts included
    (contributors: their own stories), most recently changed first."""
    if language not in translations.language_codes():
        raise NotFound(
            f"This site has no language {language[:20]!r}: "
            f"use one of {', '.join(translations.language_codes())}."
        )
    stories = desk_queries.desk_stories(request.auth, translation=f"missing_{language}", limit=200)
    return [_out(s, is_original=True, needs_update=False) for s in stories]
