"""Headlines with their hits marked, and short snippets of the text around the hits.

Made in Python for both databases, from the stored text, because the index holds word forms
(`terms`), not the words readers see: a hit is a word of the text whose forms meet the query's
("sandbags" for "sandbag"), or that the query's last word begins. Marks are MARK_START/MARK_END,
turned into <mark> after escaping by `text.marked_html`.
"""

from __future__ import annotations

import re
from collections import Counter

from newsdesk.search.terms import Term
from newsdesk.search.text import MARK_END, MARK_START, without_addresses

_WORD = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 24
# Snippets come from the start of a long body: marking a 5,000-word article for each hit of a
# page would cost more than the search. A hit further in shows the summary instead.
SNIPPET_SOURCE = 20_000  # characters


class Matcher:
    """Whether a query's terms find a word, remembered for the words of one page of results
    (stories share most of their words)."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms
        self.known: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        found = self.known.get(word)
        if found is None:
            found = self.known[word] = any(term.matches(word) for term in self.terms)
        return found


def _found_words(text: str, matches: Matcher) -> set[str]:
    """The distinct words of the text that the terms find."""
    return {word for word in set(_WORD.findall(text)) if matches(word)}


def _marked(text: str, tokens: list[re.Match], hits: list[int], start: int, end: int) -> str:
    out, at = [], start
    for index in hits:
        token = tokens[index]
        if token.start() < start or token.end() > end:
            continue
        out += [text[at : token.start()], MARK_START, token.group(), MARK_END]
        at = token.end()
    out.append(text[at:end])
    return "".join(out)


def _hits(text: str, found: set[str]) -> tuple[list[re.Match], list[int]]:
    tokens = list(_WORD.finditer(text))
    return tokens, [i for i, token in enumerate(tokens) if token.group() in found]


def highlight(text: str, matches: Matcher) -> str:
    """The whole text, every hit marked (for headlines)."""
    found = _found_words(text, matches)
    if not found:
        return text
    tokens, hits = _hits(text, found)
    return _marked(text, tokens, hits, 0, len(text))


def _best_start(tokens: list[re.Match], hits: list[int], words: int) -> int:
    """The hit that starts the run of `words` words with the most distinct words found
    (the earliest of equals), by a window sliding over the hits."""
    best, best_score, counts, ahead = hits[0], 0, Counter(), 0
    for index in hits:
        while ahead < len(hits) and hits[ahead] < index + words:
            counts[tokens[hits[ahead]].group().casefold()] += 1
            ahead += 1
        if len(counts) > best_score:
            best, best_score = index, len(counts)
        key = tokens[index].group().casefold()
        counts[key] -= 1
        if not counts[key]:
            del counts[key]
    return best


def snippet(texts: list[str], matches: Matcher, words: int = SNIPPET_WORDS) -> str:
    """About `words` words of the first text that has hits, from a little before the run of
    `words` words holding the most distinct hits, with "…" where it was cut; the opening of the
    first non-empty text when none has any."""
    texts = [t for t in (without_addresses(t[:SNIPPET_SOURCE]) for t in texts if t) if t.strip()]
    if not texts:
        return ""
    text, found = texts[0], set()
    for candidate in texts:
        found = _found_words(candidate, matches)
        if found:
            text = candidate
            break
    tokens, hits = _hits(text, found) if found else (list(_WORD.finditer(text)), [])
    if not tokens:
        return text[:200]
    first = 0
    if hits:
        first = max(0, min(_best_start(tokens, hits, words) - 4, len(tokens) - words))
    last = min(len(tokens), first + words) - 1
    start = 0 if first == 0 else tokens[first].start()
    end = len(text) if last == len(tokens) - 1 else tokens[last].end()
    body = _marked(text, tokens, hits, start, end).strip()
    return ("…" if start else "") + body + ("…" if end < len(text.rstrip()) else "")
