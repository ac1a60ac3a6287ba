"""Differences between two versions of a story's text, for people to read, and the merge of two
people's edits of one text.

`word_diff` marks what differs word by word on each side (side by side: what only the left has,
what only the right has); `merge_texts` applies two people's line edits of the same base text when
they touch different lines, and gives up (None) when they touch the same ones, so a person decides.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKENS = re.compile(r"\s+|[^\s]+")


def normalise(text: str | None) -> str:
    """Text as compared: a browser's textarea sends CRLF line ends, the database keeps LF."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class SideBySide:
    left: SafeString
    right: SafeString
    changed: bool


def word_diff(left: str | None, right: str | None) -> SideBySide:
    """Both texts as HTML, with the words only the left has in <del> and the words only the
    right has in <ins>; everything else escaped as it is (line breaks kept by the page's CSS)."""
    a, b = _TOKENS.findall(normalise(left)), _TOKENS.findall(normalise(right))
    out_left: list[str] = []
    out_right: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if tag == "equal":
            out_left.append(old)
            out_right.append(new)
            continue
        if old:
            out_left.append(f'<del class="diff-del">{old}</del>')
        if new:
            out_right.append(f'<ins class="diff-ins">{new}</ins>')
    # Every piece was escaped above; only the marks are HTML.
    return SideBySide(
        mark_safe("".join(out_left)),
        mark_safe("".join(out_right)),
        changed=a != b,
    )


def merge_texts(base: str | None, mine: str | None, theirs: str | None) -> str | None:
    """Both edits of `base` applied, when they change different lines; None when they change the
    same lines differently (or add different lines at the same place), where only a person can
    choose. Identical edits on both sides count once."""
    base, mine, theirs = normalise(base), normalise(mine), normalise(theirs)
    base_lines = _lines(base)
    changes = _changes(base_lines, mine, "mine") + _changes(base_lines, theirs, "theirs")
    changes.sort(key=lambda c: (c[0], c[1]))
    kept: list[tuple[int, int, list[str], str]] = []
    for change in changes:
        if kept:
            prev = kept[-1]
            if change[:3] == prev[:3]:
                continue  # both made the same change
            touching_insert = change[0] == prev[0] and (
                prev[0] == prev[1] or change[0] == change[1]
            )
            if change[0] < prev[1] or touching_insert:
                return None
        kept.append(change)
    merged: list[str] = []
    at = 0
    for start, end, lines, _side in kept:
        merged.extend(base_lines[at:start])
        merged.extend(lines)
        at = end
    merged.extend(base_lines[at:])
    text = "".join(merged)
    # Every line was compared with its newline; the result ends as the edits did.
    if not (mine.endswith("\n") or theirs.endswith("\n")):
        text = text.removesuffix("\n")
    return text


def _lines(text: str) -> list[str]:
    return [line if line.endswith("\n") else line + "\n" for line in text.splitlines(True)]


def _changes(base_lines: list[str], text: str, side: str) -> list[tuple[int, int, list[str], str]]:
    lines = _lines(text)
    matcher = difflib.SequenceMatcher(None, base_lines, lines, autojunk=False)
    return [
        (i1, i2, lines[j1:j2], side)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
