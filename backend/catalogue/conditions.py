"""Conditional pages and questions (``show_if``): which of a procedure's form pages and fields apply to a citizen.

A form page or a field may carry ``"show_if": [{"field": name, "in": [...]}, {"field": name, "not_in": [...]},
{"field": name, "answered": true|false}]``: all must hold. ``name`` is a field on an EARLIER page, or earlier on the
same page. A page or field whose condition fails is skipped: not shown, not checked, not on the check page, desk or
result, and its answers are dropped when the dossier is sent.

The rule lives here, beside the procedure document it reads (whose checks, ``document.document_problems``, refuse a
``show_if`` naming a missing or later field); the dossier pages reach it as ``backend.dossiers.forms.visible``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

__all__ = ["applies", "holds", "visible"]


def _given(value: Any) -> bool:
    return value not in (None, "", [], {})


def holds(condition: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    """One condition against the answers that apply; a question not answered (or skipped) is in no list."""
    value = answers.get(condition.get("field", ""))
    values = value if isinstance(value, list) else [value] if _given(value) else []
    if "in" in condition:
        return any(str(v) in {str(x) for x in condition["in"]} for v in values)
    if "not_in" in condition:
        return not any(str(v) in {str(x) for x in condition["not_in"]} for v in values)
    if "answered" in condition:
        return bool(values) is bool(condition["answered"])
    return True


def applies(item: Mapping[str, Any], answers: Mapping[str, Any], pending: Collection[str] = ()) -> bool:
    """Whether a page or field's ``show_if`` holds; a condition on a ``pending`` field (one on the page being
    filled, not yet sent) counts as holding, so that the page shows the question without JavaScript."""
    return all(holds(c, answers) for c in item.get("show_if") or () if c.get("field") not in pending)


def visible(form: list[dict[str, Any]], answers: Mapping[str, Any], pending_page: str | None = None) -> list[dict]:
    """The pages that apply, each with only its fields that apply, in order. A condition sees only the answers
    that apply themselves: a question skipped counts as not answered, so branches chain. ``pending_page``: the
    page being shown, whose own answers are not sent yet (``applies``'s ``pending``)."""
    shown: list[dict] = []
    known: dict[str, Any] = {}
    for page in form:
        if not applies(page, known):
            continue
        pending = {f["name"] for f in page["fields"]} if page["key"] == pending_page else set()
        fields = []
        for field in page["fields"]:
            if applies(field, known, pending):
                fields.append(field)
                if field["name"] in answers:
                    known[field["name"]] = answers[field["name"]]
        shown.append({**page, "fields": fields})
    return shown
