"""Reads of the photo library (the desk's `/desk/photos/` and the API's `/images`).

Who sees which image is `permissions.can_view_image_details`, here as a filter: editors every
upload; contributors their own uploads and the images readers can already see (on a published
story, as lead image or inline, or an author's avatar). An image one may not see is never
listed, so the library tells nobody about an embargoed photo.

Pages are keyset pages on the id, newest first (never OFFSET): `before` is the last id shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from newsdesk.core.errors import NotFound
from newsdesk.core.ids import parse_id
from newsdesk.stories import permissions
from newsdesk.stories.image_uses import stories_showing
from newsdesk.stories.inline_images import MARKER
from newsdesk.stories.models import Author, Image, Status, Story

PAGE_SIZE = 24
MAX_PAGE_SIZE = 100
MAX_QUERY_CHARS = 200
USES_SHOWN = 20


@dataclass(frozen=True)
class LibraryPage:
    images: list[Image]
    next_before: int | None  # the `before` of the next page, None on the last one


@dataclass(frozen=True)
class Use:
    story: Story
    as_lead: bool
    inline: bool


def visible_images(user) -> QuerySet[Image]:
    """The images this person may see in the library (nothing for people without a role)."""
    if not permissions.can_write(user):
        return Image.objects.none()
    if user.has_perm("stories.edit_any_story"):
        return Image.objects.all()
    marker = Concat(Value(MARKER.split("{")[0]), Cast(OuterRef("pk"), CharField()), Value('"'))
    published = Story.objects.filter(status=Status.PUBLISHED)
    return Image.objects.filter(
        Q(uploaded_by=user)
        | Exists(published.filter(lead_image=OuterRef("pk")))
        | Exists(published.filter(body_html__contains=marker))
        | Exists(Author.objects.filter(avatar=OuterRef("pk")))
    )


def library_page(
    user, *, search: str = "", before: int | None = None, limit: int = PAGE_SIZE
) -> LibraryPage:
    """A page of the library, newest first, matching `search` in the caption, credit, alt
    text or file name (every word, any order, any case)."""
    queryset = visible_images(user)
    # PostgreSQL refuses NUL in a string: a pasted one is dropped, never a 500.
    for word in search[:MAX_QUERY_CHARS].replace("\x00", "").split():
        queryset = queryset.filter(
            Q(caption__icontains=word)
            | Q(credit__icontains=word)
            | Q(alt_text__icontains=word)
            | Q(file__icontains=word)
        )
    if before is not None:
        queryset = queryset.filter(pk__lt=before)
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    images = list(queryset.order_by("-pk")[: limit + 1])
    more = len(images) > limit
    images = images[:limit]
    return LibraryPage(images, images[-1].pk if more and images else None)


def library_image(user, image_id) -> Image:
    """One image this person may see; one they may not and one that does not exist answer
    alike (NotFound), so ids cannot be tried."""
    number = parse_id(image_id)
    image = Image.objects.filter(pk=number).first() if number is not None else None
    if image is None or not permissions.can_view_image_details(user, image):
        raise NotFound(permissions.image_refusal(image_id))
    return image


def image_uses(user, image: Image, *, limit: int = USES_SHOWN) -> list[Use]:
    """The stories showing the image (as lead image, inline, or both), newest change first:
    those the person may open at the desk, and published ones (readers see them anyway)."""
    stories = stories_showing(image).order_by("-modified_at", "-pk")
    if not user.has_perm("stories.edit_any_story"):
        author = getattr(user, "author", None)
        own = Q(created_by=user) | Q(status=Status.PUBLISHED)
        if author is not None:
            own |= Q(author_links__author=author)
        stories = stories.filter(own).distinct()
    marker = MARKER.format(id=image.pk)
    return [
        Use(story, story.lead_image_id == image.pk, marker in story.body_html)
        for story in stories[:limit]
    ]


def uses_of_page(user, images: list[Image]) -> dict[int, list[Use]]:
    """`image_uses` for each image of a page."""
    return {image.pk: image_uses(user, image, limit=5) for image in images}


def avatar_authors(images: list[Image]) -> dict[int, list[Author]]:
    """The authors wearing each image as their avatar (author pages are public anyway)."""
    found: dict[int, list[Author]] = {}
    for author in Author.objects.filter(avatar__in=images).order_by("name"):
        found.setdefault(author.avatar_id, []).append(author)
    return found
