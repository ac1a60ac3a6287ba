"""Which stories show an image: as their lead image, or inline in their body.

Inline figures carry the image's id as a marker (`inline_images.MARKER`), so the stories showing
an image are one query. The body part is a substring search on the stored body (no index can
serve it): fine for the desk and for permission checks on one image, not for reader pages.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from newsdesk.stories.inline_images import MARKER
from newsdesk.stories.models import Image, Story


def stories_showing(image: Image | int) -> QuerySet[Story]:
    """Every story (any status) with this image as lead image or inline in its body."""
    image_id = image if isinstance(image, int) else image.pk
    return Story.objects.filter(
        Q(lead_image_id=image_id) | Q(body_html__contains=MARKER.format(id=image_id))
    )


def stories_showing_inline(image: Image | int) -> QuerySet[Story]:
    image_id = image if isinstance(image, int) else image.pk
    return Story.objects.filter(body_html__contains=MARKER.format(id=image_id))
