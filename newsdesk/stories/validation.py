"""Checks on what people type, with messages meant for them. Used by every write action."""

from __future__ import annotations

from django.utils.text import slugify

from newsdesk.stories.errors import InvalidInput

LIMITS = {
    "headline": 300,
    "summary": 1000,
    "body": 200_000,
    "slug": 200,
    "text": 5000,
    "name": 120,
    "role": 120,
    "bio": 5000,
    "description": 2000,
    "language": 16,
}


def text_problem(label: str, value: str, limit: int, *, required: bool) -> str | None:
    """Why a text field cannot be saved, or None when it can."""
    if not isinstance(value, str):
        return f"{label} must be text."
    if required and not value.strip():
        return f"{label} is required."
    if len(value) > limit:
        return f"{label} is {len(value):,} characters long; the limit is {limit:,}."
    if "\x00" in value:
        return (
            f"{label} contains a NUL character (\\0), which cannot be stored. "
            "Remove it and save again."
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return (
            f"{label} contains an invalid character (an unpaired surrogate). Retype or remove it."
        )
    return None


class FieldChecker:
    """Collects problems field by field, so a form can show them all at once."""

    def __init__(self) -> None:
        self.problems: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.problems.setdefault(field, []).append(message)

    def text(self, data: dict, field: str, label: str, *, required: bool = False) -> str:
        value = data.get(field, "")
        if value is None:
            value = ""
        problem = text_problem(label, value, LIMITS.get(field, LIMITS["text"]), required=required)
        if problem:
            self.add(field, problem)
            return ""
        return value.strip() if field not in {"body", "bio"} else value

    def raise_if_any(self, summary: str = "Some fields need a look.") -> None:
        if self.problems:
            first = next(iter(self.problems.values()))[0]
            message = first if len(self.problems) == 1 else summary
            raise InvalidInput(message, fields=self.problems)


def base_slug(text: str, fallback: str) -> str:
    slug = slugify(text, allow_unicode=True)[: LIMITS["slug"] - 12].strip("-_")
    return slug or fallback
