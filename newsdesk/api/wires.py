"""Agencies push wire items here; partners read our published stories as ninjs.

`POST /api/v1/wires/{source}/items` takes one ninjs item (JSON), a JSON array of them, or a
NewsML-G2 item or newsMessage (XML), with `Authorization: Bearer <the source's token>` (printed
once by `newsdesk wire add NAME --push ninjs|newsml`). Each item is stored in its own
transaction; a body that cannot be read is refused whole (nothing is stored) with a 4xx that
says why. The token is a source's, not a user's: it can push items and do nothing else.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Schema

from newsdesk.api.errors import ApiError
from newsdesk.api.read import ERRORS, ninjs_response, router
from newsdesk.cache import attempts
from newsdesk.core.client_address import client_address
from newsdesk.stories import queries
from newsdesk.syndication.ninjs import story_as_ninjs
from newsdesk.wires.actions import (
    WrongToken,
    do_record_source_error,
    do_store_items,
    source_for_token,
)
from newsdesk.wires.parsers import WireFormatError, check_size, parse_pushed

FAILURES_ALLOWED = 10
WINDOW_SECONDS = 60
NINJS_FEED_SIZE = 50


class PushOut(Schema):
    created: int
    updated: int
    unchanged: int


@router.post(
    "/wires/{source}/items",
    response={200: PushOut, 413: dict, 415: dict, **ERRORS},
    tags=["wires"],
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "application/xml": {"schema": {"type": "string"}},
            }
        }
    },
)
def push_wire_items(request: HttpRequest, source: str):
    """Receive agency items (ninjs as JSON, NewsML-G2 as XML) for the push source `source`."""
    key = f"wires:bad-token:{client_address(request)}"
    number = attempts.reserve(key, WINDOW_SECONDS)
    if number is not None and number > FAILURES_ALLOWED:
        raise ApiError(
            429,
            "rate_limited",
            f"Too many wrong tokens from your address: wait {WINDOW_SECONDS} seconds.",
            headers={"Retry-After": str(WINDOW_SECONDS)},
        )
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    try:
        wire_source = source_for_token(source, token.strip() if scheme.lower() == "bearer" else "")
    except WrongToken as error:
        raise ApiError(
            401, "unauthorized", error.message, headers={"WWW-Authenticate": "Bearer"}
        ) from None
    attempts.release(key)
    raw = request.body
    try:
        check_size(raw)
        items = parse_pushed(raw, request.content_type or "")
    except WireFormatError as error:
        status = 413 if "limit is" in error.message else 400
        if "Unknown item format" in error.message:
            status = 415
        do_record_source_error(wire_source, error, polled=False)
        raise ApiError(status, "bad_item", error.message) from None
    return do_store_items(wire_source, items).__dict__


@router.get("/ninjs/stories", tags=["read"], url_name="ninjs_feed")
def ninjs_feed(request: HttpRequest):
    """The newest published stories as a JSON array of ninjs 2.2 items, for partners."""
    page = queries.feed_page(limit=NINJS_FEED_SIZE, include_pinned=True)
    return ninjs_response([story_as_ninjs(story) for story in page.items])
