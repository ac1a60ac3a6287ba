"""Reader pages drawn once per version as a shell with holes, and filled per request.

Why: after `public.fragments` kept the feed items, most of what an uncached page still cost was
Django's template engine drawing the same page around them: the header, the topic index, the
story's title and metadata, the footer. None of it changes between two publishes, yet the items,
their Show More link and the live stream's starting point do. So a page template is drawn with
a marker in each of those places (its *slots*), the result is split at the markers and kept in
this process's memory (`core.memory`) under a key that names everything else the page was drawn
from; a request then only joins the kept pieces with its own slot values.

Both ways a reader page is answered use this: Django's views, and the fast path of
`public.fast`, which finds the same shells by the same keys. A page therefore has one template
and one drawing, however it is served.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from newsdesk.core import memory

# A secret per process: text that editors write (a headline, a caption) can never hold a marker.
_MARK = "\x00slot:{}:" + secrets.token_hex(8) + "\x00"


@dataclass(frozen=True)
class Shell:
    """Literal text and slot names, alternating: `pieces[0]`, slot `names[0]`, `pieces[1]`, …"""

    pieces: tuple[str, ...]
    names: tuple[str, ...]

    def fill(self, values: Mapping[str, str]) -> str:
        out = [self.pieces[0]]
        for name, piece in zip(self.names, self.pieces[1:], strict=True):
            out.append(values[name])
            out.append(piece)
        return "".join(out)


def _split(html: str, slots: tuple[str, ...]) -> Shell:
    pieces, names = [], []
    rest = html
    while True:
        starts = [(rest.find(_MARK.format(name)), name) for name in slots]
        starts = [(at, name) for at, name in starts if at >= 0]
        if not starts:
            pieces.append(rest)
            return Shell(tuple(pieces), tuple(names))
        at, name = min(starts)
        pieces.append(rest[:at])
        names.append(name)
        rest = rest[at + len(_MARK.format(name)) :]


def draw(template: str, context: dict, slots: tuple[str, ...], request=None) -> Shell:
    """`template` drawn with a marker in place of each slot (slot values are inserted as they
    come, so they must be HTML already)."""
    marked = {name: mark_safe(_MARK.format(name)) for name in slots}
    return _split(render_to_string(template, {**context, **marked}, request=request), slots)


def kept(key: tuple) -> Shell | None:
    """The shell kept under `key` by an earlier `shell()`, if this process still has it."""
    return memory.get(("shell", *key))


def shell(key: tuple | None, template: str, context: dict, slots: tuple[str, ...], request=None):
    """The shell of `template`, drawn once per `key` (None: draw it, keep nothing)."""
    if key is None:
        return draw(template, context, slots, request)
    return memory.get_or_set(("shell", *key), lambda: draw(template, context, slots, request))
