"""Is a procedure document sound? The one place that says so, for the catalogue's files, the editor and imports.

A procedure document is the JSON of ``data/procedures/<code>.json`` (its format: ``data/procedure.schema.json``,
published at ``/api/v1/procedures/schema.json``). ``document_problems`` runs that JSON Schema, then, on a document
the schema accepts, what a schema cannot say: levels of the agencies that offer it, the fee schedule
(``fees.schedule_problems``), the result template (``result_templates.template_problems``), field names used once,
conditions (``show_if``) that name a field asked before them, a fee with an amount, and for a new procedure a code
not yet taken. Each problem names its place in words and as a JSON pointer, and its line in the text it came from.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from backend.catalogue import document_text
from backend.catalogue.fees import schedule_problems
from backend.catalogue.models import LEVELS
from backend.catalogue.result_templates import template_problems
from backend.core.i18n import gettext, lazy_gettext, resolve_content

SCHEMA_PATH = Path(__file__).parent / "data" / "procedure.schema.json"
PROCEDURES = Path(__file__).parent / "data" / "procedures"  # the catalogue's files, named by code
SCHEMA_URL = "/api/v1/procedures/schema.json"
FORMAT = 1
SEPARATOR = " › "
SECTIONS = {  # the top-level keys, as an administrator reads them
    "code": lazy_gettext("Code"), "title": lazy_gettext("Title"), "summary": lazy_gettext("Summary"),
    "agency": lazy_gettext("Agency"), "filing_level": lazy_gettext("Level of filing"),
    "filing_kind": lazy_gettext("Kind of agency"), "offered_by": lazy_gettext("Offered by"),
    "applicants": lazy_gettext("Who can apply"), "documents": lazy_gettext("Documents"), "form": lazy_gettext("Form"),
    "fee": lazy_gettext("Fee"), "fee_note": lazy_gettext("Fee note"), "fee_options": lazy_gettext("Fee options"),
    "fee_schedule": lazy_gettext("Fee schedule"), "processing_days": lazy_gettext("Processing time"),
    "province_terms": lazy_gettext("Province terms"), "result_forms": lazy_gettext("Result delivery"),
    "full_online": lazy_gettext("Fully online"), "legal_basis": lazy_gettext("Legal basis"),
    "faq": lazy_gettext("Questions and answers"), "life_events": lazy_gettext("Life events"),
    "result": lazy_gettext("Result"), "translations": lazy_gettext("Translations"),
}
_NAMED_ITEMS = {"fields", "options", "show_if"}
FIELD_TYPES_KEY = ("$defs", "field", "properties", "type", "enum")


@dataclass(frozen=True)
class DocumentProblem:
    pointer: str  # JSON pointer: "/form/2/fields/0/type"
    message: str  # translated, naming the place in words
    line: int | None = None  # in the text the document was read from


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


def field_types() -> list[str]:
    """The form field types the format knows (``dossiers.fieldtypes`` checks their answers)."""
    node: Any = schema()
    for key in FIELD_TYPES_KEY:
        node = node[key]
    return list(node)


def document_problems(document: Any, *, new: bool = False, text: str | None = None,
                      existing: Collection[str] | None = None, yaml_text: bool = False) -> list[DocumentProblem]:
    """Everything wrong with ``document`` (empty: it can be saved). ``new``: it creates a procedure, so its code
    must not be one of ``existing`` (the catalogue files' codes unless given). ``text``: the JSON (or YAML) it was
    read from, for each problem's line."""
    found = [(pointer, message) for pointer, message in _schema_problems(document)]
    if not found:
        found = list(_meaning_problems(document))
        if new:
            codes = existing if existing is not None else {path.stem for path in PROCEDURES.glob("*.json")}
            if document["code"] in codes:
                found.append(("/code", gettext("%(place)s: a procedure with code %(code)s already exists",
                                               place=place(document, "/code"), code=document["code"])))
    starts = document_text.lines(text, yaml_text) if text is not None else {}
    return [DocumentProblem(pointer, message, document_text.line_of(starts, pointer) if starts else None)
            for pointer, message in found]


def place(document: Any, pointer: str) -> str:
    """``/form/1/fields/0/type`` -> "Form › page “About the parents” › field “Mother's full name” › type"."""
    words: list[str] = []
    node, parent = document, ""
    for raw in pointer.split("/")[1:]:
        segment = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            words.append(_item_words(parent, int(segment), node[int(segment)]))
            node = node[int(segment)]
        elif isinstance(node, dict):
            if not words:
                words.append(str(SECTIONS.get(segment, segment)))
            elif segment not in _NAMED_ITEMS:  # "field “Name”" says it is one of the fields
                words.append(segment)
            node, parent = node.get(segment), segment
        else:
            words.append(segment)
            node = None
    return SEPARATOR.join(words) or gettext("The document")


def _item_words(parent: str, index: int, item: Any) -> str:
    entry = item if isinstance(item, dict) else {}
    name = _plain(entry.get("title")) or entry.get("key") or ""
    if parent == "form":
        return gettext("page “%(name)s”", name=name) if name else gettext("page %(num)s", num=index + 1)
    if parent == "fields":
        name = _plain(entry.get("label")) or entry.get("name") or ""
        return gettext("field “%(name)s”", name=name) if name else gettext("field %(num)s", num=index + 1)
    if parent == "documents" and (name := _plain(entry.get("name")) or entry.get("key") or ""):
        return gettext("document “%(name)s”", name=name)
    if parent == "options" and entry.get("value"):
        return gettext("option “%(name)s”", name=entry["value"])
    if parent == "show_if":
        return gettext("condition %(num)s", num=index + 1)
    return gettext("item %(num)s", num=index + 1)


def _plain(text: Any) -> str:
    return resolve_content(text)[0] if isinstance(text, dict | str) and text else ""


def _schema_problems(document: Any) -> Iterator[tuple[str, str]]:
    errors = sorted(_validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        yield _explain(document, error)


def _pointer(path: Collection[Any]) -> str:
    return "".join(f"/{document_text.escape(str(part))}" for part in path)


def _explain(document: Any, error: jsonschema.ValidationError) -> tuple[str, str]:
    """A schema error as a sentence an administrator can act on."""
    if error.validator == "anyOf" and error.context:  # text-or-null and the like: the branch that nearly fit
        near = [e for e in error.context if e.validator != "type" or e.relative_path] or error.context
        return _explain(document, jsonschema.exceptions.best_match(near))
    pointer = _pointer(error.absolute_path)
    value, rule = error.instance, error.validator_value
    where = place(document, pointer)
    if error.validator == "required":
        missing = next((key for key in rule if key not in value), rule[0])
        pointer = f"{pointer}/{missing}"
        return pointer, gettext("%(place)s: “%(key)s” is missing", place=where, key=missing)
    if error.validator == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = next((key for key in value if key not in known), "")
        pointer = f"{pointer}/{document_text.escape(extra)}"
        return pointer, gettext("%(place)s: unknown key “%(key)s”", place=where, key=extra)
    if error.validator == "enum" and error.absolute_path and error.absolute_path[-1] == "type" \
            and "fields" in error.absolute_path:
        return pointer, gettext("%(place)s: unknown field type “%(type)s” (the types are: %(types)s)",
                                place=where, type=value, types=", ".join(rule))
    if error.validator in ("enum", "const"):
        allowed = ", ".join(str(v) for v in (rule if error.validator == "enum" else [rule]))
        return pointer, gettext("%(place)s: “%(value)s” is not one of: %(allowed)s", place=where, value=value,
                                allowed=allowed)
    if error.validator == "type":
        kinds = [str(_KINDS.get(kind, kind)) for kind in ([rule] if isinstance(rule, str) else rule)]
        return pointer, gettext("%(place)s must be %(kind)s", place=where, kind=" / ".join(kinds))
    if error.validator in ("minimum", "exclusiveMinimum"):
        return pointer, gettext("%(place)s must be %(min)s or more", place=where, min=rule)
    if error.validator in ("maximum", "maxLength", "maxItems"):
        return pointer, gettext("%(place)s must be %(max)s or less", place=where, max=rule)
    if error.validator in ("minLength", "minItems"):
        return pointer, gettext("%(place)s must not be empty", place=where)
    if error.validator in ("pattern", "propertyNames"):
        return pointer, gettext("%(place)s: “%(value)s” is not written as expected (letters, digits and _)",
                                place=where, value=value)
    if error.validator == "uniqueItems":
        return pointer, gettext("%(place)s lists the same value twice", place=where)
    if error.validator == "not":
        return pointer, gettext("%(place)s: a repeating group cannot hold another group", place=where)
    if error.validator in ("minProperties", "maxProperties"):
        return pointer, gettext("%(place)s: a condition names a field and one of in, not_in or answered", place=where)
    return pointer, gettext("%(place)s is not valid here", place=where)


_KINDS = {
    "string": lazy_gettext("text"), "integer": lazy_gettext("a whole number"), "number": lazy_gettext("a number"),
    "boolean": lazy_gettext("true or false"), "array": lazy_gettext("a list"), "object": lazy_gettext("an object"),
    "null": lazy_gettext("null"),
}


def _meaning_problems(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """What the schema cannot check; run on a document it accepted, so every part has its shape."""
    for index, entry in enumerate(document.get("offered_by") or ()):  # an agency code, or "level:kind"
        level, colon, kind = entry.partition(":")
        if colon and (level not in LEVELS or not kind):
            pointer = f"/offered_by/{index}"
            yield pointer, gettext("%(place)s: “%(value)s” names a level (one of %(levels)s) and a kind",
                                   place=place(document, pointer), value=entry, levels=", ".join(LEVELS))
    if document.get("fee_schedule") is None and document.get("fee") is None:
        yield "/fee", gettext("%(place)s: the fee needs an amount in đồng (0 when free), or a fee schedule",
                              place=place(document, "/fee"))
    for message in schedule_problems(document):
        yield "/fee_schedule", f"{place(document, '/fee_schedule')}: {message}"
    for message in template_problems(document):
        yield "/result", f"{place(document, '/result')}: {message}"
    yield from _unique(document, "/documents", "key")
    yield from _unique(document, "/form", "key")
    yield from _form_problems(document)


def _unique(document: dict[str, Any], pointer: str, key: str) -> Iterator[tuple[str, str]]:
    items, seen = _at(document, pointer) or [], set()
    for index, item in enumerate(items):
        if item[key] in seen:
            at = f"{pointer}/{index}/{key}"
            yield at, gettext("%(place)s: “%(value)s” is used twice", place=place(document, at), value=item[key])
        seen.add(item[key])


def _at(document: Any, pointer: str) -> Any:
    node = document
    for part in pointer.split("/")[1:]:
        node = node[int(part)] if isinstance(node, list) else node.get(part)
    return node


def _form_problems(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Field names used once; each condition names a field asked before it, with values that field offers."""
    asked: dict[str, dict[str, Any]] = {}  # the fields before the one being read, by name
    for p, page in enumerate(document["form"]):
        yield from _conditions(document, f"/form/{p}", page, asked)
        for f, field in enumerate(page["fields"]):
            pointer = f"/form/{p}/fields/{f}"
            yield from _conditions(document, pointer, field, asked)
            if field["name"] in asked:
                yield f"{pointer}/name", gettext("%(place)s: the name “%(name)s” is used by another field",
                                                 place=place(document, pointer), name=field["name"])
            inner = dict(asked)
            for s, sub in enumerate(field.get("fields", []) if field["type"] == "group" else []):
                at = f"{pointer}/fields/{s}"
                yield from _conditions(document, at, sub, inner)
                if sub["name"] in inner and sub["name"] not in asked:
                    yield f"{at}/name", gettext("%(place)s: the name “%(name)s” is used by another field",
                                                place=place(document, at), name=sub["name"])
                inner[sub["name"]] = sub
            asked[field["name"]] = field


def _conditions(document: dict[str, Any], pointer: str, item: dict[str, Any],
                asked: dict[str, dict[str, Any]]) -> Iterator[tuple[str, str]]:
    for index, condition in enumerate(item.get("show_if") or ()):
        at = f"{pointer}/show_if/{index}"
        target = asked.get(condition["field"])
        if target is None:
            yield f"{at}/field", gettext(
                "%(place)s: no field “%(name)s” is asked before this (a condition names a field of an earlier "
                "page, or earlier on the same page)", place=place(document, at), name=condition["field"])
            continue
        offered = _offered(target)
        for key in ("in", "not_in"):
            for value in condition.get(key, ()):
                if offered is not None and value not in offered:
                    yield f"{at}/{key}", gettext("%(place)s: the field “%(name)s” has no option “%(value)s”",
                                                 place=place(document, at), name=condition["field"], value=value)


def _offered(field: dict[str, Any]) -> set[str] | None:
    if field["type"] == "yesno":
        return {"yes", "no"}
    if "options" in field:
        return {option["value"] for option in field["options"]}
    return None


def text_places(node: Any, path: str) -> Iterator[tuple[str, str, str]]:
    """Every content text under ``node`` ({"vi", "en"} anywhere in it) where it stands: (Vietnamese, English,
    place), the place as ``content.pot``'s locations write it (``procedure 1.001193/form/child/fields/...``); an
    exported document's ``translations`` are not content. ``locales/pipeline/content.py`` walks the files with it."""
    if isinstance(node, dict):
        if isinstance(node.get("vi"), str):
            if node["vi"].strip():
                yield node["vi"], str(node.get("en") or ""), path
            return
        for key, value in node.items():
            if key != "translations":
                yield from text_places(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            named = isinstance(value, dict) and (value.get("key") or value.get("name") or value.get("value"))
            yield from text_places(value, f"{path}/{named or index}")


def texts(document: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Every content text of the document: Vietnamese -> (English, its first place)."""
    found: dict[str, tuple[str, str]] = {}
    for vi, en, place in text_places(document, f"procedure {document.get('code', '')}"):
        found.setdefault(vi, (en, place))
    return found
