"""Who may open the desk, and how errors from actions reach the person at the desk.

Every desk view is wrapped in `desk_view`: a visitor who is not logged in is sent to the login
page; a logged-in account without a newsroom role gets a 403 page saying why; the page is drawn
in the language the person chose for the desk (`desk_language`). Errors raised by
actions (`NewsdeskError`) are turned into form errors or an error page here, in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from newsdesk.core.errors import NewsdeskError, NotAllowed
from newsdesk.stories import desk_queries, permissions

NO_ROLE_MESSAGE = (
    "Your account has no newsroom role yet. Ask an admin to make you a contributor, "
    "editor or admin, then log in again."
)


class BadRequest(NewsdeskError):
    """A request the desk's own pages never send (a tampered form or URL)."""


def error_page(request: HttpRequest, error: NewsdeskError) -> HttpResponse:
    """A page showing the error's message, with the error's status code (403, 404, 400…)."""
    titles = {403: _("Not allowed"), 404: _("Not found"), 409: _("Edit conflict")}
    context = {
        "title": titles.get(error.status_code, _("This request cannot be done")),
        "message": error.message,
    }
    return render(request, "desk/error.html", context, status=error.status_code)


def desk_language(user) -> str:
    """The language the desk speaks to this person: their choice (`desk/preferences`), else the
    site's. Pages are drawn inside `translation.override` of it, so every gettext string of the
    desk's templates, forms and messages comes out in it."""
    return desk_queries.desk_language(user) or settings.LANGUAGE_CODE


def desk_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required, then a newsroom role; `NewsdeskError` escaping the view becomes a page."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with translation.override(desk_language(request.user)):
            if not permissions.can_write(request.user):
                response = error_page(request, NotAllowed(NO_ROLE_MESSAGE))
            else:
                try:
                    response = view(request, *args, **kwargs)
                except NewsdeskError as error:
                    response = error_page(request, error)
            response.setdefault("Content-Language", translation.get_language())
        # Drafts and people's typed text must never be kept by a proxy or the browser's cache.
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def editors_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For authors and topics: editors and admins only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        permissions.check_can_manage_authors_and_topics(request.user)
        return view(request, *args, **kwargs)

    return desk_view(wrapped)


def parse_int(value: str | None, label: str) -> int:
    """An integer from a form or URL, or BadRequest (400) naming what was wrong."""
    try:
        return int(value or "")
    except (TypeError, ValueError):
        raise BadRequest(
            f"The {label} sent with this form is not a number ({value!r}). "
            "Reload the page and try again."
        ) from None


def add_errors(error: NewsdeskError, forms_: Iterable[forms.Form]) -> None:
    """Put an action's per-field messages on the form that has that field; the rest, and the
    overall message, become errors of the first form (shown at its top)."""
    forms_ = list(forms_)
    for field, messages in error.fields.items():
        target = next((f for f in forms_ if field in f.fields), None)
        for message in messages:
            forms_[0 if target is None else forms_.index(target)].add_error(
                field if target is not None else None, message
            )
    said = {m for messages in error.fields.values() for m in messages}
    if error.message not in said:
        forms_[0].add_error(None, error.message)
