"""Answers to a procedure's form: checked field by field, with errors a person can act on."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from backend.core.i18n import MARK_LANG_END, MARK_START, gettext, localized

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TEL = re.compile(r"^\+?[\d\s.\-()]{8,20}$")
MAX_TEXT = 2000
# The largest form post (not an upload) a dossier page takes: a supplement may ask for every answer of a procedure
# (13 at most today) at MAX_TEXT characters, percent-encoded (up to 9 bytes a character). Larger posts are refused
# with 413 before they are parsed.
MAX_FORM_BODY = 256 * 1024


def storable(value: Any) -> bool:
    """An answer small enough to keep (with its other errors, so nothing typed is lost); a longer one never is."""
    return not isinstance(value, str) or len(value) <= MAX_TEXT


def page_fields(procedure_form: list[dict], page_key: str) -> list[dict] | None:
    for page in procedure_form:
        if page["key"] == page_key:
            return page["fields"]
    return None


def all_fields(procedure_form: list[dict]) -> list[dict]:
    return [field for page in procedure_form for field in page["fields"]]


def check_field(field: dict, raw: str) -> tuple[Any, str | None]:
    """Return the cleaned value and an error message (or None)."""
    value = (raw or "").strip()
    label = localized(field["label"])
    if not value:
        if field.get("required"):
            return "", gettext("Enter %(label)s", label=_lower_first(label))
        return "", None
    if len(value) > MAX_TEXT:
        return value, gettext("%(label)s must be %(max)s characters or fewer", label=label, max=MAX_TEXT)
    kind = field.get("type", "text")
    if kind == "date":
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            return value, gettext("%(label)s must be a real date, like 2025-03-27", label=label)
        if parsed.year < 1900 or parsed.year > 2100:
            return value, gettext("%(label)s must be a real date, like 2025-03-27", label=label)
    elif kind == "number":
        try:
            float(value.replace(",", "."))
        except ValueError:
            return value, gettext("%(label)s must be a number", label=label)
    elif kind == "email" and not _EMAIL.match(value):
        return value, gettext("Enter an email address in the right format, like name@example.com")
    elif kind == "tel" and not _TEL.match(value):
        return value, gettext("Enter a phone number, like 0912 345 678")
    elif kind == "select" and value not in {o["value"] for o in field.get("options", [])}:
        return value, gettext("Select %(label)s", label=_lower_first(label))
    return value, None


def check_answers(fields: list[dict], submitted: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Check the submitted values of ``fields``; returns (values, errors by field name)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        value, error = check_field(field, submitted.get(field["name"], ""))
        values[field["name"]] = value
        if error:
            errors[field["name"]] = error
    return values, errors


def _lower_first(text: str) -> str:
    """``Họ và tên`` -> ``họ và tên`` inside a sentence; a language mark in front is skipped."""
    start = text.index(MARK_LANG_END) + 1 if text.startswith(MARK_START) else 0
    return text[:start] + text[start : start + 1].lower() + text[start + 1 :]
