"""Image checks and renditions, decided by the file's content, never its name.

An upload is opened with Pillow, which must recognise it as JPEG, PNG or WebP; it is turned upright
(EXIF orientation), re-encoded without any metadata (GPS included), and rendered at a few widths in
WebP plus the original format, for `srcset`. Nothing touches storage until every step succeeded.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass, field

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from newsdesk.core.errors import InvalidInput
from newsdesk.stories.models import IMAGE_FORMATS

ACCEPTED_FORMATS = IMAGE_FORMATS
RENDITION_WIDTHS = (400, 800, 1600)
# Beyond this many pixels an image is more likely a decompression bomb than a photo.
MAX_PIXELS = 50_000_000
MAX_SIDE = 20_000
# The longest side the WebP format can hold. Renditions (WebP, and the original's format at the
# same size) fit in (slot width × WEBP_MAX_SIDE), so a very tall image (a 1×19,999 strip, a
# long infographic) gets renditions every encoder can write; originals up to MAX_SIDE are kept
# in their own format (JPEG holds 65,535 px a side, PNG more; a WebP upload is never larger).
WEBP_MAX_SIDE = 16_383


@dataclass
class ProcessedImage:
    format: str
    width: int
    height: int
    original: bytes
    sha256: str
    # (width, height, format-extension, bytes)
    renditions: list[tuple[int, int, str, bytes]] = field(default_factory=list)


# What an encoder may carry over from the upload: colour, nothing people wrote into the file
# (a JPEG comment or XMP packet can hold HTML or script, making the stored file a polyglot).
_KEPT_INFO = {"icc_profile", "transparency", "dpi"}


def _encode(image: PILImage.Image, fmt: str) -> bytes:
    image.info = {key: value for key, value in image.info.items() if key in _KEPT_INFO}
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "WEBP", quality=82, method=4)
    return buffer.getvalue()


def _open_checked(data: bytes, max_bytes: int) -> PILImage.Image:
    if not data:
        raise InvalidInput("The file is empty. Choose a JPEG, PNG or WebP image.")
    if len(data) > max_bytes:
        raise InvalidInput(
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{max_bytes / 1_048_576:.0f} MB. Export a smaller JPEG or WebP and try again."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            probe = PILImage.open(io.BytesIO(data))
            probe.verify()
            image = PILImage.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise InvalidInput(
                    f"This is a {image.format or 'unknown'} file; only JPEG, PNG and WebP images "
                    "are accepted."
                )
            width, height = image.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise InvalidInput(
                    f"The image is {width:,}×{height:,} pixels, too large to process safely: "
                    f"keep it under {MAX_PIXELS // 1_000_000} megapixels and {MAX_SIDE:,} pixels "
                    "on its longest side."
                )
            image.load()
    except InvalidInput:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise InvalidInput(
            "The image declares an enormous size (a decompression bomb?); it was refused."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise InvalidInput(
            "This file is not a readable image (it may be truncated or not an image at all). "
            "Choose a JPEG, PNG or WebP image."
        ) from None
    return image


def process_upload(data: bytes, *, max_bytes: int) -> ProcessedImage:
    """Check and convert an uploaded image; raises InvalidInput with a message for the uploader."""
    image = _open_checked(data, max_bytes)
    fmt = image.format
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)  # animated images keep their first frame: no autoplaying motion on pages
    image = ImageOps.exif_transpose(image)
    if image.mode not in {"RGB", "RGBA", "L", "LA"}:
        image = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
    if fmt == "JPEG":
        image = image.convert("RGB")
    original = _encode(image, fmt)
    result = ProcessedImage(
        format=fmt,
        width=image.width,
        height=image.height,
        original=original,
        sha256=hashlib.sha256(original).hexdigest(),
    )
    sizes = []
    for width in RENDITION_WIDTHS:
        if width >= image.width and width != RENDITION_WIDTHS[0]:
            break  # the original is no wider: the last rendition was already at most its width
        size = rendition_size(image.width, image.height, width)
        if sizes and size[0] <= sizes[-1][0]:
            break  # a very tall image: the height limit already made the last one this narrow
        sizes.append(size)
    for size in sizes:
        resized = image.resize(size, PILImage.Resampling.LANCZOS)
        result.renditions.append((*size, "webp", _encode(resized, "WEBP")))
        if fmt != "WEBP":
            result.renditions.append((*size, ACCEPTED_FORMATS[fmt], _encode(resized, fmt)))
    return result


def rendition_size(width: int, height: int, target_width: int) -> tuple[int, int]:
    """The size of the rendition for `target_width`: the image scaled down (never up) to fit
    in target_width × WEBP_MAX_SIDE, keeping its proportions; each side at least 1 px."""
    scale = min(1.0, target_width / width, WEBP_MAX_SIDE / height)
    return (
        min(max(1, round(width * scale)), target_width),
        min(max(1, round(height * scale)), WEBP_MAX_SIDE),
    )
