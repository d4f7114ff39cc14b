"""What changed between two procedure documents, in words an administrator (or a citizen) reads:
"Form › page “About the child” › field “Date of birth” › hint", with the JSON pointer beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backend.catalogue.document import place
from backend.core.i18n import gettext
from backend.core.languages import CODES

# The identity of a list's items: a form page by its key, a field by its name, a document by its key...
ITEM_KEYS = ("key", "name", "value", "field", "code")


@dataclass(frozen=True)
class Change:
    path: str  # in words, in the current language (``document.place``)
    pointer: str  # RFC 6901, into the new document (the old one for what was removed)
    before: Any  # None: added
    after: Any  # None: removed

    @property
    def kind(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "changed"

    def sentence(self) -> str:
        """The change as one sentence: "Form › page “About you”: added"."""
        if self.kind == "added":
            return gettext("%(path)s: added", path=self.path)
        if self.kind == "removed":
            return gettext("%(path)s: removed", path=self.path)
        return gettext("%(path)s: changed", path=self.path)


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new``, in document order; content texts ({"vi", "en"}) count as one value."""
    changes: list[Change] = []
    _walk(old, new, "", changes)
    return [Change(place(new if c.after is not None else old, c.pointer), c.pointer, c.before, c.after)
            for c in changes]


def _is_text(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(CODES)


def _walk(old: Any, new: Any, pointer: str, out: list[Change]) -> None:
    """Collect the changes with their pointers (``diff`` names each place once, in words)."""
    if isinstance(old, dict) and isinstance(new, dict) and not (_is_text(old) or _is_text(new)):
        for key in [*old, *(k for k in new if k not in old)]:
            if not pointer and key in ("$schema", "format"):
                continue
            _walk(old.get(key), new.get(key), f"{pointer}/{_escape(key)}", out)
        return
    if isinstance(old, list) and isinstance(new, list) and _identity(old + new):
        _walk_items(old, new, pointer, out)
        return
    if old != new:
        out.append(Change("", pointer or "/", old, new))


def _identity(items: list[Any]) -> str | None:
    """The key that identifies the list's items (all dicts, each with it), or None: compared as one value."""
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    return next((key for key in ITEM_KEYS if all(isinstance(item.get(key), str | int) for item in items)), None)


def _walk_items(old: list[dict], new: list[dict], pointer: str, out: list[Change]) -> None:
    """Items matched by their identity, not their place: a field moved up is not every field changed."""
    key = _identity(old + new)
    before = {item[key]: (i, item) for i, item in enumerate(old)}
    after = {item[key]: (i, item) for i, item in enumerate(new)}
    for ident, (i, item) in after.items():
        if ident not in before:
            out.append(Change("", f"{pointer}/{i}", None, item))
        else:
            _walk(before[ident][1], item, f"{pointer}/{i}", out)
    for ident, (i, item) in before.items():
        if ident not in after:
            out.append(Change("", f"{pointer}/{i}", item, None))


def _escape(key: str) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")
