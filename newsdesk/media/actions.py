"""Writes for images: upload (checked, cleaned, rendered) and metadata edits."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from newsdesk.media.models import Image
from newsdesk.media.processing import ACCEPTED_FORMATS, process_upload
from newsdesk.stories import permissions
from newsdesk.stories.validation import FieldChecker


def read_upload(uploaded, max_bytes: int | None = None) -> bytes:
    """The bytes of an uploaded file, reading at most one byte past the limit."""
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    return uploaded.read(limit + 1)


def _check_image_text(alt_text: str, caption: str, credit: str) -> tuple[str, str, str]:
    """The words that go with an image, checked; alt text is required."""
    checker = FieldChecker()
    fields = {"alt_text": alt_text, "caption": caption, "credit": credit}
    alt = checker.text(fields, "alt_text", "Alt text", required=True)
    caption = checker.text(fields, "caption", "Caption")
    credit = checker.text(fields, "credit", "Credit")
    checker.raise_if_any()
    return alt, caption, credit


def do_upload_image(
    user, data: bytes, *, alt_text: str, caption: str = "", credit: str = ""
) -> Image:
    """Store a checked, metadata-free image with its renditions. Alt text is required: every
    image on a page must say what it shows to a reader who cannot see it."""
    permissions.check_can_upload(user)
    alt, caption, credit = _check_image_text(alt_text, caption, credit)
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


def do_update_image_text(user, image_id: int, *, alt_text: str, caption: str, credit: str) -> Image:
    permissions.check_can_upload(user)
    alt, caption, credit = _check_image_text(alt_text, caption, credit)
    with transaction.atomic():
        image = Image.objects.select_for_update().get(pk=image_id)
        image.alt_text, image.caption, image.credit = alt, caption, credit
        image.save(update_fields=["alt_text", "caption", "credit"])
    return image
