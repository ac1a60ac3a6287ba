"""Helpers for the desk's tests: form data as the editor page sends it, and real images."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_file(name: str = "harbour.jpg", size: tuple[int, int] = (900, 600)) -> SimpleUploadedFile:
    """A real JPEG made by Pillow, wide enough to get several renditions."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def story_form(story=None, **fields) -> dict:
    """The editor's fields as a browser posts them; `story` supplies what is stored now."""
    data = {
        "headline": story.headline if story else "Ferry timetable changes from Monday",
        "summary": story.summary if story else "",
        "body": story.body if story else "The evening crossing moves to 19:30.",
        "kind": story.kind if story else "update",
        "language": story.language if story else "en",
        "action": "save",
    }
    if story is not None:
        data["version"] = str(story.version)
        data["author_ids"] = [str(a.pk) for a in story.ordered_authors()]
        data["topic_ids"] = [str(pk) for pk in story.topics.values_list("pk", flat=True)]
    data.update(fields)
    return data


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def contributor_client(client, contributor):
    client.force_login(contributor)
    return client
