"""Short text cut from longer text: card summaries, feed excerpts, page descriptions.

One rule everywhere: cut at a word boundary, never inside a word, and end with "…" when
anything was cut, so a reader sees a sentence stop rather than a word broken off.
"""

from __future__ import annotations

import re

ELLIPSIS = "…"
# Punctuation that would sit oddly before the ellipsis ("power,…").
_TRAILING = " \t\n,;:-–—([{\"'«“‘"
_SPACE = re.compile(r"\s+")


def cut_at_word(text: str, limit: int) -> str:
    """`text` with its white space collapsed, at most `limit` characters long (the ellipsis
    included): whole words only, ending in "…" when it was cut.

    A single word longer than the limit (a long URL, a German compound) is cut inside, since
    there is no boundary to cut at."""
    text = _SPACE.sub(" ", text or "").strip()
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    room = limit - len(ELLIPSIS)
    head = text[: room + 1]  # one more: a cut right before a space keeps the last whole word
    boundary = head.rfind(" ")
    head = head[:boundary] if boundary > 0 else text[:room]
    return head.rstrip(_TRAILING) + ELLIPSIS
