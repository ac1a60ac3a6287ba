"""Row ids as people and machines send them: in addresses, forms, JSON bodies and query strings.

Every table's primary key is a 64-bit integer, so no row has an id outside 1..MAX_ID. A number
beyond that is not "a row that does not exist" to the database: SQLite raises OverflowError and
PostgreSQL a DataError, and the page would fail with a 500. Each road in checks the range first,
here: `<id:…>` in URL patterns (a 404, like any other id with no row), `parse_id` for values in
forms and bodies (the caller says "No image with id …"), and `schemas.Id` in the API.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest BIGINT, on PostgreSQL and SQLite alike
MAX_ID_DIGITS = len(str(MAX_ID))


def parse_id(value: object) -> int | None:
    """`value` as an id that a row could have, or None when it cannot be one (not a whole
    number, or outside 1..MAX_ID). Strings of any length are safe: no int() of 5,000 digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()) or len(text) > MAX_ID_DIGITS:
            return None
        number = int(text)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def whole_number_text(value: object) -> str | None:
    """A whole number (int or a string of digits, maybe negative) as a message can show it, or
    None for anything else. Very long numbers are shortened: "12345678…(5,000 digits)"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if value.bit_length() > 200:  # str() refuses beyond 4,300 digits; no message needs them
            return f"of {value.bit_length():,} bits"
        value = str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        return None
    return text if len(text) <= 30 else f"{text[:8]}…({len(digits):,} digits)"


class IdConverter:
    """`<id:story_id>` in a URL pattern: 1 to 19 ASCII digits naming a possible row; anything
    else does not match, so the address answers 404 like an id with no row behind it."""

    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(f"{value!r} is not an id")  # Django: this pattern does not match
        return number

    def to_url(self, value: int) -> str:
        return str(value)
