"""Image uploads: what is accepted, what is refused, and that nothing private or broken is kept."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from PIL import ExifTags
from PIL import Image as PILImage

from newsdesk.core.errors import InvalidInput, NotAllowed
from newsdesk.media.actions import do_upload_image
from newsdesk.stories import actions
from newsdesk.stories.models import Image
from tests.media.imagefiles import image_bytes

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def open_stored(name: str) -> PILImage.Image:
    return PILImage.open(Path(settings.MEDIA_ROOT) / name)


def png_header_only(width: int, height: int) -> bytes:
    """A valid PNG whose header claims width×height, with almost no pixel data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(("fmt", "ext"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_accepted_formats_get_renditions_in_webp_and_their_own_format(contributor, fmt, ext):
    """JPEG, PNG and WebP are kept, with 400/800/1600 renditions no wider than the original."""
    image = do_upload_image(contributor, image_bytes(fmt, (1200, 800)), alt_text="A test card")
    image.refresh_from_db()
    assert (image.format, image.width, image.height) == (fmt, 1200, 800)
    expected = {(w, round(800 * w / 1200), "webp") for w in (400, 800)}
    if fmt != "WEBP":
        expected |= {(w, round(800 * w / 1200), ext) for w in (400, 800)}
    assert {(r["width"], r["height"], r["format"]) for r in image.renditions} == expected
    names = [image.file.name, *(r["name"] for r in image.renditions)]
    assert sorted(Path(settings.MEDIA_ROOT) / n for n in names) == stored_files()
    assert image.file.name.endswith(f".{ext}")
    for rendition in image.renditions:
        with open_stored(rendition["name"]) as stored:
            assert stored.size == (rendition["width"], rendition["height"])
            assert stored.format == ("WEBP" if rendition["format"] == "webp" else fmt)
    assert image.uploaded_by == contributor


def test_large_image_gets_all_three_widths(editor):
    """A 2000px-wide photo gets 400, 800 and 1600 renditions."""
    image = do_upload_image(editor, image_bytes("JPEG", (2000, 1000)), alt_text="Wide")
    assert sorted({r["width"] for r in image.renditions}) == [400, 800, 1600]
    assert image.srcset().count("w, ") == 2  # three JPEG candidates


def test_small_image_still_gets_a_400_slot_at_its_own_width(editor):
    """An image narrower than 400px is not enlarged; its one rendition keeps its width."""
    image = do_upload_image(editor, image_bytes("PNG", (300, 200)), alt_text="Small")
    assert {(r["width"], r["height"]) for r in image.renditions} == {(300, 200)}


def _gif() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (50, 50), "red").save(buffer, "GIF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"Just some text, not a picture.\n" * 10, "not a readable image", id="text"),
        pytest.param(b"", "empty", id="empty"),
        pytest.param(_gif(), "GIF", id="gif"),
        pytest.param(image_bytes("JPEG", (800, 600))[:600], "not a readable image", id="truncated"),
        pytest.param(png_header_only(30000, 30000), "enormous|too large", id="bomb-30000"),
        pytest.param(png_header_only(9000, 6000), "too large", id="over-50-megapixels"),
        pytest.param(png_header_only(25000, 10), "too large", id="too-long-a-side"),
    ],
)
def test_bad_files_are_refused_and_leave_nothing_behind(editor, data, message):
    """Non-images, GIFs, broken files and decompression bombs: a clear refusal and no trace."""
    with pytest.raises(InvalidInput, match=message) as raised:
        do_upload_image(editor, data, alt_text="Something")
    assert (
        "JPEG" in raised.value.message
        or "pixels" in raised.value.message
        or ("refused" in raised.value.message)
    )
    assert not Image.objects.exists()
    assert stored_files() == []


def test_oversized_file_is_refused(editor, settings):
    """A file over MAX_UPLOAD_BYTES is refused with the limit in the message."""
    settings.MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    data = image_bytes("PNG", (1200, 1200))
    data = data + b"\x00" * (settings.MAX_UPLOAD_BYTES + 1 - len(data))
    with pytest.raises(InvalidInput, match="the limit is 2 MB"):
        do_upload_image(editor, data, alt_text="Too big")
    assert not Image.objects.exists()
    assert stored_files() == []


def _jpeg_with_exif(size=(200, 100), orientation: int | None = None) -> bytes:
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.Model] = "Tracker 3000"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 27.0, 1.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (30.0, 31.0, 2.0)
    buffer = io.BytesIO()
    image = PILImage.new("RGB", size, (10, 120, 200))
    image.paste((250, 250, 0), (0, 0, size[0] // 2, size[1]))  # left half yellow
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_exif_and_gps_are_stripped_from_every_stored_file(editor):
    """A photographer's location and camera never reach readers."""
    data = _jpeg_with_exif(size=(900, 600))
    with PILImage.open(io.BytesIO(data)) as source:  # the test file does carry GPS
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    image = do_upload_image(editor, data, alt_text="Located")
    names = [image.file.name, *(r["name"] for r in image.renditions)]
    assert len(names) == 5
    for name in names:
        raw = (Path(settings.MEDIA_ROOT) / name).read_bytes()
        assert b"SpyCam" not in raw
        assert b"Tracker 3000" not in raw
        with open_stored(name) as stored:
            exif = stored.getexif()
            assert not exif.get_ifd(ExifTags.IFD.GPSInfo), name
            assert ExifTags.Base.Make not in exif, name
            assert "exif" not in stored.info, name


def test_exif_orientation_is_applied(editor):
    """A 200×100 photo marked 'rotate 90°' is stored upright as 100×200."""
    image = do_upload_image(editor, _jpeg_with_exif(orientation=6), alt_text="Rotated")
    assert (image.width, image.height) == (100, 200)
    with open_stored(image.file.name) as stored:
        assert stored.size == (100, 200)
        assert stored.getexif().get(ExifTags.Base.Orientation) in (None, 1)
        # Orientation 6 turns the yellow left half into the top half.
        top, bottom = stored.getpixel((50, 20)), stored.getpixel((50, 180))
        assert top[0] > 200 and top[2] < 80
        assert bottom[2] > 150


def test_alt_text_is_required(editor):
    """Every image must say what it shows; without alt text nothing is stored."""
    with pytest.raises(InvalidInput, match="Alt text is required") as raised:
        do_upload_image(editor, image_bytes(), alt_text="   ")
    assert "alt_text" in raised.value.fields
    assert not Image.objects.exists()
    assert stored_files() == []


def test_caption_and_credit_are_kept(editor):
    """Caption and credit are stored with the image, trimmed."""
    image = do_upload_image(
        editor, image_bytes(), alt_text=" Dock ", caption=" At dawn. ", credit=" A. Photographer "
    )
    image.refresh_from_db()
    assert (image.alt_text, image.caption, image.credit) == ("Dock", "At dawn.", "A. Photographer")


def test_anonymous_cannot_upload():
    """Only newsroom accounts upload images."""
    with pytest.raises(NotAllowed):
        do_upload_image(AnonymousUser(), image_bytes(), alt_text="x")
    assert not Image.objects.exists()
    assert stored_files() == []


def test_uploaded_files_are_served_and_only_images(client, editor):
    """The /media/ view serves stored images in use on a published story, and nothing outside
    the media folder (tests/trust/test_leaks.py covers images of drafts)."""
    image = do_upload_image(editor, image_bytes(), alt_text="Served")
    story = actions.do_create_story(editor, {"headline": "Served", "lead_image_id": image.pk})
    actions.do_publish_story(editor, story.pk)
    response = client.get(image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert client.get("/media/../settings.py").status_code == 404
    assert client.get("/media/images/nothing.jpg").status_code == 404


def _odd(mode: str, fmt: str, **save) -> bytes:
    buffer = io.BytesIO()
    PILImage.new(mode, (500, 300)).save(buffer, fmt, **save)
    return buffer.getvalue()


def _animated(fmt: str) -> bytes:
    buffer = io.BytesIO()
    frames = [PILImage.new("RGB", (500, 300), color) for color in ("red", "blue")]
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:])
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_odd("I;16", "PNG"), id="16-bit-png"),
        pytest.param(_odd("1", "PNG"), id="1-bit-png"),
        pytest.param(_odd("P", "PNG", transparency=0), id="palette-png"),
        pytest.param(_odd("LA", "PNG"), id="grey-alpha-png"),
        pytest.param(_odd("CMYK", "JPEG"), id="cmyk-jpeg"),
        pytest.param(_odd("L", "JPEG"), id="grey-jpeg"),
        pytest.param(_odd("RGBA", "WEBP"), id="webp-alpha"),
        pytest.param(_animated("WEBP"), id="animated-webp"),
        pytest.param(_animated("PNG"), id="apng"),
    ],
)
def test_unusual_colour_modes_and_animations_are_stored(editor, data):
    """Files cameras and editors really produce are accepted and rendered, never an error."""
    image = do_upload_image(editor, data, alt_text="Odd file")
    assert (image.width, image.height) == (500, 300)
    for rendition in image.renditions:
        with open_stored(rendition["name"]) as stored:
            assert stored.size == (400, 240)
            assert getattr(stored, "n_frames", 1) == 1  # no autoplaying motion on pages
