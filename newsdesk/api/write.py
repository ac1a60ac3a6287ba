"""Writes with an API token, each one a call to the same action the desk uses."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Form
from ninja import Status as Answer
from ninja.files import UploadedFile
from pydantic import ValidationError as PydanticError

from newsdesk.api.auth import BearerToken
from newsdesk.api.conditional import if_match_version
from newsdesk.api.errors import ApiError
from newsdesk.api.read import router
from newsdesk.api.schemas import (
    CorrectionIn,
    CorrectionOut,
    ErrorOut,
    ImageOut,
    ImagePatch,
    PublishIn,
    StoryIn,
    StoryOut,
    StoryPatch,
)
from newsdesk.core.errors import EditConflict, InvalidInput, NotFound
from newsdesk.media.actions import do_update_image_text, do_upload_image, read_upload
from newsdesk.stories import actions, permissions, queries
from newsdesk.stories.models import Author, Image, Status, Story, Topic

# The same router as the reads: Ninja serves one path (e.g. /stories/{id} for GET and PATCH) from
# one router only, so writes sit beside reads and each names its own auth.
TOKEN = BearerToken()
WRITE = {"auth": TOKEN, "tags": ["write"]}
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    412: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def _slugs_to_ids(model, slugs: list[str], field: str) -> list[int]:
    lookup = [s for s in slugs if queries.possible_slug(s)]
    found = dict(model.objects.filter(slug__in=lookup).values_list("slug", "pk"))
    missing = [s for s in slugs if s not in found]
    if missing:
        raise InvalidInput(
            f"Unknown {field}: {', '.join(missing)}.",
            fields={field: [f"No {field[:-1]} with slug {s!r}." for s in missing]},
        )
    return [found[s] for s in slugs]


def _action_data(payload: dict[str, Any]) -> dict[str, Any]:
    """API field names → the actions' field names (slugs become ids)."""
    data = {k: v for k, v in payload.items() if k not in {"topics", "authors", "version"}}
    if data.get("language") is None:
        data.pop("language", None)
    if payload.get("topics") is not None:
        data["topic_ids"] = _slugs_to_ids(Topic, payload["topics"], "topics")
    if payload.get("authors") is not None:
        data["author_ids"] = _slugs_to_ids(Author, payload["authors"], "authors")
    return data


def _fresh(story_id: int) -> Story:
    return queries.with_display_relations(Story.objects.filter(pk=story_id)).get()


def _versioned(call, request: HttpRequest, story_id: int, body_version: int | None = None):
    """Run an action with the version from If-Match (412 when stale or another story's) or the
    body (409)."""
    header_version = if_match_version(request, story_id)
    try:
        return call(header_version if header_version is not None else body_version)
    except EditConflict as conflict:
        if header_version is None:
            raise
        raise ApiError(
            412,
            "precondition_failed",
            "The story changed since the version in If-Match. Fetch it again, re-apply your "
            "change, and send the new ETag.",
            extra={"current_version": conflict.current_version},
        ) from None


@router.post("/stories", response={201: StoryOut, **ERRORS}, summary="Create a draft", **WRITE)
def create_story(request: HttpRequest, payload: StoryIn):
    """A new draft. `topics` and `authors` are slugs; authors default to your own profile."""
    story = actions.do_create_story(request.auth, _action_data(payload.dict()))
    return Answer(201, _fresh(story.pk))


@router.patch(
    "/stories/{story_id}", response={200: StoryOut, **ERRORS}, summary="Edit a story", **WRITE
)
def update_story(request: HttpRequest, story_id: int, payload: StoryPatch):
    """Change only the fields sent. Send the version you edited as `If-Match: "<id>-<version>"`
    (412 when stale) or as `version` in the body (409 when stale)."""
    data = _action_data(payload.dict(exclude_unset=True))
    story = _versioned(
        lambda version: actions.do_update_story(
            request.auth, story_id, data, expected_version=version
        ),
        request,
        story_id,
        payload.version,
    )
    return _fresh(story.pk)


def _publish_options(request: HttpRequest) -> PublishIn:
    """The optional JSON body of /publish (an empty or non-JSON body means `{}`)."""
    if request.content_type != "application/json" or not request.body.strip():
        return PublishIn()
    try:
        return PublishIn.model_validate_json(request.body)
    except PydanticError as error:
        raise ApiError(
            422,
            "validation_failed",
            'The body must be JSON like {"as_update": true}, or empty.',
            fields={"as_update": [e["msg"] for e in error.errors()]},
        ) from None


@router.post(
    "/stories/{story_id}/publish",
    response={200: StoryOut, **ERRORS},
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": PublishIn.model_json_schema()}},
        }
    },
    **WRITE,
)
def publish_story(request: HttpRequest, story_id: int):
    """Publish a draft; for a published story with `as_update`, mark it as updated now.
    The JSON body is optional."""
    as_update = _publish_options(request).as_update
    current = Story.objects.filter(pk=story_id).values_list("status", flat=True).first()
    if current == Status.PUBLISHED and as_update:
        story = _versioned(
            lambda version: actions.do_update_story(
                request.auth, story_id, {}, expected_version=version, mark_as_update=True
            ),
            request,
            story_id,
        )
    else:
        story = _versioned(
            lambda version: actions.do_publish_story(
                request.auth, story_id, expected_version=version
            ),
            request,
            story_id,
        )
    return _fresh(story.pk)


@router.post("/stories/{story_id}/unpublish", response={200: StoryOut, **ERRORS}, **WRITE)
def unpublish_story(request: HttpRequest, story_id: int):
    """Take a story off every public page (and out of reader search) at once."""
    story = _versioned(
        lambda version: actions.do_unpublish_story(
            request.auth, story_id, expected_version=version
        ),
        request,
        story_id,
    )
    return _fresh(story.pk)


@router.post("/stories/{story_id}/corrections", response={201: CorrectionOut, **ERRORS}, **WRITE)
def add_correction(request: HttpRequest, story_id: int, payload: CorrectionIn):
    """A public correction note under a published story."""
    return Answer(201, actions.do_add_correction(request.auth, story_id, payload.text))


@router.post("/images", response={201: ImageOut, **ERRORS}, summary="Upload an image", **WRITE)
def upload_image(
    request: HttpRequest,
    file: File[UploadedFile],
    alt_text: Form[str],
    caption: Form[str] = "",
    credit: Form[str] = "",
):
    """A JPEG, PNG or WebP image as multipart `file`, with its alt text (required)."""
    if file.size and file.size > settings.MAX_UPLOAD_BYTES:
        raise ApiError(
            413,
            "too_large",
            f"The image is larger than {settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        )
    data = read_upload(file)
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise ApiError(413, "too_large", "The image is too large.")
    image = do_upload_image(request.auth, data, alt_text=alt_text, caption=caption, credit=credit)
    return Answer(201, image)


def _image_for(user, image_id: int) -> Image:
    """An image this user may read; one they may not and one that does not exist answer alike."""
    image = Image.objects.filter(pk=image_id).first() if 1 <= image_id < 2**63 else None
    if image is None or not permissions.can_view_image_details(user, image):
        raise NotFound(permissions.image_refusal(image_id))
    return image


@router.patch(
    "/images/{image_id}",
    response={200: ImageOut, **ERRORS},
    summary="Change an image's alt text, caption or credit",
    **WRITE,
)
def update_image(request: HttpRequest, image_id: int, payload: ImagePatch):
    """Only the fields sent change. On a published story this is an editor's change: each
    published story using the image gets a revision and an `updated` feed event."""
    image = _image_for(request.auth, image_id)
    sent = payload.dict(exclude_unset=True)
    return do_update_image_text(
        request.auth,
        image.pk,
        alt_text=sent.get("alt_text") if sent.get("alt_text") is not None else image.alt_text,
        caption=sent.get("caption") if sent.get("caption") is not None else image.caption,
        credit=sent.get("credit") if sent.get("credit") is not None else image.credit,
    )
