"""Answers written for people: dates as the page's language writes them, choices by their label, never raw codes."""

from __future__ import annotations

from typing import Any

from backend.core.i18n import gettext, localized
from backend.core.templating import format_iso_day


def _option_label(field: dict, value: Any) -> str:
    for option in field.get("options", []):
        if str(option["value"]) == str(value):
            return localized(option["label"])
    return str(value)


def yes_no(value: Any) -> str:
    if value == "yes":
        return gettext("Yes")
    if value == "no":
        return gettext("No")
    return str(value or "")


def group_identity(value: str) -> str:
    """``001090012345`` -> ``001 0 90 012345``: province, century and sex, year of birth, then the rest."""
    if len(value) == 12 and value.isdigit():
        return f"{value[:3]} {value[3]} {value[4:6]} {value[6:]}"
    return value


def group_phone(value: str) -> str:
    """``0912345678`` -> ``0912 345 678``; ``+84912345678`` -> ``+84 912 345 678``; anything else as typed."""
    digits = "".join(c for c in value if c.isdigit())
    if value.strip().startswith("+84") and len(digits) == 11:
        return f"+84 {digits[2:5]} {digits[5:8]} {digits[8:]}"
    if len(digits) == 10 and digits.startswith("0"):
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    return value


def answer_text(field: dict, value: Any) -> str:
    """One answer to ``field`` as the page shows it (check page, desk, documents)."""
    if value is None or value == "" or value == []:
        return ""
    kind = field.get("type", "text")
    if kind == "group":
        return group_text(field, value)
    if kind == "file":
        return str(value.get("filename", "")) if isinstance(value, dict) else ""
    if kind in ("select", "choice"):
        return _option_label(field, value)
    if kind == "multichoice":
        return ", ".join(_option_label(field, v) for v in (value if isinstance(value, list) else [value]))
    if kind == "yesno":
        return yes_no(value)
    if kind == "date":
        return format_iso_day(str(value))
    if kind == "identity":
        return group_identity(str(value))
    if kind == "phone":
        return group_phone(str(value))
    return str(value)


def group_text(field: dict, items: Any) -> str:
    """``Child 1: Full name: An, Date of birth: 27/03/2025; Child 2: ...``"""
    name = localized(field["item_label"]) if field.get("item_label") else gettext("Item")
    parts = []
    for number, item in enumerate(i for i in (items if isinstance(items, list) else []) if isinstance(i, dict)):
        texts = ((sub, answer_text(sub, item.get(sub["name"]))) for sub in field.get("fields", []))
        shown = [f"{localized(sub['label'])}: {text}" for sub, text in texts if text]
        parts.append(f"{name} {number + 1}: " + ", ".join(shown))
    return "; ".join(parts)


def result_form_label(code: str | None) -> str:
    """How the citizen receives the result, in words (``online``, ``office``, ``post`` are codes)."""
    if code == "online":
        return gettext("Online, as a signed e-result")
    if code == "office":
        return gettext("On paper at the agency")
    if code == "post":
        return gettext("At home by post")
    return code or ""
