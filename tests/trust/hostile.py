"""Shared hostile input for the trust tests: XSS vectors chosen across kinds from the shared
list (rewritten to set `window.__xss` if they ever run), a checker of rendered HTML, and what the
no-500 tests type: the Big List of Naughty Strings, control characters (raw and as `&#N;`) and
integer edges."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from newsdesk.config import env

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".." / "shared" / "data"
DANGEROUS_TAGS = {"iframe", "object", "embed", "svg", "math", "form", "base", "meta", "link"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}
# Kinds of vector, so the sample spans them instead of 100 variants of one trick.
KINDS = {
    "script": re.compile(r"<\s*script", re.I),
    "handler": re.compile(r"\son\w+\s*=", re.I),
    "js-url": re.compile(r"javascript\s*:", re.I),
    "data-url": re.compile(r"data\s*:", re.I),
    "svg": re.compile(r"<\s*svg", re.I),
    "entity": re.compile(r"&#|&\w+;|\\x|\\u", re.I),
    "broken": re.compile(r"<[^>]*$|<<|\"\s*>|'\s*>"),
    "css": re.compile(r"expression\s*\(|style\s*=|<\s*style", re.I),
    "iframe": re.compile(r"<\s*(iframe|object|embed|meta|base|link)", re.I),
}
PER_KIND = 16


def shared_file(name: str) -> Path | None:
    path = DATA / name
    if path.exists():
        return path
    if env.is_ci():
        pytest.fail(f"shared/data/{name} is missing, and CI=true forbids skipping")
    pytest.skip(f"shared/data/{name} is not on this machine (it sits beside the repository).")
    return None


def arm(payload: str) -> str:
    """The payload with alert/prompt/confirm made to set `window.__xss` first, if it runs."""
    return re.sub(r"\b(alert|prompt|confirm)\b", r"(window.__xss=1,\1)", payload)


def xss_vectors() -> list[str]:
    """At least 100 distinct armed vectors, PER_KIND of each kind, in file order."""
    lines = shared_file("xss-payload-list.txt").read_text(encoding="utf-8", errors="replace")
    chosen: list[str] = []
    for pattern in KINDS.values():
        taken = 0
        for line in lines.splitlines():
            line = line.strip()
            if line and pattern.search(line) and line not in chosen and len(line) < 400:
                chosen.append(line)
                taken += 1
                if taken == PER_KIND:
                    break
    assert len(chosen) >= 100
    return [arm(v) for v in chosen]


def is_our_search_box(form) -> bool:
    """The site's own search box (header, phone menu, 404 page): a GET to /search, nothing else.
    Bodies can never hold a form (the sanitiser drops the tag), so any other form is injected."""
    ours = ("search", "get", "/search")
    return (form.get("role"), form.get("method"), form.get("action")) == ours


def assert_safe_html(markup: str, where: str = "") -> None:
    """No script element (except our own /static/ files), no event handler, no javascript: or
    data: URL, no frames, embeds, SVG or CSS expressions."""
    # Control characters are harmless in a page but lxml refuses them: drop them first.
    markup = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", markup)
    if not markup.strip():
        return
    tree = lxml.html.fragment_fromstring(markup, create_parent="div")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "script":
            assert (element.get("src") or "").startswith("/static/"), (where, markup[:300])
            assert not (element.text or "").strip() or element.get("type") in {
                "application/ld+json",
                "application/json",
            }, (where, element.text)
            continue
        if tag == "form" and is_our_search_box(element):
            continue
        assert tag not in DANGEROUS_TAGS, (where, tag)
        for name, value in element.attrib.items():
            lowered = name.lower()
            assert not lowered.startswith("on"), (where, name, value)
            compact = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if lowered in URL_ATTRIBUTES:
                assert not compact.startswith(("javascript:", "vbscript:", "data:text")), (
                    where,
                    value,
                )
            if lowered == "style":
                assert "expression(" not in compact and "url(" not in compact, (where, value)


# ── input that must never give a 500: naughty strings, control characters, integer edges ─────

# Every character XML 1.0 cannot hold (all C0 controls but TAB, LF, CR; U+FFFE, U+FFFF), plus
# the ones it can (TAB, LF, CR, DEL, the C1 controls) so both sides of the rule are tried.
XML_ILLEGAL_CHARACTERS = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + [
    "\ufffe",
    "\uffff",
]
XML_LEGAL_CONTROLS = ["\t", "\n", "\r", "\r\n", "\x7f", "\x80", "\x85", "\x9f"]
CONTROL_STRINGS = [f"before{c}after" for c in XML_ILLEGAL_CHARACTERS + XML_LEGAL_CONTROLS] + [
    "".join(XML_ILLEGAL_CHARACTERS)
]
# The same characters written as character references, in text and in raw HTML, decimal and
# hex, plus references to no character at all (0, a surrogate, beyond U+10FFFF).
_REFERENCED = [ord(c) for c in XML_ILLEGAL_CHARACTERS] + [0x7F, 0x85, 0xD800, 0x110000]
ENTITY_STRINGS = [f"x &#{n}; y" for n in _REFERENCED] + [
    f'<p title="&#x{n:x};">x &#x{n:X}; y</p>' for n in _REFERENCED
]
# Numbers where ids and counters break: 0, negatives, 32- and 64-bit edges, beyond them, and
# numbers longer than Python's int() accepts from a string (4,300 digits).
BOUNDARY_INTEGERS: list[int | str] = [
    0, -1, 1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30,
    "9" * 5000, "-" + "9" * 5000, "1e3", "0x10", " 7 ", "１２", "⁴²", "", "null",
]  # fmt: skip
NAUGHTY_EXTRA = [
    "\u202ereversed\u202c text",
    "zero\u200bwidth\u200djoin\ufeff",
    "emoji 👩🏽‍🚒🏳️‍🌈🇺🇦",
    "lone surrogate \ud800 here",
    "'; DROP TABLE stories_story; --",
    "{{ settings.SECRET_KEY }} {% debug %}",
    "]]> <![CDATA[ x ]]>",
    "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>&e;",
    "x" * 400,
    "\r\n\r\n",
    "   ",
]


def naughty_strings() -> list[str]:
    """The Big List of Naughty Strings (shared/data/blns.json) and a few of our own."""
    path = shared_file("blns.json")
    blns = [s for s in json.loads(path.read_text(encoding="utf-8")) if isinstance(s, str)]
    return blns + NAUGHTY_EXTRA


def hostile_strings() -> list[str]:
    """Everything the no-500 tests type into text fields, as one list."""
    return naughty_strings() + CONTROL_STRINGS + ENTITY_STRINGS
