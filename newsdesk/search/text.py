"""User text in, safe text out: query words for the backends, escaped snippets for pages.

A reader's query never reaches a full-text parser as syntax. It is cut into words here, and each
backend quotes the words itself, so `"`, `*`, `NEAR`, `AND`, `(`, `:` or NUL bytes are just text.
Snippets come back from the database with two private-use characters around each hit; the text is
HTML-escaped first and only then are those characters turned into our `<mark>` tags.
"""

from __future__ import annotations

import html
import re
import unicodedata

from django.utils.safestring import SafeString, mark_safe

MARK_START, MARK_END = "\ue000", "\ue001"
MAX_WORDS = 12
MAX_WORD_LENGTH = 64
MAX_QUERY_LENGTH = 1000

# Letters and digits, like the tokenizers on both backends; "_" and punctuation separate words.
_WORD = re.compile(r"[^\W_]+")
_MARKERS = re.compile(f"[{MARK_START}{MARK_END}]")
_SPLIT_MARKERS = re.compile(f"([{MARK_START}{MARK_END}])")
# A word that is an address: "https://…", "mailto:…" or a path "/stories/…". In a body's text
# these are related-story cards (a link on a line of its own, shown to readers as a card with
# the story's headline, never as its address), so they are neither words to find nor snippets.
_ADDRESS = re.compile(r"(?<!\S)(?:[a-z][a-z0-9+.-]*://|mailto:|/)\S*", re.IGNORECASE)


def query_words(query: str) -> list[str]:
    """The words of a query, NFC-normalised, at most MAX_WORDS of them, repeats dropped."""
    text = unicodedata.normalize("NFC", query[:MAX_QUERY_LENGTH].replace("\x00", " "))
    words: list[str] = []
    for word in _WORD.findall(text):
        word = word[:MAX_WORD_LENGTH]
        if word.casefold() not in {w.casefold() for w in words}:
            words.append(word)
        if len(words) == MAX_WORDS:
            break
    return words


def index_text(text: str) -> str:
    """Text as it goes into the index: without NUL bytes or our own highlight markers."""
    return _MARKERS.sub("", text.replace("\x00", ""))


def without_addresses(text: str) -> str:
    """Text without the addresses of related-story cards (and any other bare address)."""
    if "/" not in text and ":" not in text:
        return text
    return re.sub(r"  +", " ", _ADDRESS.sub("", text)).strip()


def marked_html(snippet: str) -> SafeString:
    """A backend snippet as HTML: everything escaped, our markers turned into <mark>."""
    escaped = html.escape(snippet or "", quote=False)
    # A fragment cut by the snippet function may leave a marker unclosed; close it ourselves.
    out, open_mark = [], False
    for part in _SPLIT_MARKERS.split(escaped):
        if part == MARK_START:
            if not open_mark:
                out.append("<mark>")
                open_mark = True
        elif part == MARK_END:
            if open_mark:
                out.append("</mark>")
                open_mark = False
        else:
            out.append(part)
    if open_mark:
        out.append("</mark>")
    return mark_safe("".join(out))
