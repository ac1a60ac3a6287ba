"""Reads about images that reader-facing code needs: which uploaded files the public may fetch.

An upload is private until the newsroom uses it where readers can see it: as the lead image of a
published story, inside a published story's body, or as an author's avatar (author pages are
public). A draft's lead image is therefore not served to anonymous readers even by its exact
address, so an embargoed photo cannot leak before its story goes out.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Q

from newsdesk.stories.inline_images import inline_image_ids
from newsdesk.stories.models import Author, Image, Status, Story

# Renditions are stored as "<stem>-<width>.<ext>" beside the original "<stem>.<ext>".
_RENDITION = re.compile(r"^(?P<stem>.+?)(?:-\d+)?\.[A-Za-z0-9]+$")
# Surrogate-Keys are a header: a photo used by hundreds of stories names the first ones (any
# takedown of a story purges the `feed` key and that story's own images anyway).
MAX_KEYED = 50
# What follows MEDIA_URL in a file's address (the pattern is built per call: settings are never
# read at import time).
_FILE_PATH = r"([^\"'\s?#<>()]+)"


def image_for_file(name: str) -> Image | None:
    """The Image an uploaded file (original or rendition) belongs to, or None."""
    match = _RENDITION.match(name)
    if match is None:
        return None
    stem = match.group("stem")
    for image in Image.objects.filter(file__startswith=f"{stem}."):
        names = {image.file.name, *(r.get("name") for r in image.renditions)}
        if name in names:
            return image
    return None


def public_file_keys(name: str) -> list[str] | None:
    """The Surrogate-Keys of an uploaded file readers may fetch (`image-<id>`, then `story-<id>`
    of each published story showing it and `author-<id>` of each author wearing it), so a cache
    in front of us can drop it when one of them is taken down; None when the file is private:
    its stories were unpublished (and no other published story or author uses it) or never
    published."""
    image = image_for_file(name)
    if image is None:
        return None
    stem = _RENDITION.match(image.file.name).group("stem")
    stories = (
        Story.objects.filter(status=Status.PUBLISHED)
        .filter(Q(lead_image=image) | Q(body_html__contains=stem))
        .order_by("pk")
        .values_list("pk", flat=True)[:MAX_KEYED]
    )
    authors = Author.objects.filter(avatar=image).order_by("pk").values_list("pk", flat=True)
    keys = [f"story-{pk}" for pk in stories] + [f"author-{pk}" for pk in authors[:MAX_KEYED]]
    return [f"image-{image.pk}", *keys] if keys else None


def _image_ids_in(text: str) -> set[int]:
    """Images whose files a story body (Markdown or HTML) names by their /media/ address."""
    ids = set()
    media_path = re.compile(re.escape(settings.MEDIA_URL) + _FILE_PATH)
    for path in set(media_path.findall(text or "")):
        image = image_for_file(path)
        if image is not None:
            ids.add(image.pk)
    return ids


def image_ids_of_story(story: Story) -> list[int]:
    """Every image a story shows: its lead image and the images in its body. What a cache in
    front of us must drop when the story is taken down."""
    ids = {story.lead_image_id} if story.lead_image_id else set()
    return sorted(ids | _image_ids_in(story.body_html))


def image_ids_dropped_by_last_save(story: Story) -> list[int]:
    """Images the revision before the last showed and the story no longer does (an edit that
    swapped the lead photo or cut one from the body): the ones an edit may have made private."""
    before = story.revisions.order_by("-number").values_list("content", flat=True)[1:2]
    dropped: set[int] = set()
    for content in before:
        if not isinstance(content, dict):
            continue
        lead = content.get("lead_image_id")
        dropped |= {lead} if isinstance(lead, int) else set()
        dropped |= _image_ids_in(str(content.get("body", "")))
        dropped |= inline_image_ids(str(content.get("body", "")))  # "[image N]" lines
    return sorted(dropped - set(image_ids_of_story(story)))
