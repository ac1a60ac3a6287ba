"""`reverse()`, remembered: the one way our code turns a URL name into a path on hot paths.

Why: `reverse()` costs tens of microseconds (resolver lookups, thread-local reads), and a reader
page asks for dozens of addresses (its items, the header's sections, the feed links), which was
a large part of drawing the page frame. The URL configuration never changes while a process
runs, so the answer depends only on the name, the arguments and what `reverse()` itself reads
per request: the script prefix (SCRIPT_NAME) and the active language (for language-prefixed
patterns). Those are part of the key, so a deployment under a prefix or another language gets
its own entries, never another's.
"""

from __future__ import annotations

import functools

from django.urls import get_script_prefix, reverse
from django.utils import translation


def path_to(name: str, *args, **kwargs) -> str:
    """`reverse(name, args=args, kwargs=kwargs)`, remembered (see the module docstring)."""
    key = tuple(sorted(kwargs.items())) if kwargs else ()
    return _reversed(get_script_prefix(), translation.get_language(), name, args, key)


def path_in(language: str, name: str, *args, **kwargs) -> str:
    """`path_to` in the edition of `language` (`core.editions`), whatever edition the request
    is in: a story's address is under its own edition's prefix on every page, feed and API."""
    key = tuple(sorted(kwargs.items())) if kwargs else ()
    return _reversed(get_script_prefix(), language, name, args, key)


@functools.lru_cache(maxsize=50_000)
def _reversed(prefix: str, language: str | None, name: str, args: tuple, kwargs: tuple) -> str:
    if language is None or language == translation.get_language():
        return reverse(name, args=args or None, kwargs=dict(kwargs) or None)
    with translation.override(language):
        return reverse(name, args=args or None, kwargs=dict(kwargs) or None)
