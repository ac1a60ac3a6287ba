"""The packages' layers (docs/architecture.md): each imports only from the layers before it.

Every `import newsdesk.…` and `from newsdesk.… import …` in the package is read, at module level
and inside functions alike (a function-local import is still a dependency), so an import cycle
cannot hide behind one. A package not listed here fails the test until it is given a layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.database_agnostic  # reads source files only

PACKAGE = Path(__file__).resolve().parents[1] / "newsdesk"

LAYERS: tuple[set[str], ...] = (
    {"core"},  # errors, validation and limits, ids, client address, the per-process cache
    {"stories"},  # the content: models, actions (writes), queries (reads), text, signals
    {"media", "search", "live", "syndication"},  # what is done with the content
    {"cache", "backup", "demo", "imports"},  # page cache; whole-newsroom tools; imports
    {"wires"},  # agency wires (reuse the imports' HTML → Markdown)
    {"public", "desk", "api"},  # the faces: readers, editors, machines
    {"config"},  # settings, URLs, the ASGI app, the `newsdesk` command
)
LAYER_OF = {name: index for index, names in enumerate(LAYERS) for name in names}


def _imports(path: Path) -> set[str]:
    """The `newsdesk` packages a module imports (`newsdesk.stories.models` → `stories`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "newsdesk" and len(parts) > 1:
                found.add(parts[1])
    return found


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "migrations" in relative.parts or len(relative.parts) == 1:
            continue  # migrations name apps by label; newsdesk/__init__.py is the package itself
        yield relative.parts[0], path


def test_every_package_has_a_layer():
    packages = {package for package, _ in _modules()}
    assert packages - set(LAYER_OF) == set(), "give each new package a layer in LAYERS"


def test_no_package_imports_from_its_own_layer_or_above():
    """`stories` never imports `search` or `live`; `live` never imports `public`; and so on."""
    wrong = []
    for package, path in _modules():
        for imported in _imports(path):
            if imported == package or imported not in LAYER_OF:
                continue
            if LAYER_OF[imported] >= LAYER_OF[package]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)} imports newsdesk.{imported}")
    assert wrong == []


def test_the_checker_sees_function_local_imports(tmp_path):
    """The rule cannot be dodged by importing inside a function."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from newsdesk.public import views\n")
    assert _imports(module) == {"public"}
