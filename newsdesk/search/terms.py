"""Word forms: the terms a word is indexed by and searched for, the same on both databases.

"sandbags" and "sandbag" are both indexed and searched as "sandbag", and "бібліотеці" and
"бібліотека" as "бібліотека", so a word finds its other forms. The terms are made here, in
Python, at index time and at query time, and the databases index the terms with their plain
tokenizers (FTS5 `unicode61`, PostgreSQL's `newsdesk_search`, `simple` plus unaccent): results
are the same on SQLite and PostgreSQL, which has no Ukrainian configuration of its own.

- Words in Latin letters take the Snowball English stemmer (`snowballstemmer`).
- Words in Cyrillic letters take their Ukrainian dictionary forms (`pymorphy3` with the
  `pymorphy3-dicts-uk` dictionary, which also guesses the forms of words it has never seen from
  their endings): every lemma the word may be a form of ("мішки" → "мішка", "мішок"), so two forms
  of a word always share one.
- Anything else (digits, other scripts) is its case-folded self.

The script of a word decides, not the story's `language`: an English story quotes Ukrainian
names and a query has no language, while for these two languages the letters alone tell which
stemmer a word needs. Each edition's search (`search_stories(edition=…)`) keeps to its own
stories, so the English edition's searches use English forms and the Ukrainian one's Ukrainian
forms for its words. An edition in another Latin or Cyrillic language would pick its stemmer by
(edition, script) here.

Changing what a word becomes (another stemmer, a new dictionary) changes the index: run
`newsdesk reindex` after it (on SQLite the index's delete trigger recomputes a row's old terms,
so they must be those it was indexed with).
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass

import snowballstemmer

_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z\u00c0-\u024f]", re.IGNORECASE)
# The last word of a query also finds words it begins, from this many letters on ("sandb").
PREFIX_MIN = 3

_lock = threading.Lock()  # Snowball stemmers keep state between calls; pymorphy3 loads once
_english = snowballstemmer.stemmer("english")
_ukrainian = None


def _ukrainian_analyzer():
    global _ukrainian
    if _ukrainian is None:
        import pymorphy3

        # It announces at INFO where its dictionary is, in every process's log.
        logging.getLogger("pymorphy3").setLevel(logging.WARNING)
        _ukrainian = pymorphy3.MorphAnalyzer(lang="uk")
    return _ukrainian


@functools.lru_cache(maxsize=200_000)
def word_terms(word: str) -> tuple[str, ...]:
    """The index terms of one word (letters and digits only), sorted; never empty."""
    folded = word.casefold()
    if _CYRILLIC.search(folded):
        with _lock:
            forms = {parse.normal_form for parse in _ukrainian_analyzer().parse(folded)}
    elif _LATIN.search(folded):
        with _lock:
            forms = {_english.stemWord(folded)}
    else:
        return (folded,)
    # A dictionary form is one word of letters; anything else would split into other tokens.
    terms = sorted(form for form in forms if _WORD.fullmatch(form))
    return tuple(terms) or (folded,)


def index_terms(text: str | None) -> str:
    """Text as the full-text index sees it: each word replaced by its terms."""
    if not text:
        return ""
    return " ".join(" ".join(word_terms(word)) for word in _WORD.findall(text))


@functools.lru_cache(maxsize=100_000)
def folded(word: str) -> str:
    """Case and accents folded, as both tokenizers fold them (for comparing prefixes)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Term:
    """One word of a query: found by any of its forms, or by a word it begins when `prefix`."""

    word: str
    forms: tuple[str, ...]
    prefix: str = ""

    def matches(self, word: str) -> bool:
        """Whether a word of a story's text is one this term finds (for marking hits)."""
        if self.prefix and folded(word).startswith(folded(self.prefix)):
            return True
        return not set(word_terms(word)).isdisjoint(self.forms)


def whole_words(terms: list[Term]) -> list[Term]:
    """The same terms, none of them a prefix.

    The backends first look for the words as whole words: when more than a window's worth of
    stories hold them, the reader has typed a whole common word and the prefix is dropped. A
    prefix query reads the whole index list of every word it begins (FTS5 merges them before
    the first row; a GIN partial match does the same), which for "harbour*" in every story is a
    walk of the archive, while the window stops after its first 1,001 matches."""
    return [Term(term.word, term.forms) for term in terms]


def query_terms(words: list[str]) -> list[Term]:
    """The terms of a query's words; the last one, being typed, also finds words it begins."""
    terms = []
    for position, word in enumerate(words):
        last = position == len(words) - 1
        prefix = word.casefold() if last and len(word) >= PREFIX_MIN else ""
        terms.append(Term(word, word_terms(word), prefix))
    return terms
