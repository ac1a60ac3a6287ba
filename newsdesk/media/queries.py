"""Reads about images that reader-facing code needs: which uploaded files the public may fetch.

An upload is private until the newsroom uses it where readers can see it: as the lead image of a
published story, inside a published story's body, or as an author's avatar (author pages are
public). A draft's lead image is therefore not served to anonymous readers even by its exact
address, so an embargoed photo cannot leak before its story goes out.
"""

from __future__ import annotations

import re

from django.db.models import Q

from newsdesk.media.models import Image
from newsdesk.stories.models import Author, Status, Story

# Renditions are stored as "<stem>-<width>.<ext>" beside the original "<stem>.<ext>".
_RENDITION = re.compile(r"^(?P<stem>.+?)(?:-\d+)?\.[A-Za-z0-9]+$")


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


def is_public_file(name: str) -> bool:
    """True when readers may fetch this uploaded file (see the module docstring)."""
    image = image_for_file(name)
    if image is None:
        return False
    published = Story.objects.filter(status=Status.PUBLISHED)
    if published.filter(lead_image=image).exists():
        return True
    if Author.objects.filter(avatar=image).exists():
        return True
    stem = _RENDITION.match(image.file.name).group("stem")
    return published.filter(Q(body_html__contains=stem)).exists()
