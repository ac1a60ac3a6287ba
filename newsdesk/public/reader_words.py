"""The words reader pages' JavaScript writes, in the page's language, and the editions' names.

The scripts (`newsdesk.js`, `live.js`, `coverage.js`) are the same file for every edition; the
words they put on the page ("Today", "3 new updates", month names) come from the catalogue like
every other word, handed to them in a JSON data block (`<script type="application/json">`, never
executed, so the Content-Security-Policy needs nothing for it). A count's words are sent as a
table of which plural form each number takes (`plural_table`), computed by gettext itself, so the
browser gets Ukrainian's three forms right (1 нове оновлення, 2 нові оновлення, 5 нових
оновлень) without knowing the language's rule.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable

from django.conf.locale import LANG_INFO
from django.utils import dateformat, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from newsdesk.core import editions

# Plural rules of gettext depend on n and n % 100: numbers 0–199 show every form, and a larger
# number takes the form of 100 + n % 100.
TABLE_SIZE = 200


def plural_table(words_for: Callable[[int], str]) -> dict:
    """{"forms": [...], "table": "0111…"}: the form `words_for(n)` (an `ngettext` call) takes
    for each n < 200, as an index into `forms` (each with `%(count)s` where the number goes)."""
    forms: list[str] = []
    indexes = []
    for n in range(TABLE_SIZE):
        text = words_for(n)
        if text not in forms:
            forms.append(text)
        indexes.append(str(forms.index(text)))
    return {"forms": forms, "table": "".join(indexes)}


def _words() -> dict:
    months = [dateformat.format(dt.date(2026, month, 1), "E") for month in range(1, 13)]
    return {
        "today": gettext("Today"),
        "yesterday": gettext("Yesterday"),
        "months": months,
        "am": gettext("AM"),
        "pm": gettext("PM"),
        "new_updates": plural_table(
            lambda n: ngettext("%(count)s new update", "%(count)s new updates", n)
        ),
        "show_new_updates": plural_table(
            lambda n: ngettext("Show %(count)s new update", "Show %(count)s new updates", n)
        ),
        "your_time_zone": gettext("your time zone (%(zone)s)"),
        "coverage_ended": gettext("Ended: coverage ended at %(time)s"),
        "new_entry": gettext("New entry: %(title)s"),
    }


@functools.lru_cache(maxsize=32)
def _script(language: str) -> SafeString:
    with translation.override(language):
        text = json.dumps(_words(), ensure_ascii=False, separators=(",", ":"))
    # `<`, `>` and `&` as JSON escapes: nothing in the words can end the element.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return format_html(
        '<script type="application/json" id="reader-words">{}</script>', SafeString(text)
    )


def script() -> SafeString:
    """The JSON data block of the current edition's words, drawn once per language."""
    return _script(editions.current().language)


def edition_name(edition: editions.Edition) -> str:
    """An edition's name in its own language ("English", "Українська"), as a switcher shows it."""
    info = LANG_INFO.get(edition.language, {})
    name = info.get("name_local") or edition.language
    return name[:1].upper() + name[1:]


def live_query(separator: str = "?") -> str:
    """The live stream's and poll's query naming the current edition ("" for the one at /,
    whose stream is the plain `/live/stream`)."""
    edition = editions.current()
    return "" if edition.is_default else f"{separator}edition={edition.language}"
