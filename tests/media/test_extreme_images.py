"""Images of extreme shapes (issue 12: a PNG 1 px wide and 19,999 px tall answered 500, because
its WebP rendition passed the WebP format's 16,383 px limit). Every shape up to the upload limits
is processed into renditions every encoder can write; past the limits it is refused with a
message naming them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PILImage

from newsdesk.api.actions import do_create_token
from newsdesk.core.errors import InvalidInput
from newsdesk.media.actions import do_upload_image
from newsdesk.media.processing import MAX_SIDE, RENDITION_WIDTHS, WEBP_MAX_SIDE
from newsdesk.stories.models import Image
from tests.media.imagefiles import image_bytes

pytestmark = [pytest.mark.database_agnostic, pytest.mark.django_db]


def assert_renditions_fit(image: Image) -> None:
    """Each stored file opens, has the size recorded for it, fits its width slot and WebP's
    limit, and keeps the original's orientation (tall stays tall, wide stays wide)."""
    root = Path(settings.MEDIA_ROOT)
    assert image.renditions
    tall = image.height > image.width
    for rendition in image.renditions:
        with PILImage.open(root / rendition["name"]) as stored:
            stored.load()
            assert stored.size == (rendition["width"], rendition["height"])
        assert rendition["width"] <= max(RENDITION_WIDTHS)
        assert max(rendition["width"], rendition["height"]) <= WEBP_MAX_SIDE
        if rendition["width"] != rendition["height"]:
            assert (rendition["height"] > rendition["width"]) == tall
    with PILImage.open(root / image.file.name) as original:
        assert original.size == (image.width, image.height)


@pytest.mark.parametrize(
    ("fmt", "size"),
    [
        ("PNG", (1, 19_999)),
        ("JPEG", (1, 19_999)),
        ("PNG", (19_999, 1)),
        ("PNG", (2, MAX_SIDE)),
        ("JPEG", (300, 18_000)),
        ("WEBP", (1, WEBP_MAX_SIDE)),
        ("WEBP", (WEBP_MAX_SIDE, 1)),
        ("PNG", (1, 1)),
    ],
    ids=lambda v: v if isinstance(v, str) else f"{v[0]}x{v[1]}",
)
def test_extreme_shapes_are_processed_into_renditions_every_encoder_can_write(editor, fmt, size):
    """A strip 1 px wide and 19,999 px tall (or wide), a tall infographic, the largest WebP:
    stored with renditions in WebP and their own format, each within 16,383 px a side."""
    image = do_upload_image(editor, image_bytes(fmt, size), alt_text="A strip")
    assert (image.width, image.height) == size
    assert_renditions_fit(image)
    assert {r["format"] for r in image.renditions} >= {"webp"}


def test_the_reported_1_by_19999_png_through_the_api_is_a_201(editor):
    """The tester's upload, through the API: 201 with the image's size, never a 500."""
    _token, secret = do_create_token(editor, "strip")
    api = Client(headers={"Authorization": f"Bearer {secret}"}, raise_request_exception=False)
    upload = SimpleUploadedFile("strip.png", image_bytes("PNG", (1, 19_999)), "image/png")
    response = api.post("/api/v1/images", {"file": upload, "alt_text": "A strip"})
    assert response.status_code == 201, response.content[:300]
    assert (response.json()["width"], response.json()["height"]) == (1, 19_999)
    assert_renditions_fit(Image.objects.get(pk=response.json()["id"]))


@pytest.mark.parametrize("size", [(1, MAX_SIDE + 1), (MAX_SIDE + 1, 1)], ids=["tall", "wide"])
def test_a_side_past_the_limit_is_refused_naming_the_limit(editor, size):
    """One pixel more than MAX_SIDE: refused, the message says the limit, nothing is stored."""
    with pytest.raises(InvalidInput, match=f"{MAX_SIDE:,} pixels on its longest side"):
        do_upload_image(editor, image_bytes("PNG", size), alt_text="Too long")
    assert not Image.objects.exists()
