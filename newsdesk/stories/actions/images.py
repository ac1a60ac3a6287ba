"""The words that go with an image (alt text, caption, credit), wherever it is shown."""

from __future__ import annotations

from django.db import transaction

from newsdesk.core.errors import NotFound
from newsdesk.core.ids import parse_id
from newsdesk.core.validation import FieldChecker
from newsdesk.stories import permissions
from newsdesk.stories.actions.common import (
    claim_version,
    record_event,
    record_revision,
)
from newsdesk.stories.models import (
    EventKind,
    Image,
    Status,
    Story,
)


def check_image_text(alt_text: str, caption: str, credit: str) -> tuple[str, str, str]:
    """The words that go with an image, checked; alt text is required."""
    checker = FieldChecker(Image)
    fields = {"alt_text": alt_text, "caption": caption, "credit": credit}
    alt = checker.text(fields, "alt_text", "Alt text", required=True)
    caption = checker.text(fields, "caption", "Caption")
    credit = checker.text(fields, "credit", "Credit")
    checker.raise_if_any()
    return alt, caption, credit


def do_update_image_text(user, image_id: int, *, alt_text: str, caption: str, credit: str) -> Image:
    """New alt text, caption or credit for an image, wherever it is used.

    An image on a published story is part of what readers see, so changing its words is an
    editor's action (`permissions.can_edit_image_text`) and a change to every published story
    using it: each gets a new version, a revision ("image text edited") and an `updated` feed
    event, in this one transaction, so live readers and every cache see the new words.
    """
    permissions.check_can_write(user)
    alt, caption, credit = check_image_text(alt_text, caption, credit)
    with transaction.atomic():
        image = None
        if parse_id(image_id) is not None:
            image = Image.objects.select_for_update().filter(pk=image_id).first()
        if image is None or not permissions.can_view_image_details(user, image):
            raise NotFound(permissions.image_refusal(image_id))
        permissions.check_can_edit_image_text(user, image)
        if (image.alt_text, image.caption, image.credit) == (alt, caption, credit):
            return image
        image.alt_text, image.caption, image.credit = alt, caption, credit
        image.save(update_fields=["alt_text", "caption", "credit"])
        published = Story.objects.filter(lead_image=image, status=Status.PUBLISHED).order_by("pk")
        for story in published.select_for_update():
            claim_version(story, None)
            story.save()
            record_revision(story, user, "image text edited")
            record_event(story, EventKind.UPDATED, marked_update=False, image_id=image.pk)
    return image
