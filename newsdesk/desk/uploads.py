"""Images uploaded through desk forms (lead images, avatars), and undoing them.

An upload runs inside the caller's transaction; if a later step fails, the transaction drops the
Image row and `discard` removes its files, so a refused save leaves nothing half-saved. The file
the person chose is kept aside for their next try (`keep_for_later`), so it is not lost either.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from newsdesk.core.errors import InvalidInput
from newsdesk.desk.forms import ImageForm, QuickPostForm
from newsdesk.media import actions as media_actions
from newsdesk.stories.models import Image


def upload_from_form(
    user,
    form: ImageForm | QuickPostForm,
    *,
    default_alt: str = "",
    pending: Pending | None = None,
) -> Image:
    """The form's file (or the file kept from a refused save) as a stored Image (a form without
    caption and credit fields leaves them empty). Problems with the file itself are put on the
    file field (the uploader's browser forgets the chosen file, so the message says to choose it
    again)."""
    data = form.cleaned_data
    if data.get("image_file"):
        content = media_actions.read_upload(data["image_file"])
    elif pending is not None:
        content = pending_bytes(pending)
    else:
        message = "The file chosen before is no longer kept. Choose it again."
        raise InvalidInput(message, fields={"image_file": [message]})
    try:
        return media_actions.do_upload_image(
            user,
            content,
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


# ── A chosen file kept while the person fixes the form ─────────────────────────────────────────
# When a save is refused for a reason other than the file (no alt text yet, a headline missing,
# a conflict of words), the browser forgets the chosen file. Its bytes are kept aside (not in
# the library, never served: their name has no image extension) under a token signed for this
# person, which the form sends back; the next save uses them. Kept files are dropped after a day.

PENDING_DIR = "pending"
PENDING_SALT = "newsdesk.desk.pending-upload"
PENDING_MAX_AGE = 24 * 3600


@dataclass(frozen=True)
class Pending:
    token: str
    name: str  # the file's name as chosen, for the form to show
    path: str


def keep_for_later(user, uploaded) -> Pending | None:
    """Keep a chosen file's bytes for this person's next save; None when there is none."""
    if uploaded is None:
        return None
    uploaded.seek(0)
    data = media_actions.read_upload(uploaded)
    if len(data) > settings.MAX_UPLOAD_BYTES or not data:
        return None
    _drop_old_pending()
    path = default_storage.save(f"{PENDING_DIR}/{uuid.uuid4().hex}.upload", ContentFile(data))
    name = (uploaded.name or "image")[:120]
    token = signing.dumps({"p": path, "n": name, "u": user.pk}, salt=PENDING_SALT, compress=True)
    return Pending(token, name, path)


def pending_upload(user, token: str) -> Pending | None:
    """The kept file a token names, if it was kept for this person within the day."""
    if not token:
        return None
    try:
        value = signing.loads(token, salt=PENDING_SALT, max_age=PENDING_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("u") != user.pk:
        return None
    path = str(value.get("p", ""))
    if not path.startswith(f"{PENDING_DIR}/") or not default_storage.exists(path):
        return None
    return Pending(token, str(value.get("n", "image")), path)


def pending_bytes(pending: Pending) -> bytes:
    with default_storage.open(pending.path, "rb") as kept:
        return kept.read(settings.MAX_UPLOAD_BYTES + 1)


def drop_pending(pending: Pending | None) -> None:
    if pending is not None:
        default_storage.delete(pending.path)


def _drop_old_pending() -> None:
    cutoff = timezone.now() - dt.timedelta(seconds=PENDING_MAX_AGE)
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    for name in files:
        path = f"{PENDING_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError, OSError):
            continue
