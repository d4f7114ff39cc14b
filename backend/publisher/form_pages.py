"""The procedure's form as flat forms (see ``forms``): its pages, each page's fields, and the conditions
(``show_if``, ``catalogue.conditions``) that show a page or a field only for some answers."""

from __future__ import annotations

from typing import Any

from backend.core.i18n import gettext, resolve_content
from backend.core.i18n import lazy_gettext as _
from backend.dossiers.fieldtypes import CHECKERS
from backend.publisher.forms import (
    FILE_TYPES,
    Built,
    Form,
    chosen,
    lines,
    put_texts,
    read_texts,
    rows,
    set_texts,
    slug,
    start,
    text,
    ticked,
    whole,
)

# Every type the form pages check (dossiers.fieldtypes), and a document asked for inside a page.
FIELD_TYPES = (*CHECKERS, "date", "multichoice", "group", "file")
TYPE_LABELS = {
    "text": _("Text, one line"), "textarea": _("Long text"), "number": _("Number"), "date": _("Date"),
    "identity": _("Personal identity number (12 digits)"), "phone": _("Mobile number"), "tel": _("Phone number"),
    "email": _("Email address"), "select": _("Choose from a list"), "choice": _("Choose one (radio buttons)"),
    "multichoice": _("Choose several (check boxes)"), "yesno": _("Yes or no"), "group": _("Repeating group"),
    "file": _("File to upload"),
}
OPERATORS = {"in": _("is one of"), "not_in": _("is none of"), "answered": _("is answered"),
             "unanswered": _("is not answered")}
# Which of a field's keys belong to which types: a key the new type does not use is dropped on save.
CONSTRAINTS = {
    "min_length": ("text", "textarea"), "max_length": ("text", "textarea"),
    "min": ("number",), "max": ("number",), "integer": ("number",),
    "not_before": ("date",), "not_after": ("date",), "birth_date": ("identity",),
    "options": ("select", "choice", "multichoice"), "types": ("file",), "max_mb": ("file",),
    "item_label": ("group",), "min_items": ("group",), "max_items": ("group",), "fields": ("group",),
}
ITEM_TYPES = tuple(kind for kind in FIELD_TYPES if kind not in ("group", "file"))


def move(items: list[Any], index: int, step: int) -> bool:
    """Swap an item with its neighbour (``step`` -1: up, 1: down); False when it cannot move that way."""
    other = index + step
    if not (0 <= index < len(items) and 0 <= other < len(items)):
        return False
    items[index], items[other] = items[other], items[index]
    return True


def earlier_fields(document: dict[str, Any], page: int, field: int | None = None) -> list[dict[str, Any]]:
    """The fields a condition may name: those of earlier pages, and (for a field) earlier on the same page;
    ``field`` None: a page's own condition."""
    form = document.get("form") or []
    found = [f for p in form[:page] for f in p.get("fields", [])]
    if field is not None and page < len(form):
        found += form[page].get("fields", [])[:field]
    return found


def rule_choices(fields: list[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """The rule rows' choices: the questions (label and name) and the conditions."""
    return {"rule_fields": [(f["name"], f"{resolve_content(f.get('label'))[0]} ({f['name']})") for f in fields],
            "rule_ops": [(op, str(label)) for op, label in OPERATORS.items()]}


def put_rules(form: Form, show_if: list[dict[str, Any]] | None) -> None:
    for index, rule in enumerate(show_if or []):
        row = f"rule-{index}-"
        form[f"{row}field"] = rule.get("field", "")
        if "answered" in rule:
            form[f"{row}op"] = "answered" if rule["answered"] else "unanswered"
        else:
            form[f"{row}op"] = "not_in" if "not_in" in rule else "in"
            form[f"{row}values"] = ", ".join(str(v) for v in rule.get("in", rule.get("not_in", [])))
    form["rule-count"] = str(len(show_if or []) + 1)


def read_rules(built: Built, form: Form, target: dict[str, Any], pointer: str) -> None:
    """The rule rows into ``target["show_if"]``; a row without a field is no rule."""
    rules: list[dict[str, Any]] = []
    for index in rows(form, "rule"):
        row = f"rule-{index}-"
        name = text(form, f"{row}field")
        if not name or ticked(form, f"{row}remove"):
            continue
        op = text(form, f"{row}op")
        rule: dict[str, Any] = {"field": name}
        if op in ("answered", "unanswered"):
            rule["answered"] = op == "answered"
        else:
            values = [v.strip() for v in text(form, f"{row}values").split(",") if v.strip()]
            if not values:
                built.errors[f"{row}values"] = gettext("Write the answers, separated by commas")
            rule["not_in" if op == "not_in" else "in"] = values
        built.pointers |= {f"{row}field": f"{pointer}/show_if/{len(rules)}/field",
                           f"{row}values": f"{pointer}/show_if/{len(rules)}"}
        rules.append(rule)
    if rules:
        target["show_if"] = rules
    else:
        target.pop("show_if", None)


# --- pages ----------------------------------------------------------------------------------------------------

def add_page(document: dict[str, Any], form: Form) -> Built:
    built = start(document)
    pages = built.document.setdefault("form", [])
    page: dict[str, Any] = {"key": text(form, "key") or slug(text(form, "title-en"), f"page_{len(pages) + 1}"),
                            "fields": []}
    set_texts(built, form, "title", page, "title", f"/form/{len(pages)}/title")
    if "title" not in page:
        built.errors["title-vi"] = gettext("Give the page a title")
    built.pointers["key"] = f"/form/{len(pages)}/key"
    pages.append(page)
    return built


def page_form(document: dict[str, Any], index: int) -> Form:
    page = document["form"][index]
    form: Form = {"key": page.get("key", "")}
    put_texts(form, "title", page.get("title"))
    put_rules(form, page.get("show_if"))
    return form


def apply_page(document: dict[str, Any], index: int, form: Form) -> Built:
    built = start(document)
    page = built.document["form"][index]
    set_texts(built, form, "title", page, "title", f"/form/{index}/title")
    if "title" not in page:
        built.errors["title-vi"] = gettext("Give the page a title")
    read_rules(built, form, page, f"/form/{index}")
    return built


# --- fields ---------------------------------------------------------------------------------------------------

def field_form(document: dict[str, Any], page: int, index: int | None) -> Form:
    field: dict[str, Any] = (document["form"][page]["fields"][index] if index is not None
                             else {"type": "text", "required": True})
    form: Form = {"name": field.get("name", ""), "type": field.get("type", "text"),
                  "required": "yes" if field.get("required") else "", "integer": "yes" if field.get("integer") else ""}
    for key in ("label", "hint", "item_label"):
        put_texts(form, key, field.get(key))
    for key in ("min_length", "max_length", "min", "max", "not_before", "not_after", "birth_date", "max_mb",
                "min_items", "max_items"):
        form[key] = "" if field.get(key) is None else str(field[key])
    form["options"] = "\n".join(" | ".join([o.get("value", ""), *(o.get("label", {}).get(lang, "")
                                                                  for lang in ("vi", "en"))])
                                for o in field.get("options") or [])
    form["types[]"] = list(field.get("types") or FILE_TYPES)
    form["item_fields"] = "\n".join(" | ".join([f.get("name", ""), f.get("type", "text"),
                                               f.get("label", {}).get("vi", ""), f.get("label", {}).get("en", ""),
                                               "required" if f.get("required") else "optional"])
                                    for f in field.get("fields") or [])
    put_rules(form, field.get("show_if"))
    return form


def apply_field(document: dict[str, Any], page: int, index: int | None, form: Form) -> Built:
    """The field as typed; ``index`` None adds it at the end of the page."""
    built = start(document)
    fields = built.document["form"][page]["fields"]
    at = len(fields) if index is None else index
    pointer = f"/form/{page}/fields/{at}"
    field: dict[str, Any] = dict(fields[index]) if index is not None else {}
    kind = text(form, "type")
    field |= {"name": text(form, "name"), "type": kind if kind in FIELD_TYPES else "text",
              "required": ticked(form, "required")}
    if not field["name"]:
        built.errors["name"] = gettext("Give the field a name: letters, digits and _ (it is the answer's key)")
    for key in ("label", "hint"):
        set_texts(built, form, key, field, key, f"{pointer}/{key}")
    if "label" not in field:
        built.errors["label-vi"] = gettext("Give the field a label in Vietnamese")
    for key, types in CONSTRAINTS.items():
        if field["type"] not in types:
            field.pop(key, None)
    _constraints(built, form, field, pointer)
    read_rules(built, form, field, pointer)
    built.pointers |= {"name": f"{pointer}/name", "type": f"{pointer}/type", "required": f"{pointer}/required"}
    if index is None:
        fields.append(field)
    else:
        fields[index] = field
    return built


def _number(built: Built, form: Form, field: dict[str, Any], key: str, label: str, minimum: int = 0) -> None:
    value = whole(built, form, key, label, minimum)
    if value is None:
        field.pop(key, None)
    else:
        field[key] = value


def _constraints(built: Built, form: Form, field: dict[str, Any], pointer: str) -> None:
    kind = field["type"]
    for key in CONSTRAINTS:
        built.pointers[key] = f"{pointer}/{key}"
    if kind in ("text", "textarea"):
        _number(built, form, field, "min_length", gettext("Fewest characters"))
        _number(built, form, field, "max_length", gettext("Most characters"), 1)
    elif kind == "number":
        for key, label in (("min", gettext("Smallest number")), ("max", gettext("Largest number"))):
            raw = text(form, key).replace(",", ".")
            try:
                value = float(raw) if raw else None
            except ValueError:
                built.errors[key] = gettext("%(label)s: enter a number", label=label)
                continue
            if value is None:
                field.pop(key, None)
            else:
                field[key] = int(value) if value.is_integer() else value
        field["integer"] = ticked(form, "integer")
    elif kind in ("date", "identity"):  # today, a day or another answer's name; the catalogue checks which
        for key in ("not_before", "not_after") if kind == "date" else ("birth_date",):
            if text(form, key):
                field[key] = text(form, key)
            else:
                field.pop(key, None)
    elif kind in ("select", "choice", "multichoice"):
        field["options"] = _options(built, form)
    elif kind == "file":
        field["types"] = [t for t in FILE_TYPES if t in chosen(form, "types")]
        if not field["types"]:
            built.errors["types"] = gettext("Choose at least one type of file")
        _number(built, form, field, "max_mb", gettext("Largest file in MB"), 1)
    elif kind == "group":
        set_texts(built, form, "item_label", field, "item_label", f"{pointer}/item_label")
        _number(built, form, field, "min_items", gettext("Fewest items"))
        _number(built, form, field, "max_items", gettext("Most items"), 1)
        field["fields"] = _item_fields(built, form)


def _options(built: Built, form: Form) -> list[dict[str, Any]]:
    """``value | vi | en``, one a line."""
    options = []
    for line in lines(text(form, "options")):
        value, _, labels = (part.strip() for part in line.partition("|"))
        vi, _, en = (part.strip() for part in labels.partition("|"))
        if not value or not vi:
            built.errors["options"] = gettext("Write each option as: value | Vietnamese | English")
            continue
        options.append({"value": value, "label": {"vi": vi, "en": en} if en else {"vi": vi}})
    if not options and "options" not in built.errors:
        built.errors["options"] = gettext("Write at least one option, one a line: value | Vietnamese | English")
    return options


def _item_fields(built: Built, form: Form) -> list[dict[str, Any]]:
    """``name | type | vi | en | required``, one a line: a repeating group's own fields, without constraints."""
    items = []
    for line in lines(text(form, "item_fields")):
        parts = [part.strip() for part in line.split("|")] + [""] * 5
        name, kind, vi, en, required = parts[:5]
        if not name or kind not in ITEM_TYPES or kind in ("select", "choice", "multichoice") or not vi:
            built.errors["item_fields"] = gettext(
                "Write each of the item's fields as: name | type | Vietnamese | English | required or optional "
                "(a type without options)")
            continue
        label = read_texts({"l-vi": vi, "l-en": en}, "l") or {}
        items.append({"name": name, "type": kind, "label": label, "required": required != "optional"})
    if not items and "item_fields" not in built.errors:
        built.errors["item_fields"] = gettext("A repeating group needs at least one field of its own")
    return items
