"""The words that go with an image (alt text, caption, credit), wherever it is shown."""

from __future__ import annotations

from django.conf import settings
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
from newsdesk.stories.image_uses import stories_showing
from newsdesk.stories.inline_images import MARKER
from newsdesk.stories.markdown import prepare_body
from newsdesk.stories.models import (
    EventKind,
    Image,
    Status,
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
    using it (as lead image or inline in the body, whose stored figure is drawn again): each
    gets a new version, a revision ("image text edited") and an `updated` feed
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
        for story in stories_showing(image).order_by("pk").select_for_update():
            if MARKER.format(id=image.pk) in story.body_html:
                # The figure in the stored body was drawn with the old words (a few bodies,
                # rendered here because they must read the words just written).
                story.body_html = prepare_body(story.body, site_url=settings.SITE_URL).html
            if story.status != Status.PUBLISHED:
                story.save(update_fields=["body_html"])
                continue
            claim_version(story, None)
            story.save()
            record_revision(story, user, "image text edited")
            record_event(story, EventKind.UPDATED, marked_update=False, image_id=image.pk)
    return image
