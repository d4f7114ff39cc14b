"""What changed between two procedure documents, in words an administrator (or a citizen) reads:
"Form › page 'About the child' › field 'Date of birth' › hint", with the JSON pointer beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backend.core.i18n import gettext, resolve_content
from backend.core.languages import CODES

SEPARATOR = " › "
# The identity of a list's items: a form page by its key, a field by its name, a document by its key...
ITEM_KEYS = ("key", "name", "value", "field", "code")


@dataclass(frozen=True)
class Change:
    path: str  # in words, in the current language
    pointer: str  # RFC 6901, into the new document (the old one for what was removed)
    before: Any  # None: added
    after: Any  # None: removed

    @property
    def kind(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "changed"

    def sentence(self) -> str:
        """The change as one sentence: "Form › page 'About you': added"."""
        if self.kind == "added":
            return gettext("%(path)s: added", path=self.path)
        if self.kind == "removed":
            return gettext("%(path)s: removed", path=self.path)
        return gettext("%(path)s: changed", path=self.path)


def _words() -> dict[str, str]:
    """Each key's name in words (a function: in the language of the moment)."""
    return {
        "title": gettext("Title"), "summary": gettext("Summary"), "agency": gettext("Agency"),
        "applicants": gettext("Who can apply"), "documents": gettext("Documents"), "form": gettext("Form"),
        "fee": gettext("Fee"), "fee_note": gettext("Fee note"), "fee_options": gettext("Fee options"),
        "fee_schedule": gettext("Fee schedule"), "processing_days": gettext("Processing time"),
        "result_forms": gettext("How the result is delivered"), "full_online": gettext("Fully online"),
        "legal_basis": gettext("Legal basis"), "faq": gettext("Questions and answers"),
        "life_events": gettext("Life events"), "result": gettext("Result"), "filing_level": gettext("Filed at"),
        "filing_kind": gettext("Filed with"), "offered_by": gettext("Offered by"),
        "province_terms": gettext("Province terms"), "label": gettext("label"), "hint": gettext("hint"),
        "required": gettext("required"), "type": gettext("type"), "options": gettext("options"),
        "name": gettext("name"), "mandatory": gettext("mandatory"), "types": gettext("file types"),
        "max_mb": gettext("largest size"), "show_if": gettext("condition"), "amount": gettext("amount"),
        "lines": gettext("lines"), "official": gettext("official's fields"),
    }


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new``, in document order; content texts ({"vi", "en"}) count as one value."""
    changes: list[Change] = []
    _walk(old, new, "", [], _words(), changes)
    return changes


def _is_text(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(CODES)


def _walk(old: Any, new: Any, pointer: str, path: list[str], words: dict[str, str], out: list[Change]) -> None:
    if isinstance(old, dict) and isinstance(new, dict) and not (_is_text(old) or _is_text(new)):
        for key in [*old, *(k for k in new if k not in old)]:
            if key in ("$schema", "format") and not path:
                continue
            label = [] if key == "fields" else [words.get(key, key.replace("_", " "))]
            _walk(old.get(key), new.get(key), f"{pointer}/{_escape(key)}", path + label, words, out)
        return
    if isinstance(old, list) and isinstance(new, list) and _identity(old + new):
        _walk_items(old, new, pointer, path, words, out)
        return
    if old != new:
        out.append(Change(SEPARATOR.join(path), pointer or "/", old, new))


def _identity(items: list[Any]) -> str | None:
    """The key that identifies the list's items (all dicts, each with it), or None: compared as one value."""
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    return next((key for key in ITEM_KEYS if all(key in item for item in items)), None)


def _walk_items(old: list[dict], new: list[dict], pointer: str, path: list[str], words: dict[str, str],
                out: list[Change]) -> None:
    key = _identity(old + new)
    before = {item[key]: (i, item) for i, item in enumerate(old)}
    after = {item[key]: (i, item) for i, item in enumerate(new)}
    for ident, (i, item) in after.items():
        where, name = f"{pointer}/{i}", path + [_item_name(path, item, ident)]
        if ident not in before:
            out.append(Change(SEPARATOR.join(name), where, None, item))
        else:
            _walk(before[ident][1], item, where, name, words, out)
    for ident, (i, item) in before.items():
        if ident not in after:
            out.append(Change(SEPARATOR.join(path + [_item_name(path, item, ident)]), f"{pointer}/{i}", item, None))


def _item_name(path: list[str], item: dict[str, Any], ident: Any) -> str:
    """"page 'About the child'", "field 'Date of birth'", "document 'Birth certificate'"..."""
    shown = resolve_content(item.get("title") or item.get("label") or item.get("name"))[0] or str(ident)
    if "fields" in item:
        return gettext("page '%(name)s'", name=shown)
    if "type" in item or "label" in item and "value" not in item:
        return gettext("field '%(name)s'", name=shown)
    if "value" in item:
        return gettext("option '%(name)s'", name=shown)
    if "mandatory" in item or "types" in item:
        return gettext("document '%(name)s'", name=shown)
    return gettext("'%(name)s'", name=shown)


def _escape(key: str) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")
