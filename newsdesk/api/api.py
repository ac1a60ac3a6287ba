"""The NinjaAPI instance: error handlers, docs served from vendored assets, and the routers."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from newsdesk.api import (  # noqa: F401  (they register their routes)
    editing,
    errors,
    live,
    photos,
    review,
    translations,
    wires,
    write,
)
from newsdesk.api.read import router
from newsdesk.core.errors import NewsdeskError

api = NinjaAPI(
    title="Newsdesk API",
    version="1",
    description=(
        "Read the published feed, stories, authors, topics and search anonymously; write with "
        "an API token (`Authorization: Bearer <token>`, made by `newsdesk token <user>`). "
        'Every error is `{"error": {"code", "message", "fields"}}`.'
    ),
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _validation_fields(error: ValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for item in error.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("body", "payload")]
        name = ".".join(location[1:] if location[:1] in (["query"], ["path"]) else location)
        fields.setdefault(name or "body", []).append(str(item.get("msg", "is not valid")))
    return fields


@api.exception_handler(ValidationError)
def _validation(request, error: ValidationError):
    return errors.error_response(
        422,
        "validation_failed",
        "Some values are missing or of the wrong type; see 'fields'.",
        _validation_fields(error),
    )


@api.exception_handler(NewsdeskError)
def _newsdesk(request, error: NewsdeskError):
    return errors.from_newsdesk_error(error)


@api.exception_handler(errors.ApiError)
def _api_error(request, error: errors.ApiError):
    return errors.from_api_error(error)


@api.exception_handler(AuthenticationError)
def _authentication(request, error):
    return errors.error_response(401, "unauthorized", "This route needs a valid API token.")


@api.exception_handler(Http404)
def _not_found(request, error):
    return errors.error_response(404, "not_found", str(error) or "Not found.")


@api.exception_handler(HttpError)
def _http_error(request, error: HttpError):
    if error.status_code == 400:  # Ninja could not read the body (malformed JSON)
        return errors.malformed_body()
    return errors.error_response(error.status_code, errors.code_for(error.status_code), str(error))


@api.exception_handler(RequestDataTooBig)
def _too_big(request, error):
    return errors.error_response(413, "too_large", "The request body is too large for this server.")


api.add_router("", router)
