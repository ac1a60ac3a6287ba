"""Checks on what people type, with messages meant for them. Used by every write action.

Text is kept exactly as typed, or refused with a message naming the field: we never change
words silently. What is refused is what one of our outputs cannot carry. Feeds and sitemaps are
XML 1.0, which has no way to write the C0 control characters other than TAB, LF and CR (not even
as `&#1;`), nor U+FFFE and U+FFFF; PostgreSQL cannot store NUL; UTF-8 cannot encode a lone
surrogate. DEL (U+007F) and the C1 controls (U+0080–U+009F) are legal in XML 1.0, JSON and both
databases, so they are kept like any other character. CR is kept too: an XML reader sees a CR
LF as LF, which is how XML reads every line end, not a change of the text.

`replace_xml_illegal` is the other half: text that reaches an XML or HTML output from elsewhere
(the Markdown renderer decoding `&#1;`, rows stored before these checks) has those characters
replaced by U+FFFD, so no output can be made ill-formed by what it carries.
"""

from __future__ import annotations

import re

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


# Characters no XML 1.0 document can hold, whether written raw or as a character reference.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def replace_xml_illegal(text: str) -> str:
    """`text` with every character XML 1.0 cannot hold replaced by U+FFFD (as HTML parsers do
    with a reference to one); text without such characters is returned as it is."""
    if XML_ILLEGAL.search(text) is None:
        return text
    return XML_ILLEGAL.sub(REPLACEMENT, text)


def _illegal_character_problem(label: str, value: str) -> str | None:
    found = XML_ILLEGAL.search(value)
    if found is None:
        return None
    char = found.group()
    where = f"at character {found.start() + 1:,}"
    if char == "\x00":
        return (
            f"{label} contains a NUL character (\\0) {where}, which cannot be stored. "
            "Remove it and save again."
        )
    if "\ud800" <= char <= "\udfff":
        return (
            f"{label} contains an invalid character (an unpaired surrogate) {where}. "
            "Retype or remove it."
        )
    kind = "a control character" if char < " " else "a non-character"
    return (
        f"{label} contains {kind} (U+{ord(char):04X}) {where}, which feeds and sitemaps "
        "cannot carry. It is invisible, often pasted from another program: remove it (retype "
        "the text around it) and save again."
    )


def text_problem(label: str, value: str, limit: int, *, required: bool) -> str | None:
    """Why a text field cannot be saved, or None when it can."""
    if not isinstance(value, str):
        return f"{label} must be text."
    if required and not value.strip():
        return f"{label} is required."
    if len(value) > limit:
        return f"{label} is {len(value):,} characters long; the limit is {limit:,}."
    return _illegal_character_problem(label, value)


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
