"""Images made in memory with Pillow, for upload tests and for stories that need a lead image."""

from __future__ import annotations

import io

from PIL import Image


def image_bytes(
    fmt: str = "JPEG", size: tuple[int, int] = (1000, 600), color=(200, 80, 40), **save
) -> bytes:
    mode = "RGBA" if fmt == "PNG" else "RGB"
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **save)
    return buffer.getvalue()
