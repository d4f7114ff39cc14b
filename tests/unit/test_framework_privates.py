"""Tests reach the frameworks through their public APIs only (issue 16): a private attribute of Litestar,
Tortoise, httpx... may change in any release, and a test that leans on one breaks for no fault of the portal.

Any ``x._name`` in tests/ or backend/ must name something the portal itself defines (a helper of ours, say
``tracking._check_code``); dunder names are public protocol."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Underscore names of the libraries that their own documentation tells users to call.
DOCUMENTED = {
    "_enable_global_fallback",  # Tortoise.init's documented parameter, for contexts without a connection
}
# Known, each with its reason where it is used: Babel's Catalog keeps the plural rule and the header's locale only
# in these (backend/core/catalogs.py); nothing in tests.
KNOWN = {"_locale_identifier", "_num_plurals", "_plural_expr"}


def _sources() -> list[Path]:
    return [p for folder in ("backend", "tests", "accessibility", "locales") for p in (ROOT / folder).rglob("*.py")]


def _ours(trees: dict[Path, ast.AST]) -> set[str]:
    """Every underscore name the portal defines: functions, classes, parameters, attributes it assigns."""
    names = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
                  and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                names.add(node.attr)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.split(".")[-1])
    return {name for name in names if name.startswith("_")}


def test_no_private_attribute_of_a_framework_is_used():
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), filename=str(path)) for path in _sources()}
    ours = _ours(trees) | DOCUMENTED | KNOWN
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}"
        for path, tree in trees.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
        and node.attr not in ours
    ]
    assert not found, "private attributes of libraries:\n" + "\n".join(found)
