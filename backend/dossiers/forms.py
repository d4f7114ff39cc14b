"""Answers to a procedure's form: checked field by field, with errors a person can act on.

The field types and their constraints are described, and checked, in ``backend.dossiers.fieldtypes``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from backend.catalogue.conditions import visible
from backend.dossiers.fieldtypes import MAX_TEXT, check_value, group_errors

__all__ = ["MAX_FORM_BODY", "MAX_TEXT", "all_fields", "applicable", "check_answers", "check_field",
           "page_fields", "storable", "visible", "visible_fields"]
# The largest form post (not an upload) a dossier page takes: a supplement may ask for every answer of a procedure
# (13 at most today) at MAX_TEXT characters, percent-encoded (up to 9 bytes a character). Larger posts are refused
# with 413 before they are parsed.
MAX_FORM_BODY = 256 * 1024


def storable(value: Any) -> bool:
    """An answer small enough to keep (with its other errors, so nothing typed is lost); a longer one never is."""
    if isinstance(value, list):
        return len(value) <= 100 and all(storable(v) for v in value)
    return not isinstance(value, str) or len(value) <= MAX_TEXT


def page_fields(procedure_form: list[dict], page_key: str) -> list[dict] | None:
    for page in procedure_form:
        if page["key"] == page_key:
            return page["fields"]
    return None


def all_fields(procedure_form: list[dict]) -> list[dict]:
    return [field for page in procedure_form for field in page["fields"]]


def visible_fields(procedure_form: list[dict], answers: Mapping[str, Any]) -> list[dict]:
    """The fields that apply to these answers (``visible``: the one rule on conditional pages and questions)."""
    return all_fields(visible(procedure_form, answers))


def applicable(procedure_form: list[dict], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers to the questions that apply: what is sent, shown to the desk and printed on the result."""
    names = {f["name"] for f in visible_fields(procedure_form, answers)}
    return {name: value for name, value in answers.items() if name in names}


def check_field(field: dict, raw: Any, answers: Mapping[str, Any] | None = None,
                fields_by_name: Mapping[str, dict] | None = None) -> tuple[Any, str | None]:
    """Return the cleaned value and an error message (or None); ``answers`` are the others the field may refer to."""
    return check_value(field, raw, answers or {}, fields_by_name or {})


def posted_items(field: dict, submitted: Mapping[str, Any]) -> list[dict] | None:
    """A group's items as posted (``name-0-field``...), in order, rows left wholly empty dropped; None when the
    post has none of them (then the answer kept is checked)."""
    pattern = re.compile(rf"^{re.escape(field['name'])}-(\d{{1,2}})-(.+)$")
    rows: dict[int, dict[str, Any]] = {}
    for key, value in submitted.items():
        match = pattern.match(key)
        if match:
            name = match.group(2).removesuffix("[]")
            rows.setdefault(int(match.group(1)), {})[name] = value
    if not rows:
        return None
    return [row for _, row in sorted(rows.items()) if any(str(v).strip() for v in row.values() if v)]


def belongs_to(field: dict, key: str) -> bool:
    """Whether a posted name is ``field``'s answer (or part of it)."""
    name = field["name"]
    return key in (name, name + "[]") or (field.get("type") == "group" and key.startswith(name + "-"))


def submitted_value(field: dict, submitted: Mapping[str, Any]) -> Any:
    """What was posted for ``field``: check boxes come as the list ``name[]``, a group's items as ``name-0-x``."""
    if field.get("type") == "group":
        items = posted_items(field, submitted)
        return items if items is not None else submitted.get(field["name"], [])
    if field.get("type") == "multichoice":
        return submitted.get(field["name"] + "[]", submitted.get(field["name"], []))
    if field.get("type") == "file":  # set by its upload only (``services.store_document``): None keeps the file
        value = submitted.get(field["name"])
        return value if isinstance(value, dict) else None
    return submitted.get(field["name"], "")


def check_answers(fields: list[dict], submitted: Mapping[str, Any], others: Mapping[str, Any] | None = None,
                  every_field: list[dict] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Check the submitted values of ``fields``; returns (values, errors by field name). A field may refer to an
    answer on another page (a child's date of birth, not before the mother's): ``others`` holds those answers,
    ``every_field`` the form's fields (for their labels)."""
    raw = {f["name"]: submitted_value(f, submitted) for f in fields}
    raw |= {name: (others or {}).get(name) for name, value in raw.items() if value is None}  # a file kept
    answers = {**(others or {}), **raw}
    by_name = {f["name"]: f for f in (every_field or fields)}
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        value, error = check_value(field, raw[field["name"]], answers, by_name)
        values[field["name"]] = value
        if error:
            errors[field["name"]] = error
        if field.get("type") == "group":
            errors.update(group_errors(field, value, answers, by_name)[1])
    return values, errors
