"""Flat forms over the procedure document: what a section's page posts (``title-vi``, ``doc-2-mandatory``) and how it
becomes part of the document again.

Each section has ``*_form(document) -> Form`` (the inputs, filled from the document) and ``apply_*(document, form)
-> Built`` (a new document, the errors found while reading the inputs, and for each input the JSON pointer of
what it wrote, so that a refused document's problems are shown next to the inputs that caused them). A list
(documents, FAQ, rates...) is a run of rows ``prefix-0-...``, ``prefix-1-...`` and ``prefix-count``: the page
always offers one empty row more, which is how something is added without JavaScript."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from backend.core.i18n import gettext
from backend.core.units import fold

Form = dict[str, Any]  # input name -> text, or a list of texts for ``name[]`` check boxes
LANGS = ("vi", "en")
MAX_ROWS = 200  # a posted count beyond this is not a form this portal printed


@dataclass
class Built:
    """A section applied: the new ``document``; ``errors`` by input name; ``pointers``: input name -> pointer."""

    document: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    pointers: dict[str, str] = field(default_factory=dict)


def start(document: dict[str, Any]) -> Built:
    return Built(copy.deepcopy(document))


def text(form: Form, name: str) -> str:
    value = form.get(name, "")
    return (value if isinstance(value, str) else "").replace("\r\n", "\n").strip()


def ticked(form: Form, name: str) -> bool:
    return text(form, name) in {"yes", "on", "true"}


def chosen(form: Form, name: str) -> list[str]:
    """The values of the ``name[]`` check boxes that are ticked."""
    value = form.get(f"{name}[]", [])
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str) and v]


def put_texts(form: Form, name: str, value: Any) -> None:
    """A {vi, en} text into the ``name-vi`` and ``name-en`` inputs."""
    value = value if isinstance(value, dict) else {}
    for lang in LANGS:
        form[f"{name}-{lang}"] = value.get(lang) or ""


def read_texts(form: Form, name: str) -> dict[str, str] | None:
    """The ``name-vi`` and ``name-en`` inputs as a {vi, en} text; None when both are empty."""
    value = {lang: text(form, f"{name}-{lang}") for lang in LANGS}
    return {lang: words for lang, words in value.items() if words} or None


def set_texts(built: Built, form: Form, name: str, target: dict[str, Any], key: str, pointer: str) -> None:
    """Write the ``name-vi``/``name-en`` inputs into ``target[key]`` (dropped when both are empty)."""
    value = read_texts(form, name)
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value
    for lang in LANGS:
        built.pointers[f"{name}-{lang}"] = f"{pointer}/{lang}"


def whole(built: Built, form: Form, name: str, label: str, minimum: int = 0) -> int | None:
    """A whole number input (spaces and dots between thousands allowed); None when empty; an error when not."""
    raw = re.sub(r"[\s.,]", "", text(form, name))
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < minimum:
        built.errors[name] = gettext("%(label)s: enter a whole number of at least %(min)s", label=label, min=minimum)
        return None
    return int(raw)


def lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def rows(form: Form, prefix: str) -> range:
    """The indexes of the rows the page printed (its hidden ``prefix-count``)."""
    raw = text(form, f"{prefix}-count")
    return range(min(int(raw), MAX_ROWS) if raw.isdigit() else 0)


def blank(form: Form, prefix: str, index: int) -> bool:
    """A row nobody typed in, or one marked for removal."""
    start = f"{prefix}-{index}-"
    if ticked(form, f"{start}remove"):
        return True
    return not any((v if isinstance(v, str) else "".join(v)).strip() for k, v in form.items()
                   if k.startswith(start) and not k.endswith(("-remove", "-mandatory", "-required", "-types[]")))


def slug(words: str, fallback: str) -> str:
    """A key from words typed (``Giấy khai sinh`` -> ``giay_khai_sinh``), for a row given no key."""
    key = re.sub(r"[^a-z0-9]+", "_", fold(words)).strip("_")[:40]
    return key or fallback


# --- one section: the procedure's description ----------------------------------------------------------------

DETAIL_TEXTS = ("title", "summary", "applicants")


def details_form(document: dict[str, Any]) -> Form:
    form: Form = {key: document.get(key) or "" for key in ("code", "agency", "filing_level", "filing_kind")}
    for key in DETAIL_TEXTS:
        put_texts(form, key, document.get(key))
    form["processing_days"] = str(document.get("processing_days", ""))
    form["legal_basis"] = "\n".join(document.get("legal_basis") or [])
    form["life_events[]"] = list(document.get("life_events") or [])
    form["full_online"] = "yes" if document.get("full_online") else ""
    form["to_check"] = "yes" if document.get("to_check") else ""
    form["check_note"] = document.get("check_note") or ""
    faq = document.get("faq") or []
    for index, item in enumerate(faq):
        put_texts(form, f"faq-{index}-q", item.get("q"))
        put_texts(form, f"faq-{index}-a", item.get("a"))
    form["faq-count"] = str(len(faq) + 1)
    return form


def apply_details(document: dict[str, Any], form: Form, *, new: bool = False) -> Built:
    built = start(document)
    doc = built.document
    if new:
        doc["code"] = text(form, "code")
        built.pointers["code"] = "/code"
    for key in DETAIL_TEXTS:
        set_texts(built, form, key, doc, key, f"/{key}")
    for key in ("agency", "filing_level", "filing_kind"):
        doc[key] = text(form, key)
        built.pointers[key] = f"/{key}"
    days = whole(built, form, "processing_days", gettext("Processing time in working days"), 1)
    doc["processing_days"] = days if days is not None else doc.get("processing_days")
    if not text(form, "processing_days"):
        built.errors["processing_days"] = gettext("Enter the processing time in working days")
    doc["legal_basis"] = lines(text(form, "legal_basis"))
    doc["life_events"] = chosen(form, "life_events")
    doc["full_online"] = ticked(form, "full_online")
    if ticked(form, "to_check"):
        doc["to_check"] = True
    else:
        doc.pop("to_check", None)
    note = text(form, "check_note")
    if note:
        doc["check_note"] = note
    else:
        doc.pop("check_note", None)
    built.pointers |= {"processing_days": "/processing_days", "legal_basis": "/legal_basis",
                       "life_events": "/life_events", "full_online": "/full_online", "to_check": "/to_check",
                       "check_note": "/check_note"}
    faq: list[dict[str, Any]] = []
    for index in rows(form, "faq"):
        if blank(form, "faq", index):
            continue
        item: dict[str, Any] = {}
        for part in ("q", "a"):
            set_texts(built, form, f"faq-{index}-{part}", item, part, f"/faq/{len(faq)}/{part}")
            if part not in item:
                built.errors[f"faq-{index}-{part}-vi"] = gettext("Write both the question and its answer")
        faq.append(item)
    doc["faq"] = faq
    return built


# --- required documents --------------------------------------------------------------------------------------

FILE_TYPES = ("pdf", "jpg", "png")


def documents_form(document: dict[str, Any]) -> Form:
    form: Form = {}
    items = document.get("documents") or []
    for index, item in enumerate(items):
        row = f"doc-{index}-"
        form[f"{row}key"] = item.get("key", "")
        put_texts(form, f"{row}name", item.get("name"))
        form[f"{row}mandatory"] = "yes" if item.get("mandatory") else ""
        form[f"{row}types[]"] = list(item.get("types") or [])
        form[f"{row}max_mb"] = str(item.get("max_mb") or "")
    form["doc-count"] = str(len(items) + 1)
    return form


def apply_documents(document: dict[str, Any], form: Form) -> Built:
    built = start(document)
    old = {item.get("key"): item for item in document.get("documents") or []}
    items: list[dict[str, Any]] = []
    for index in rows(form, "doc"):
        if blank(form, "doc", index):
            continue
        row, pointer = f"doc-{index}-", f"/documents/{len(items)}"
        names = read_texts(form, f"{row}name") or {}
        key = text(form, f"{row}key") or slug(names.get("en") or names.get("vi", ""), f"document_{len(items) + 1}")
        item = {**old.get(key, {}), "key": key, "mandatory": ticked(form, f"{row}mandatory"),
                "types": chosen(form, f"{row}types")}
        set_texts(built, form, f"{row}name", item, "name", f"{pointer}/name")
        if "name" not in item:
            built.errors[f"{row}name-vi"] = gettext("Enter the document's name in Vietnamese")
        if not item["types"]:
            built.errors[f"{row}types"] = gettext("Choose at least one type of file")
        size = whole(built, form, f"{row}max_mb", gettext("Largest file in MB"), 1)
        if size is None:
            item.pop("max_mb", None)
        else:
            item["max_mb"] = size
        built.pointers |= {f"{row}key": f"{pointer}/key", f"{row}types": f"{pointer}/types",
                           f"{row}mandatory": f"{pointer}/mandatory", f"{row}max_mb": f"{pointer}/max_mb"}
        items.append(item)
    built.document["documents"] = items
    return built


# --- how the result is delivered -----------------------------------------------------------------------------

RESULT_FORMS = ("online", "office", "post")


def delivery_form(document: dict[str, Any]) -> Form:
    return {"result_forms[]": list(document.get("result_forms") or [])}


def apply_delivery(document: dict[str, Any], form: Form) -> Built:
    built = start(document)
    built.document["result_forms"] = [way for way in RESULT_FORMS if way in chosen(form, "result_forms")]
    built.pointers["result_forms"] = "/result_forms"
    if not built.document["result_forms"]:
        built.errors["result_forms"] = gettext("Choose at least one way to receive the result")
    return built
