"""Every API error as `{"error": {"code", "message", "fields"}}`, made in this one place.

Our own `NewsdeskError`s, Ninja's validation and authentication errors, Django's 404s and
oversized bodies all pass through `error_response`; the middleware rewrites whatever else would
leave /api/ as a non-JSON 4xx (e.g. an unknown path or method).
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.http import JsonResponse
from django.views.defaults import bad_request as django_bad_request

from newsdesk.core.errors import EditConflict, InvalidInput, NewsdeskError, NotAllowed, NotFound


class ApiError(Exception):
    """An error only the API raises (authentication, rate limits, preconditions)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: dict | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields = fields or {}
        self.headers = headers or {}
        self.extra = extra or {}


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict | None = None,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JsonResponse:
    body = {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def from_newsdesk_error(error: NewsdeskError) -> JsonResponse:
    if isinstance(error, EditConflict):
        return error_response(
            409, "edit_conflict", error.message, error.fields,
            current_version=error.current_version,
        )  # fmt: skip
    if isinstance(error, NotAllowed):
        return error_response(403, "forbidden", error.message, error.fields)
    if isinstance(error, NotFound):
        return error_response(404, "not_found", error.message, error.fields)
    if isinstance(error, InvalidInput):
        return error_response(422, "invalid_input", error.message, error.fields)
    return error_response(error.status_code, "error", error.message, error.fields)


def from_api_error(error: ApiError) -> JsonResponse:
    return error_response(
        error.status, error.code, error.message, error.fields, headers=error.headers, **error.extra
    )


_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "rate_limited",
}
MALFORMED_BODY = (
    "The request body is not valid JSON. Send a JSON object (Content-Type: application/json); "
    "see /api/v1/docs for what this route takes."
)


def code_for(status: int) -> str:
    """The documented code of a status (docs/api.md#errors)."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return _CODES.get(status, phrase.lower().replace(" ", "_"))


def malformed_body() -> JsonResponse:
    return error_response(400, "bad_request", MALFORMED_BODY)


def check_json(body: bytes) -> None:
    """An optional JSON body read by hand must still be JSON: 400 `bad_request` when it is
    not (as for the bodies Ninja reads), 422 only for JSON holding wrong values."""
    try:
        json.loads(body)
    except ValueError:
        raise ApiError(400, "bad_request", MALFORMED_BODY) from None


def for_status(status: int) -> JsonResponse:
    """A generic error for a status code that reached us without a message of ours."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    messages = {
        404: "There is nothing at this address in the API. See /api/v1/docs for the routes.",
        405: "This route does not accept that method. See /api/v1/docs for what it accepts.",
    }
    return error_response(status, code_for(status), messages.get(status, phrase))


def bad_request(request, exception=None):
    """Django's 400 (a request it refused before any view, e.g. a Host header not in
    ALLOWED_HOSTS): our JSON error under /api/, Django's own page elsewhere. The API's edge
    middleware cannot shape it: the refusal happens in a middleware outside it."""
    if request.path.startswith("/api/"):
        return for_status(400)
    return django_bad_request(request, exception)
