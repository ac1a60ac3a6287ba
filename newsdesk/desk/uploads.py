"""Images uploaded through desk forms (lead images, avatars), and undoing them.

An upload runs inside the caller's transaction; if a later step fails, the transaction drops the
Image row and `discard` removes its files, so a refused save leaves nothing half-saved.
"""

from __future__ import annotations

from django.core.files.storage import default_storage

from newsdesk.core.errors import InvalidInput
from newsdesk.desk.forms import ImageForm, QuickPostForm
from newsdesk.media import actions as media_actions
from newsdesk.stories.models import Image


def upload_from_form(user, form: ImageForm | QuickPostForm, *, default_alt: str = "") -> Image:
    """The form's file as a stored Image (a form without caption and credit fields leaves them
    empty). Problems with the file itself are put on the file field
    (the uploader's browser forgets the chosen file, so the message says to choose it again)."""
    data = form.cleaned_data
    try:
        return media_actions.do_upload_image(
            user,
            media_actions.read_upload(data["image_file"]),
            alt_text=data["alt_text"] or default_alt,
            caption=data.get("caption", ""),
            credit=data.get("credit", ""),
        )
    except InvalidInput as error:
        if error.fields:
            raise
        message = f"{error.message} Nothing was saved: choose a file again."
        raise InvalidInput(message, fields={"image_file": [message]}) from None


def discard(image: Image | None) -> None:
    if image is None:
        return
    for name in [image.file.name, *(r["name"] for r in image.renditions)]:
        default_storage.delete(name)
