"""The editions: one per language, each with its own News Feed, pages, search, feeds and stream.

An edition is data (`NEWSDESK_EDITIONS`, read into `settings.EDITIONS`): a language and the
prefix of its addresses ("" for the edition at `/`, "uk" for `/uk/`). Nothing here reads the
database: a request's edition follows from its address alone, and a story's from its
`language`, so finding it costs a dictionary lookup on every page.

A story belongs to the edition of its language's primary subtag (`en-GB` → `en`); a story in a
language no edition has belongs to the edition at `/`, so nothing published is ever unreachable.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation


@dataclass(frozen=True)
class Edition:
    language: str  # "uk": the edition's name in `?edition=` and the language of its interface
    prefix: str  # "uk", or "" for the edition at /

    @property
    def root(self) -> str:
        """The path of its News Feed: "/" or "/uk/"."""
        return f"/{self.prefix}/" if self.prefix else "/"

    @property
    def is_default(self) -> bool:
        return not self.prefix


@functools.cache
def _editions(configured: tuple[tuple[str, str], ...]) -> tuple[Edition, ...]:
    return tuple(Edition(language, prefix) for language, prefix in configured)


def every() -> tuple[Edition, ...]:
    """Every edition, the one at / first."""
    return _editions(tuple(settings.EDITIONS))


def default() -> Edition:
    return every()[0]


def primary(language: str) -> str:
    """The primary subtag of a language tag: "en-GB" → "en"."""
    return (language or "").strip().lower().replace("_", "-").split("-")[0]


def by_name(name: str | None) -> Edition | None:
    """The edition named `name` (its language), or None."""
    for edition in every():
        if edition.language == name:
            return edition
    return None


def of_language(language: str | None) -> Edition:
    """The edition a story in `language` belongs to (the default one for a language without)."""
    return by_name(primary(language or "")) or default()


def of_path(path: str) -> Edition:
    """The edition whose prefix begins `path` ("/uk/…" → uk), else the one at /."""
    first = path.lstrip("/").split("/", 1)[0]
    if first:
        for edition in every():
            if edition.prefix == first:
                return edition
    return default()


def current() -> Edition:
    """The edition of the active language (what the request's address chose)."""
    return of_language(translation.get_language())


def other_languages(edition: Edition) -> list[str]:
    """The languages of every other edition: what the default edition leaves out."""
    return [other.language for other in every() if other != edition]


class EditionPrefixPattern:
    """The URL pattern in front of every edition's addresses: the active edition's prefix.

    Django's `LocalePrefixPattern` (`i18n_patterns`), with the prefix an edition's, not the
    language code: resolving matches the prefix of the edition the request's address chose
    (`public.editions.EditionMiddleware` activated its language), and `reverse()` gives the
    address in the active language's edition. Django keeps its reverse tables per active
    language, so each edition's addresses are computed once."""

    converters: dict = {}

    @property
    def language_prefix(self) -> str:
        prefix = current().prefix
        return f"{prefix}/" if prefix else ""

    @property
    def regex(self) -> re.Pattern:
        return re.compile(re.escape(self.language_prefix))

    def match(self, path: str):
        prefix = self.language_prefix
        if path.startswith(prefix):
            return path.removeprefix(prefix), (), {}
        return None

    def check(self) -> list:
        return []

    def describe(self) -> str:
        return f"'{self}'"

    def __str__(self) -> str:
        return self.language_prefix
