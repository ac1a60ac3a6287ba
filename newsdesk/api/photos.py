"""The photo library for API clients: list and search the images a token may see, read one
with the stories using it. Changing an image's words is `PATCH /images/{id}` (write.py); a story
takes a library image as `lead_image_id`, or inline with a `[image N]` line in its body.

Every route needs a token: the library holds drafts' photos, so nothing here is anonymous."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Field as NinjaField
from ninja import Query, Schema

from newsdesk.api.read import router
from newsdesk.api.schemas import ImageDetailOut, ImageListOut
from newsdesk.api.write import ERRORS, WRITE
from newsdesk.core.ids import MAX_ID
from newsdesk.media import library
from newsdesk.stories.models import Status

PHOTOS = {**WRITE, "tags": ["photos"]}


class LibraryQuery(Schema):
    q: str = NinjaField(
        "",
        max_length=library.MAX_QUERY_CHARS,
        description="Words to find in the caption, credit, alt text or file name",
    )
    before: int | None = NinjaField(
        None, ge=1, le=MAX_ID, description="`next_before` of the page before"
    )
    limit: int = NinjaField(library.PAGE_SIZE, ge=1, le=library.MAX_PAGE_SIZE)


@router.get(
    "/images",
    response={200: ImageListOut, **ERRORS},
    summary="List and search the photo library",
    **PHOTOS,
)
def image_list(request: HttpRequest, filters: Query[LibraryQuery]):
    """Images newest first: editors see every upload; contributors their own and the images
    readers already see. `q` matches every word in the caption, credit, alt text or file name."""
    page = library.library_page(
        request.auth, search=filters.q, before=filters.before, limit=filters.limit
    )
    return {"items": page.images, "next_before": page.next_before}


@router.get(
    "/images/{image_id}",
    response={200: ImageDetailOut, **ERRORS},
    summary="One image of the library, with the stories using it",
    **PHOTOS,
)
def image(request: HttpRequest, image_id: int):
    """An image's address and words, and the stories showing it (as lead image or in the
    body): your own uploads, images readers can see, and (for editors) any image."""
    image = library.library_image(request.auth, image_id)
    image.uses = [
        {
            "story_id": use.story.pk,
            "headline": use.story.headline,
            "status": use.story.status,
            "as_lead": use.as_lead,
            "inline": use.inline,
            "url": settings.SITE_URL + use.story.get_absolute_url()
            if use.story.status == Status.PUBLISHED
            else None,
        }
        for use in library.image_uses(request.auth, image)
    ]
    return image
