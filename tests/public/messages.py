"""The reader interface's messages, read from the code, and the catalogue read from its .po file.

`extract()` finds every message the reader's templates (Jinja2's own extractor) and the reader's
Python (calls of gettext, ngettext, pgettext, gettext_noop) mark; `read_po()` reads a catalogue
the way msgfmt does, without gettext's tools. The tests compare the two, and the .po with the
compiled .mo that Django loads.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from jinja2.ext import babel_extract

ROOT = Path(__file__).resolve().parents[2] / "newsdesk"
CATALOGUE = ROOT / "locale" / "uk" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
# What readers see: their pages' templates and the Python that writes words for them.
TEMPLATE_DIRS = [ROOT / package / "jinja2" for package in ("public", "search", "syndication")]
PYTHON_FILES = [
    ROOT / "public" / "views.py",
    ROOT / "public" / "pages.py",
    ROOT / "public" / "jinja.py",
    ROOT / "public" / "times.py",
    ROOT / "public" / "reader_words.py",
    ROOT / "search" / "views.py",
    ROOT / "search" / "queries.py",
    ROOT / "stories" / "queries.py",
    ROOT / "syndication" / "feeds.py",
    ROOT / "syndication" / "jsonld.py",
]
FUNCTIONS = {"_", "gettext", "ngettext", "pgettext", "npgettext", "gettext_noop", "gettext_lazy"}


@dataclass(frozen=True)
class Message:
    context: str | None
    singular: str
    plural: str | None = None


def _from_templates() -> set[Message]:
    found = set()
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*.html")):
            with path.open("rb") as handle:
                for _line, function, message, _comments in babel_extract(
                    handle, FUNCTIONS, [], {"extensions": "jinja2.ext.i18n"}
                ):
                    found.add(_message(function, message))
    return found


def _message(function: str, args) -> Message:
    args = args if isinstance(args, tuple) else (args,)
    if function == "pgettext":
        return Message(args[0], args[1])
    if function == "npgettext":
        return Message(args[0], args[1], args[2])
    if function == "ngettext":
        return Message(None, args[0], args[1])
    return Message(None, args[0])


def _from_python() -> set[Message]:
    found = set()
    for path in PYTHON_FILES:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in FUNCTIONS:
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if name == "ngettext" and len(texts) >= 2:
                found.add(Message(None, texts[0], texts[1]))
            elif name == "pgettext" and len(texts) >= 2:
                found.add(Message(texts[0], texts[1]))
            elif name not in {"ngettext", "pgettext", "npgettext"} and texts:
                found.add(Message(None, texts[0]))
    return found


def extract() -> set[Message]:
    return _from_templates() | _from_python()


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def read_po(path: Path = CATALOGUE) -> dict[Message, list[str]]:
    """{message: its translations (one, or one per plural form)}; the header entry is left out."""
    entries: dict[Message, list[str]] = {}
    fields: dict[str, str] = {}
    current = None

    def finish():
        if fields.get("msgid"):
            message = Message(fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"))
            if message.plural is None:
                translations = [fields.get("msgstr", "")]
            else:
                count = len([k for k in fields if k.startswith("msgstr[")])
                translations = [fields.get(f"msgstr[{n}]", "") for n in range(count)]
            entries[message] = translations
        fields.clear()

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            finish()
            current = None
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            fields[current] += _unquote(line)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgctxt" and "msgid" in fields:
            finish()
        current = keyword
        fields[keyword] = _unquote(rest)
    return entries
