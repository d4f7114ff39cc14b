"""What each type of form field accepts, and why not: one checker per type, each error a sentence a person can act on.

A field of a procedure's form (``procedures/<code>.json``, ``"form": [{"key", "title", "fields": [...]}]``) is a dict:

- ``name`` (the answer's key), ``label`` and ``hint`` ({lang: text}), ``required`` (bool), ``autocomplete``;
- ``show_if`` (on a field or a page): asked only when earlier answers hold (``backend.catalogue.conditions``);
- ``type``, with its own constraints, all optional:

  ``text``, ``textarea``
      ``min_length``, ``max_length`` (characters; never more than ``MAX_TEXT``).
  ``number``
      ``min``, ``max``; ``integer`` (true: whole numbers only). A decimal comma is accepted (``2,5``).
  ``date``
      ISO days (``2025-03-27``, what ``<input type="date">`` sends). ``not_before`` / ``not_after``: ``"today"``,
      a fixed day (``"1900-01-01"``), or another answer's ``name`` (a child's ``child_birth_date`` has
      ``"not_after": "today"`` and ``"not_before": "mother_birth_date"``). An answer it refers to that is empty
      or not a date yet is skipped: that answer's own check reports it.
  ``identity``
      The 12-digit personal identity number (căn cước, CCCD): digits 1-3 the code of the province where the
      birth was registered (the 63 codes of ``PROVINCE_CODES``), digit 4 the century and sex (0/1 born in the
      1900s, 2/3 in the 2000s, 4-9 in later centuries), digits 5-6 the year of birth's last two digits.
      ``birth_date``: another answer's ``name`` whose year digits 5-6 must match. Spaces are allowed; the
      digits alone are kept.
  ``phone``
      A Vietnamese mobile number: 10 digits starting with 0, or +84 then 9 digits (spaces, dots, dashes
      allowed). ``tel`` stays the older, looser check (any phone number, landlines included).
  ``email``
      An address like ``name@example.com``.
  ``select`` (a list), ``choice`` (radio buttons)
      ``options``: ``[{"value", "label"}]``; only an offered value is accepted.
  ``multichoice``
      Check boxes over ``options``; the answer is the list of values ticked (posted as ``name[]``).
  ``yesno``
      ``"yes"`` or ``"no"``, shown as Yes / No.
  ``group``
      A repeating group ("each child"): ``fields`` (its own fields, any type but ``group``), ``item_label``
      ({lang: text}, "Child"), ``min_items`` (1 when ``required``), ``max_items`` (10 unless said). The answer is
      a list of dicts; the page posts ``name-0-field``, ``name-1-field``... and its "Add another" and "Remove"
      buttons post ``_rows`` (``name+`` or ``name-2``). A date inside an item may refer to the item's other
      answers or to the form's.
  ``file``
      A document asked for inside a form page: ``types`` (``pdf``, ``jpg``, ``png``), ``max_mb``. It is stored like
      the procedure's ``documents`` (``dossiers.services.store_document``, keyed by the field's name); the answer
      is ``{"id", "filename", "size"}`` of the file kept, set by the upload, never by a typed value.

Every checker returns ``(value, error)``: the value as typed (cleaned when it is right), so the page shows back
what was typed with the error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.catalogue.conditions import applies
from backend.core import clock
from backend.core.i18n import MARK_LANG_END, MARK_START, gettext, localized, ngettext
from backend.core.templating import format_day

MAX_TEXT = 2000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TEL = re.compile(r"^\+?[\d\s.\-()]{8,20}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")

# The provinces' codes as the identity number writes them (Circular 07/2016/TT-BCA): the 63 provinces before the
# 2025 merger, which stay in every number issued.
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 040"
    " 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084"
    " 086 087 089 091 092 093 094 095 096".split()
)
CHOICE_TYPES = frozenset({"select", "choice", "multichoice", "yesno"})

Checked = tuple[Any, str | None]


def label_of(field: dict) -> str:
    return localized(field["label"])


def lower_first(text: str) -> str:
    """``Họ và tên`` -> ``họ và tên`` inside a sentence; a language mark in front is skipped."""
    start = text.index(MARK_LANG_END) + 1 if text.startswith(MARK_START) else 0
    return text[:start] + text[start : start + 1].lower() + text[start + 1 :]


def _text(field: dict, value: str, answers: Mapping[str, Any]) -> Checked:
    label = label_of(field)
    longest = min(int(field.get("max_length") or MAX_TEXT), MAX_TEXT)
    if len(value) > longest:
        return value, gettext("%(label)s must be %(max)s characters or fewer", label=label, max=longest)
    shortest = int(field.get("min_length") or 0)
    if len(value) < shortest:
        return value, gettext("%(label)s must be %(min)s characters or more: you typed %(count)s",
                              label=label, min=shortest, count=len(value))
    return value, None


def _number(field: dict, value: str, answers: Mapping[str, Any]) -> Checked:
    label = label_of(field)
    try:
        number = Decimal(value.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return value, gettext("%(label)s must be a number", label=label)
    if not number.is_finite():
        return value, gettext("%(label)s must be a number", label=label)
    if field.get("integer") and number != number.to_integral_value():
        return value, gettext("%(label)s must be a whole number, like 3", label=label)
    low, high = field.get("min"), field.get("max")
    if low is not None and number < Decimal(str(low)):
        return value, gettext("%(label)s must be %(min)s or more", label=label, min=low)
    if high is not None and number > Decimal(str(high)):
        return value, gettext("%(label)s must be %(max)s or less", label=label, max=high)
    return value, None


def _day(value: Any) -> date | None:
    try:
        parsed = date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return parsed if 1900 <= parsed.year <= 2100 else None


def _bound(field: dict, key: str, answers: Mapping[str, Any]) -> tuple[date | None, str | None]:
    """The day a ``not_before``/``not_after`` names, and the other field's name when it is an answer."""
    spec = field.get(key)
    if not spec:
        return None, None
    if spec == "today":
        return clock.today(), None
    fixed = _day(spec)
    if fixed is not None:
        return fixed, None
    return _day(answers.get(spec)), spec


def _date(field: dict, value: str, answers: Mapping[str, Any], fields_by_name: Mapping[str, dict]) -> Checked:
    label = label_of(field)
    parsed = _day(value)
    if parsed is None:
        return value, gettext("%(label)s must be a real date, like 2025-03-27", label=label)
    for key in ("not_after", "not_before"):
        day, other = _bound(field, key, answers)
        if day is None or (parsed <= day if key == "not_after" else parsed >= day):
            continue
        if other is not None:
            other_label = lower_first(label_of(fields_by_name[other])) if other in fields_by_name else other
            if key == "not_after":
                return value, gettext("%(label)s cannot be after %(other)s (%(day)s)",
                                      label=label, other=other_label, day=format_day(day))
            return value, gettext("%(label)s cannot be before %(other)s (%(day)s)",
                                  label=label, other=other_label, day=format_day(day))
        if field.get(key) == "today":
            if key == "not_after":
                return value, gettext("%(label)s cannot be in the future", label=label)
            return value, gettext("%(label)s cannot be in the past", label=label)
        if key == "not_after":
            return value, gettext("%(label)s must be on or before %(day)s", label=label, day=format_day(day))
        return value, gettext("%(label)s must be on or after %(day)s", label=label, day=format_day(day))
    return value, None


def identity_problem(digits: str, label: str, birth: date | None = None, today: date | None = None) -> str | None:
    """Why ``digits`` (spaces removed) is not a personal identity number, in plain words; None when it may be."""
    if not digits.isdigit():
        return gettext("%(label)s can only have digits, with no letters or signs", label=label)
    if len(digits) != 12:
        return ngettext("%(label)s must have 12 digits: you typed %(num)s",
                        "%(label)s must have 12 digits: you typed %(num)s", len(digits), label=label)
    if digits[:3] not in PROVINCE_CODES:
        return gettext("The first 3 digits of %(label)s (%(code)s) are not a province code: they are the code of "
                       "the province where the birth was registered, from 001 (Hà Nội) to 096 (Cà Mau)",
                       label=lower_first(label), code=digits[:3])
    century = 1900 + 100 * (int(digits[3]) // 2)
    year = century + int(digits[4:6])
    today = today or clock.today()
    if year > today.year:
        return gettext("Digits 4 to 6 of %(label)s (%(digits)s) give a year of birth of %(year)s, which is in the "
                       "future: the 4th digit is 0 or 1 for people born in the 1900s, 2 or 3 from 2000",
                       label=lower_first(label), digits=digits[3:6], year=year)
    if birth is not None and birth.year != year:
        return gettext("Digits 4 to 6 of %(label)s (%(digits)s) give a year of birth of %(year)s, but the date of "
                       "birth given is in %(given)s", label=lower_first(label), digits=digits[3:6], year=year,
                       given=birth.year)
    return None


def _identity(field: dict, value: str, answers: Mapping[str, Any]) -> Checked:
    digits = re.sub(r"\s", "", value)
    birth = _day(answers.get(field["birth_date"])) if field.get("birth_date") else None
    error = identity_problem(digits, label_of(field), birth)
    return (value, error) if error else (digits, None)


def _phone(field: dict, value: str, answers: Mapping[str, Any]) -> Checked:
    compact = _PHONE_SEPARATORS.sub("", value)
    national = "0" + compact[3:] if compact.startswith("+84") else compact
    if not national.isdigit():
        return value, gettext("%(label)s can only have digits (and + at the start), like 0912 345 678",
                          label=label_of(field))
    if len(national) != 10 or not national.startswith("0"):
        return value, ngettext(
            "Enter a mobile number of 10 digits starting with 0, like 0912 345 678, or +84 and 9 digits: "
            "you typed %(num)s digit",
            "Enter a mobile number of 10 digits starting with 0, like 0912 345 678, or +84 and 9 digits: "
            "you typed %(num)s digits", len(compact.lstrip("+")))
    return value, None


def _tel(field: dict, value: str, answers: Mapping[str, Any]) -> Checked:
    return value, None if _TEL.match(value) else gettext("Enter a phone number, like 0912 345 678")


def _email(field: dict, value: str, answers: Mapping[str, Any]) -> Checked:
    if len(value) > 254 or not _EMAIL.match(value):
        return value, gettext("Enter an email address in the right format, like name@example.com")
    return value, None


def _offered(field: dict) -> set[str]:
    if field.get("type") == "yesno":
        return {"yes", "no"}
    return {str(o["value"]) for o in field.get("options", [])}


def _choice(field: dict, value: str, answers: Mapping[str, Any]) -> Checked:
    if value not in _offered(field):
        return value, gettext("Select %(label)s", label=lower_first(label_of(field)))
    return value, None


CHECKERS: dict[str, Callable[[dict, str, Mapping[str, Any]], Checked]] = {
    "text": _text, "textarea": _text, "number": _number, "identity": _identity, "phone": _phone, "tel": _tel,
    "email": _email, "select": _choice, "choice": _choice, "yesno": _choice,
}


def check_value(field: dict, raw: Any, answers: Mapping[str, Any], fields_by_name: Mapping[str, dict]) -> Checked:
    """Check one answer; ``answers`` are the dossier's others (for dates and numbers relative to them)."""
    kind = field.get("type", "text")
    label = label_of(field)
    if kind == "multichoice":
        return _multichoice(field, raw)
    if kind == "group":
        return check_group(field, raw, answers, fields_by_name)
    if kind == "file":
        return _file(field, raw)
    value = (raw if isinstance(raw, str) else "" if raw is None else str(raw)).strip()
    if not value:
        if field.get("required"):
            return "", gettext("Enter %(label)s", label=lower_first(label))
        return "", None
    if len(value) > MAX_TEXT:
        return value, gettext("%(label)s must be %(max)s characters or fewer", label=label, max=MAX_TEXT)
    if kind == "date":
        return _date(field, value, answers, fields_by_name)
    return CHECKERS.get(kind, _text)(field, value, answers)


def _file(field: dict, raw: Any) -> Checked:
    """A file answer is what the upload recorded (a dict with the document's id); anything else is no file."""
    value = raw if isinstance(raw, dict) and isinstance(raw.get("id"), int) else None
    if value is None and field.get("required"):
        return None, gettext("Upload %(name)s", name=label_of(field))
    return value, None


def _multichoice(field: dict, raw: Any) -> Checked:
    values = [str(v).strip() for v in (raw if isinstance(raw, list) else [raw] if raw else []) if str(v).strip()]
    if not values:
        if field.get("required"):
            return [], gettext("Select at least one option for %(label)s", label=lower_first(label_of(field)))
        return [], None
    offered = _offered(field)
    if any(v not in offered for v in values) or len(values) > len(offered):
        return values, gettext("Select only the options offered for %(label)s", label=lower_first(label_of(field)))
    return [o["value"] for o in field.get("options", []) if o["value"] in values], None


MAX_ITEMS = 10


def item_key(field: dict, index: int, sub: dict) -> str:
    """The posted name (and the page's id) of one answer in one item of a group: ``children-0-full_name``."""
    return f"{field['name']}-{index}-{sub['name']}"


def group_errors(field: dict, items: list[dict], answers: Mapping[str, Any],
                 fields_by_name: Mapping[str, dict]) -> tuple[list[dict], dict[str, str]]:
    """Each item's answers checked; errors by ``item_key``."""
    subs = field.get("fields", [])
    by_name = {**fields_by_name, **{s["name"]: s for s in subs}}
    values: list[dict] = []
    errors: dict[str, str] = {}
    for index, item in enumerate(items):
        context = {**answers, **item}
        kept = {}
        for sub in subs:
            if not applies(sub, context):  # a question of the item skipped by its other answers: not kept
                continue
            value, error = check_value(sub, item.get(sub["name"], ""), context, by_name)
            kept[sub["name"]] = value
            if error:
                errors[item_key(field, index, sub)] = error
        values.append(kept)
    return values, errors


def check_group(field: dict, raw: Any, answers: Mapping[str, Any], fields_by_name: Mapping[str, dict]) -> Checked:
    """A group's own error (how many items); the items' errors are ``group_errors``'s, reported apart."""
    items = [i for i in (raw if isinstance(raw, list) else []) if isinstance(i, dict)]
    label = lower_first(label_of(field))
    least = int(field.get("min_items") or (1 if field.get("required") else 0))
    most = int(field.get("max_items") or MAX_ITEMS)
    values, _ = group_errors(field, items, answers, fields_by_name)
    if len(items) < least:
        return values, ngettext("Add at least %(num)s item for %(label)s",
                                "Add at least %(num)s items for %(label)s", least, label=label)
    if len(items) > most:
        return values, ngettext("%(label)s can have %(num)s item at most",
                                "%(label)s can have %(num)s items at most", most, label=label_of(field))
    return values, None
