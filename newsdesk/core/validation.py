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

from newsdesk.core.errors import InvalidInput

# Fields whose text is kept with its leading and trailing blanks (Markdown and prose blocks).
KEEP_BLANKS = {"body", "bio"}
# A slug made from a name leaves this much room for the "-2", "-3", … that makes it unique.
SLUG_SUFFIX_ROOM = 12


def max_length(model, field: str) -> int:
    """The length limit of `model.field`: its `max_length`, the one definition every check,
    form and API schema reads. A text field without one is a mistake we want to hear about."""
    limit = model._meta.get_field(field).max_length
    if limit is None:
        raise TypeError(f"{model.__name__}.{field} has no max_length: give it one on the model.")
    return limit


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
    """Collects problems field by field, so a form can show them all at once. Lengths are those
    of `model`'s fields (`max_length`); `limit=` names one for a field the model does not have."""

    def __init__(self, model=None) -> None:
        self.model = model
        self.problems: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.problems.setdefault(field, []).append(message)

    def text(
        self, data: dict, field: str, label: str, *, required: bool = False, limit: int = 0
    ) -> str:
        value = data.get(field, "")
        if value is None:
            value = ""
        problem = text_problem(
            label, value, limit or max_length(self.model, field), required=required
        )
        if problem:
            self.add(field, problem)
            return ""
        return value.strip() if field not in KEEP_BLANKS else value

    def raise_if_any(self, summary: str = "Some fields need a look.") -> None:
        if self.problems:
            first = next(iter(self.problems.values()))[0]
            message = first if len(self.problems) == 1 else summary
            raise InvalidInput(message, fields=self.problems)


def base_slug(text: str, fallback: str, model) -> str:
    """A slug for `model` made from `text`, short enough to stay within the model's slug field
    once a number is added to make it unique."""
    room = max_length(model, "slug") - SLUG_SUFFIX_ROOM
    slug = slugify(text, allow_unicode=True)[:room].strip("-_")
    return slug or fallback
