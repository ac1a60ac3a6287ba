"""Headlines with their hits marked, and short snippets of the text around the hits.

Made in Python for both databases, from the stored text, because the index holds word forms
(`terms`), not the words readers see: a hit is a word of the text whose forms meet the query's
("sandbags" for "sandbag"), or that the query's last word begins. Marks are MARK_START/MARK_END,
turned into <mark> after escaping by `text.marked_html`.
"""

from __future__ import annotations

import re

from newsdesk.search.terms import Term
from newsdesk.search.text import MARK_END, MARK_START, without_addresses

_WORD = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 24


def _hits(text: str, terms: list[Term]) -> list[re.Match]:
    return [m for m in _WORD.finditer(text) if any(term.matches(m.group()) for term in terms)]


def _marked(text: str, hits: list[re.Match], start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out, at = [], start
    for hit in hits:
        if hit.start() < start or hit.end() > end:
            continue
        out += [text[at : hit.start()], MARK_START, hit.group(), MARK_END]
        at = hit.end()
    out.append(text[at:end])
    return "".join(out)


def highlight(text: str, terms: list[Term]) -> str:
    """The whole text, every hit marked (for headlines)."""
    return _marked(text, _hits(text, terms))


def snippet(texts: list[str], terms: list[Term], words: int = SNIPPET_WORDS) -> str:
    """About `words` words of the first text that has hits, around the most distinct hits, with
    "…" where it was cut; the opening of the first non-empty text when none has any."""
    texts = [without_addresses(t) for t in texts if t]
    texts = [t for t in texts if t.strip()]
    if not texts:
        return ""
    for text in texts:
        hits = _hits(text, terms)
        if hits:
            break
    else:
        text, hits = texts[0], []
    tokens = list(_WORD.finditer(text))
    best, best_score = 0, -1
    hit_starts = {h.start() for h in hits}
    for first in range(max(1, len(tokens) - words + 1)) if hits else [0]:
        window = tokens[first : first + words]
        seen = {m.group().casefold() for m in window if m.start() in hit_starts}
        if len(seen) > best_score:
            best, best_score = first, len(seen)
    # Start a few words before the first hit in the window, so it reads as a sentence.
    window = tokens[best : best + words]
    first_hit = next((i for i, m in enumerate(window) if m.start() in hit_starts), 0)
    shift = max(0, first_hit - 4)
    window = tokens[best + shift : best + shift + words]
    if not window:
        return text[:200]
    start = 0 if best + shift == 0 else window[0].start()
    end = len(text) if best + shift + words >= len(tokens) else window[-1].end()
    body = _marked(text, hits, start, end).strip()
    return ("…" if start else "") + body + ("…" if end < len(text.rstrip()) else "")
