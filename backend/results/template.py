"""What a procedure's e-result contains (issue 18): its result template, from ``procedures/<code>.json``'s ``result``.

``{"title": {vi, en}, "lines": [{"label": {vi, en}, "answer": field name | "official": key | "agency": true}],
"official": [{"key", "label": {vi, en}, "required": bool, "default": {vi, en}}]}``: each line shows an answer of
the dossier (written as the pages write it: dates, choices), a value the official filled at approval (registration
number, book, page), or the registering agency. Values are given in Vietnamese and in the citizen's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import copy_context
from datetime import date
from typing import Any

from backend.core.i18n import current_locale, gettext, localized, marking, plain
from backend.dossiers.display import answer_text
from backend.dossiers.forms import applicable

MAX_OFFICIAL_LENGTH = 200


def official_fields(template: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list((template or {}).get("official", []))


def input_name(key: str) -> str:
    return f"result_{key}"


def check_official(template: dict[str, Any] | None, form: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(values by key, errors by input name) from the approve form; nothing is issued while there are errors."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field in official_fields(template):
        name = input_name(field["key"])
        raw = form.get(name, default_value(field))  # the form starts with the default (Việt Nam)
        value = (raw if isinstance(raw, str) else "").strip()
        if not value and field.get("required"):
            errors[name] = gettext("Enter %(label)s: it is printed on the result", label=localized(field["label"]))
        elif len(value) > MAX_OFFICIAL_LENGTH:
            errors[name] = gettext("%(label)s: at most %(count)s characters", label=localized(field["label"]),
                                   count=MAX_OFFICIAL_LENGTH)
        values[field["key"]] = value
    return values, errors


def form_from_keys(template: dict[str, Any] | None, given: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The API's ``{key: value}`` as the approve form's inputs, and a problem for each key the template does not
    declare (a misspelt key would otherwise be dropped without a word); ``check_official`` then checks the values."""
    known = {field["key"] for field in official_fields(template)}
    problems = [gettext("%(key)s: this procedure's result has no such field", key=key) for key in given
                if key not in known]
    return {input_name(key): value for key, value in given.items() if key in known}, problems


def default_value(field: dict[str, Any]) -> str:
    """The value the approve form starts with (``Việt Nam`` for a nationality), in Vietnamese: it is printed."""
    default = field.get("default") or {}
    return str(default.get("vi", "")) if isinstance(default, dict) else str(default)


def _answer_in(code: str, field: dict[str, Any], value: Any) -> str:
    """An answer as a page in ``code`` writes it (dates, choice labels), without language marks."""
    def run() -> str:
        current_locale.set(code)
        marking.set(False)
        return plain(answer_text(field, value))
    return copy_context().run(run)


def _fields_by_name(form: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {field["name"]: field for page in form for field in page.get("fields", [])}


def _digits_vi(n: int) -> str:
    """A number up to 9,999 in Vietnamese words (``2025`` -> ``hai nghìn không trăm hai mươi lăm``)."""
    units = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
    if n < 10:
        return units[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        head = "mười" if tens == 1 else f"{units[tens]} mươi"
        if unit == 0:
            return head
        tail = {1: "mốt" if tens > 1 else "một", 4: "tư" if tens > 1 else "bốn", 5: "lăm"}.get(unit, units[unit])
        return f"{head} {tail}"
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        if rest == 0:
            return f"{units[hundreds]} trăm"
        middle = f"lẻ {units[rest]}" if rest < 10 else _digits_vi(rest)
        return f"{units[hundreds]} trăm {middle}"
    thousands, rest = divmod(n, 1000)
    if rest == 0:
        return f"{_digits_vi(thousands)} nghìn"
    tail = _digits_vi(rest) if rest >= 100 else f"không trăm {'lẻ ' if rest < 10 else ''}{_digits_vi(rest)}"
    return f"{_digits_vi(thousands)} nghìn {tail}"


def date_in_words_vi(value: str) -> str:
    """``2025-03-27`` -> ``Ngày hai mươi bảy tháng ba năm hai nghìn không trăm hai mươi lăm``, as an extract writes
    a date of birth in words beside the figures; "" for anything not a date."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return ""
    month = "tư" if day.month == 4 else _digits_vi(day.month)
    return f"Ngày {_digits_vi(day.day)} tháng {month} năm {_digits_vi(day.year)}"


Pair = tuple[str, str | None]


def lines(
    template: dict[str, Any] | None, form: list[dict[str, Any]], answers: Mapping[str, Any],
    official: Mapping[str, str], agency: dict[str, str], language: str,
) -> list[tuple[dict[str, str], Pair]]:
    """The result's lines: (label as catalogue content, value in Vietnamese and in ``language`` when it differs).
    A line whose value is empty (a father not declared) is left out."""
    fields = _fields_by_name(form)
    answers = applicable(form, answers)  # a question skipped (a father not acknowledged) prints nothing
    shown: list[tuple[dict[str, str], Pair]] = []
    for line in (template or {}).get("lines", []):
        if "answer" in line:
            spec = fields.get(line["answer"], {"name": line["answer"]})
            value = answers.get(line["answer"])
            vietnamese = _answer_in("vi", spec, value)
            other = _answer_in(language, spec, value) if language != "vi" else None
            if line.get("in_words") and spec.get("type") == "date" and (words := date_in_words_vi(str(value))):
                vietnamese = f"{vietnamese} ({words})"
        elif "official" in line:
            vietnamese, other = official.get(line["official"], ""), None
        elif line.get("agency"):
            vietnamese, other = agency.get("vi", ""), None
        else:
            continue
        if vietnamese:
            shown.append((line["label"], (vietnamese, other if other and other != vietnamese else None)))
    return shown
