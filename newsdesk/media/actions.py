"""Writes for images: upload (checked, cleaned, rendered).

Changing an image's words is `do_update_image_text`, written in `stories.actions` (and named here
too): on a published story it is a change to the story (a revision and a feed event), which
belongs with the other story writes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from newsdesk.media.processing import ACCEPTED_FORMATS, process_upload
from newsdesk.stories import permissions
from newsdesk.stories.actions import check_image_text, do_update_image_text
from newsdesk.stories.models import Image

__all__ = ["do_update_image_text", "do_upload_image", "read_upload"]


def read_upload(uploaded, max_bytes: int | None = None) -> bytes:
    """The bytes of an uploaded file, reading at most one byte past the limit."""
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    return uploaded.read(limit + 1)


def do_upload_image(
    user, data: bytes, *, alt_text: str, caption: str = "", credit: str = ""
) -> Image:
    """Store a checked, metadata-free image with its renditions. Alt text is required: every
    image on a page must say what it shows to a reader who cannot see it."""
    permissions.check_can_upload(user)
    alt, caption, credit = check_image_text(alt_text, caption, credit)
    processed = process_upload(data, max_bytes=settings.MAX_UPLOAD_BYTES)
    stem = f"images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"
    ext = ACCEPTED_FORMATS[processed.format]
    written: list[str] = []
    try:
        with transaction.atomic():
            original_name = default_storage.save(f"{stem}.{ext}", ContentFile(processed.original))
            written.append(original_name)
            renditions = []
            for width, height, fmt, content in processed.renditions:
                name = default_storage.save(f"{stem}-{width}.{fmt}", ContentFile(content))
                written.append(name)
                renditions.append({"width": width, "height": height, "format": fmt, "name": name})
            image = Image.objects.create(
                file=original_name,
                format=processed.format,
                width=processed.width,
                height=processed.height,
                alt_text=alt,
                caption=caption,
                credit=credit,
                renditions=renditions,
                sha256=processed.sha256,
                uploaded_by=user if user is not None and user.is_authenticated else None,
            )
    except BaseException:
        # Nothing half-saved: files written before a failure are removed again.
        for name in written:
            default_storage.delete(name)
        raise
    return image
