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
# Snippets come from the start of a long body: marking a 5,000-word article for each hit of a
# page would cost more than the search. A hit further in shows the summary instead.
SNIPPET_SOURCE = 20_000  # characters


def _matcher(terms: list[Term]):
    """word → whether any term finds it, remembered per distinct word of the text."""
    known: dict[str, bool] = {}

    def matches(word: str) -> bool:
        found = known.get(word)
        if found is None:
            found = known[word] = any(term.matches(word) for term in terms)
        return found

    return matches


def _marked(text: str, tokens: list[re.Match], hits: set[int], start: int, end: int) -> str:
    out, at = [], start
    for index in sorted(hits):
        token = tokens[index]
        if token.start() < start or token.end() > end:
            continue
        out += [text[at : token.start()], MARK_START, token.group(), MARK_END]
        at = token.end()
    out.append(text[at:end])
    return "".join(out)


def _hits(text: str, terms: list[Term]) -> tuple[list[re.Match], set[int]]:
    tokens = list(_WORD.finditer(text))
    matches = _matcher(terms)
    return tokens, {i for i, token in enumerate(tokens) if matches(token.group())}


def highlight(text: str, terms: list[Term]) -> str:
    """The whole text, every hit marked (for headlines)."""
    tokens, hits = _hits(text, terms)
    return _marked(text, tokens, hits, 0, len(text))


def snippet(texts: list[str], terms: list[Term], words: int = SNIPPET_WORDS) -> str:
    """About `words` words of the first text that has hits, from a little before the run of
    `words` words holding the most distinct hits, with "…" where it was cut; the opening of the
    first non-empty text when none has any."""
    texts = [t for t in (without_addresses(t[:SNIPPET_SOURCE]) for t in texts if t) if t.strip()]
    if not texts:
        return ""
    for text in texts:
        tokens, hits = _hits(text, terms)
        if hits:
            break
    else:
        text = texts[0]
        tokens, hits = list(_WORD.finditer(text)), set()
    if not tokens:
        return text[:200]
    first = 0
    if hits:
        ordered = sorted(hits)
        best = max(
            ordered,
            key=lambda i: (
                len({tokens[j].group().casefold() for j in ordered if i <= j < i + words}),
                -i,
            ),
        )
        first = max(0, min(best - 4, len(tokens) - words))
    last = min(len(tokens), first + words) - 1
    start = 0 if first == 0 else tokens[first].start()
    end = len(text) if last == len(tokens) - 1 else tokens[last].end()
    body = _marked(text, tokens, hits, start, end).strip()
    return ("…" if start else "") + body + ("…" if end < len(text.rstrip()) else "")
