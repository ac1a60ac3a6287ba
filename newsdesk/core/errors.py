"""Errors a user can cause, with messages meant for them.

Actions raise these; the edges (desk views, the API) turn them into form errors or JSON errors in
one place each. Anything else escaping an action is a bug.
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base for errors whose message can be shown to the person who caused them."""

    status_code = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(NewsdeskError):
    """Input that cannot be saved as it is; `fields` maps field names to messages."""


class NotAllowed(NewsdeskError):
    """The user's role does not allow this action."""

    status_code = 403


class EditConflict(NewsdeskError):
    """Somebody saved the story after this edit began; saving would overwrite their words."""

    status_code = 409

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message)
        self.current_version = current_version


class NotFound(NewsdeskError):
    status_code = 404
