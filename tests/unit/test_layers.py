"""Layers point one way (CONVENTIONS.md, rule 11): a package imports only packages in layers below its own.

The graph is read from the source with ``ast``, not from ``sys.modules``: every ``import`` and ``from ... import``
of every module under ``backend/`` counts, at the top of a module, inside a function (a local import hides a tie,
it does not cut it) and under ``if TYPE_CHECKING:``. A TYPE_CHECKING import makes no cycle at run time, but it
still couples the two packages: a type a lower layer needs belongs in that lower layer.

A package is a directory under ``backend/`` (``backend.core``, ``backend.dossiers``, ...); a top-level module
(``backend/settings.py``) is a node of its own. ``APP`` (the factory, the command line, the demo data) sits on top
and may import anything. README's "What is where" describes the same layers in words.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import cache
from itertools import pairwise
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2] / "backend"

LAYERS: list[tuple[str, set[str]]] = [  # bottom first
    ("settings: the typed configuration, nothing from the portal", {"backend.settings"}),
    ("core: languages, texts, clock, calendar, generic web plumbing", {"backend.core"}),
    ("infrastructure: database, files, rate limits, document checks, SMS",
     {"backend.db", "backend.storage", "backend.limits", "backend.documents", "backend.sms"}),
    ("the catalogue: agencies, procedures, search", {"backend.catalogue"}),
    ("accounts: who signs in, their sessions, passkeys and devices (an officer belongs to an agency)",
     {"backend.accounts"}),
    ("around them: verified identity, text reviews, the offline app shell, agencies' staff and its audit log, "
     "the log of who opened a citizen's data",
     {"backend.identity", "backend.translations", "backend.pwa", "backend.staff", "backend.audit"}),
    ("the dossier and its state machine", {"backend.dossiers"}),
    ("what follows a dossier: fees, signed results, ratings",
     {"backend.payments", "backend.results", "backend.feedback"}),
    ("home delivery of results (its postage is a payment)", {"backend.delivery"}),
    ("public statistics: the Decision 766 index rolled up from dossiers, fees and ratings", {"backend.statistics"}),
    ("notifications: the outbox worker tells citizens about all of the above", {"backend.notifications"}),
    ("public questions and feedback, answered by agencies on a clock (their news goes through the outbox)",
     {"backend.questions"}),
    ("offices: the officers' desk, the procedure editor, the local sandboxes, helpers filing for citizens",
     {"backend.desk", "backend.publisher", "backend.sandboxes", "backend.assisted"}),
    ("the web over them all: the citizen's journey (dossier pages and JSON API), system pages, my data",
     {"backend.journey", "backend.system", "backend.privacy"}),
]
APP = {
    "backend.app", "backend.manage", "backend.demo", "backend.deployment", "backend.serving", "backend.subscribers",
    "backend.adapters",
}
LAYER = {package: index for index, (_, packages) in enumerate(LAYERS) for package in packages}


def node(module: str) -> str | None:
    """``backend.dossiers.workflow`` -> ``backend.dossiers``; ``backend.settings`` -> itself; others -> None."""
    parts = module.split(".")
    if parts[0] != "backend" or len(parts) < 2:
        return None
    return f"backend.{parts[1]}"


def module_name(path: Path) -> str:
    parts = path.relative_to(BACKEND.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> list[tuple[str, int]]:
    """Every module ``path`` imports (absolute names), with the line, wherever the import statement sits."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for statement in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(statement, ast.Import):
            found += [(alias.name, statement.lineno) for alias in statement.names]
        elif isinstance(statement, ast.ImportFrom):
            if statement.level:  # relative: from .x import y
                base = package.split(".")[: len(package.split(".")) - statement.level + 1]
                target = ".".join([*base, statement.module] if statement.module else base)
            else:
                target = statement.module or ""
            if target == "backend":  # from backend import settings
                found += [(f"backend.{alias.name}", statement.lineno) for alias in statement.names]
            else:
                found.append((target, statement.lineno))
    return found


@cache
def graph() -> dict[tuple[str, str], list[str]]:
    """(importer, imported) package -> where: ``backend/x/y.py:12 backend.z.w``."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(BACKEND.rglob("*.py")):
        source = node(module_name(path))
        for target, line in imported(path):
            destination = node(target)
            if destination and destination != source:
                edges[source, destination].append(f"{path.relative_to(BACKEND.parent)}:{line} {target}")
    return dict(edges)


def nodes() -> set[str]:
    return {
        node(module_name(path)) for path in BACKEND.rglob("*.py") if "migrations" not in path.parts
    } - {None}


def cycles() -> list[list[str]]:
    """The strongly connected components with more than one package (Tarjan), each as one closed path."""
    successors: dict[str, set[str]] = defaultdict(set)
    for source, destination in graph():
        successors[source].add(destination)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components = []

    def visit(package: str) -> None:
        index[package] = low[package] = len(index)
        stack.append(package)
        for following in sorted(successors[package]):
            if following not in index:
                visit(following)
                low[package] = min(low[package], low[following])
            elif following in stack:
                low[package] = min(low[package], index[following])
        if low[package] == index[package]:
            component = []
            while (member := stack.pop()) != package:
                component.append(member)
            component.append(package)
            if len(component) > 1:
                components.append(sorted(component))

    for package in sorted(nodes() | set(successors)):
        if package not in index:
            visit(package)
    return components


def closed_path(component: list[str]) -> list[str]:
    """A shortest way from the component's first package back to itself (breadth first, inside the component)."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        package = queue.pop(0)
        for source, destination in sorted(graph()):
            if source != package or destination not in members:
                continue
            if destination == start:
                return [*paths[package], start]
            if destination not in paths:
                paths[destination] = [*paths[package], destination]
                queue.append(destination)
    return component


def describe(source: str, destination: str) -> str:
    return f"  {source} -> {destination}:\n" + "".join(f"      {where}\n" for where in graph()[source, destination])


def test_every_package_has_a_layer():
    unplaced = sorted(nodes() - set(LAYER) - APP)
    assert not unplaced, f"place these in LAYERS (or APP): {unplaced}"


def test_no_package_cycles():
    report = []
    for component in cycles():
        path = closed_path(component)
        report.append(f"{len(component)} packages in one cycle: {', '.join(component)}\n  e.g. {' -> '.join(path)}\n")
        report += [describe(a, b) for a, b in pairwise(path)]
    assert not report, "import cycles between packages:\n" + "".join(report)


def test_core_imports_no_domain():
    into_domains = [describe(a, b) for a, b in graph() if a == "backend.core" and b != "backend.settings"]
    assert not into_domains, "core must import no domain:\n" + "".join(into_domains)


def test_packages_import_only_lower_layers():
    upward = [
        describe(source, destination)
        for source, destination in sorted(graph())
        if source not in APP and LAYER.get(destination, len(LAYERS)) >= LAYER.get(source, -1)
    ]
    assert not upward, "imports of the same or a higher layer (or of the app):\n" + "".join(upward)
