"""Token authentication for the API, with a limit on failed attempts per client address.

Every token check is counted before it is made and given back when the token is valid
(`newsdesk.cache.attempts`), so the limit holds for parallel requests too.

Writes need `Authorization: Bearer <token>`; a browser session alone is never enough, which is
also why API writes need no CSRF token (no cookie is trusted). Reads take an optional token: with
one, a user sees what they could open in the desk.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from newsdesk.api.actions import user_for_token
from newsdesk.api.errors import ApiError
from newsdesk.cache import attempts
from newsdesk.core.client_address import client_address

FAILURES_ALLOWED = 10
WINDOW_SECONDS = 60


def _failure_key(request: HttpRequest) -> str:
    return f"api:bad-token:{client_address(request)}"


def _reserve_attempt(request: HttpRequest) -> None:
    """Count this token check before it is made (atomically, so a parallel burst of bad tokens
    cannot get more than FAILURES_ALLOWED checked); refuse it past the limit."""
    number = attempts.reserve(_failure_key(request), WINDOW_SECONDS)
    if number is not None and number > FAILURES_ALLOWED:
        raise ApiError(
            429,
            "rate_limited",
            f"Too many invalid tokens from your address: wait {WINDOW_SECONDS} seconds, then "
            "try again with a valid token.",
            headers={"Retry-After": str(WINDOW_SECONDS)},
        )


def request_user(request: HttpRequest, *, required: bool):
    """The user behind the request's bearer token; None when there is none and none is required.

    A token that is present but wrong is always an error (401), so a client never silently
    reads as anonymous with a broken token."""
    header = request.headers.get("Authorization", "")
    if not header:
        if required:
            raise ApiError(
                401,
                "unauthorized",
                "This route needs an API token: send 'Authorization: Bearer <token>'. "
                "Create one with `newsdesk token <user name>`.",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return None
    _reserve_attempt(request)
    scheme, _, secret = header.partition(" ")
    user = user_for_token(secret.strip()) if scheme.lower() == "bearer" and secret else None
    if user is None:
        raise ApiError(
            401,
            "unauthorized",
            "The API token is not valid (mistyped, revoked, or its account is disabled).",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    attempts.release(_failure_key(request))  # a valid token is not a failure
    return user


class BearerToken(HttpBearer):
    """Ninja's bearer scheme (so the OpenAPI schema documents it), with our own checks."""

    def __call__(self, request: HttpRequest):
        return request_user(request, required=True)

    def authenticate(self, request: HttpRequest, token: str):  # pragma: no cover - see __call__
        return request_user(request, required=True)
