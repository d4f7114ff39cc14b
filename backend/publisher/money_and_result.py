"""The fee schedule and the result template as flat forms (see ``forms``): the shapes are those of
``catalogue.fees`` (``fee_schedule``, ``province_terms``) and ``results.template`` (``result``)."""

from __future__ import annotations

from typing import Any

from backend.core.i18n import gettext
from backend.publisher.forms import (
    Built,
    Form,
    blank,
    put_texts,
    read_texts,
    rows,
    set_texts,
    start,
    text,
    ticked,
    whole,
)

UNITS = ("copy", "page")


def fee_form(document: dict[str, Any]) -> Form:
    schedule = document.get("fee_schedule") or {}
    amount = schedule.get("amount", document.get("fee"))
    form: Form = {"amount": "" if amount is None else str(amount)}
    put_texts(form, "fee_note", document.get("fee_note"))
    per = schedule.get("per") or {}
    form |= {"per_field": per.get("field", ""), "per_unit": per.get("unit", "copy"), "cap": str(per.get("cap") or "")}
    rates = per.get("rates") or []
    for index, rate in enumerate(rates):
        form[f"rate-{index}-from"], form[f"rate-{index}-amount"] = str(rate.get("from", 1)), str(rate["amount"])
    form["rate-count"] = str(len(rates) + 1)
    groups = schedule.get("groups") or []
    for index, group in enumerate(groups):
        row = f"group-{index}-"
        form |= {f"{row}key": group.get("key", ""), f"{row}amount": str(group.get("amount", "")),
                 f"{row}proof": group.get("proof", "")}
        put_texts(form, f"{row}label", group.get("label"))
    form["group-count"] = str(len(groups) + 1)
    terms = document.get("province_terms") or {}
    for index, (code, term) in enumerate(sorted(terms.items())):
        row = f"province-{index}-"
        form |= {f"{row}code": code, f"{row}fee": str(term.get("fee", "")),
                 f"{row}days": str(term.get("processing_days", ""))}
    form["province-count"] = str(len(terms) + 1)
    return form


def apply_fee(document: dict[str, Any], form: Form) -> Built:
    """A fixed amount; with a charge per copy or page or groups of their own, a ``fee_schedule`` too."""
    built = start(document)
    doc = built.document
    amount = whole(built, form, "amount", gettext("Fee in đồng"))
    if not text(form, "amount"):
        built.errors["amount"] = gettext("Enter the fee in đồng: 0 when the procedure is free")
    set_texts(built, form, "fee_note", doc, "fee_note", "/fee_note")
    schedule: dict[str, Any] = {"amount": amount if amount is not None else 0}
    per = _per_unit(built, form)
    if per:
        schedule["per"] = per
    groups = _groups(built, form)
    if groups:
        schedule["groups"] = groups
        doc.pop("fee_options", None)  # the groups are the options now
    doc["fee"] = schedule["amount"]
    if per or groups:
        doc["fee_schedule"] = schedule
        built.pointers["amount"] = "/fee_schedule/amount"
    else:
        doc.pop("fee_schedule", None)
        built.pointers["amount"] = "/fee"
    terms = _province_terms(built, form)
    if terms:
        doc["province_terms"] = terms
    else:
        doc.pop("province_terms", None)
    return built


def _per_unit(built: Built, form: Form) -> dict[str, Any] | None:
    counted = text(form, "per_field")
    built.pointers |= {"per_field": "/fee_schedule/per/field", "per_unit": "/fee_schedule/per/unit",
                       "cap": "/fee_schedule/per/cap"}
    if not counted:
        return None
    rates: list[dict[str, int]] = []
    for index in rows(form, "rate"):
        if blank(form, "rate", index):
            continue
        row = f"rate-{index}-"
        begin = whole(built, form, f"{row}from", gettext("From which copy or page"), 1) or 1
        each = whole(built, form, f"{row}amount", gettext("Amount for each"))
        if each is None and f"{row}amount" not in built.errors:
            built.errors[f"{row}amount"] = gettext("Enter the amount for each copy or page")
        built.pointers |= {f"{row}from": f"/fee_schedule/per/rates/{len(rates)}/from",
                           f"{row}amount": f"/fee_schedule/per/rates/{len(rates)}/amount"}
        rates.append({"from": begin, "amount": each or 0})
    if not rates:
        built.errors["rate-0-amount"] = gettext("Enter the amount for each copy or page")
    unit = text(form, "per_unit")
    per: dict[str, Any] = {"field": counted, "unit": unit if unit in UNITS else "copy", "rates": rates}
    cap = whole(built, form, "cap", gettext("Most the fee comes to"), 1)
    if cap is not None:
        per["cap"] = cap
    return per


def _groups(built: Built, form: Form) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for index in rows(form, "group"):
        if blank(form, "group", index):
            continue
        row, pointer = f"group-{index}-", f"/fee_schedule/groups/{len(groups)}"
        group: dict[str, Any] = {"key": text(form, f"{row}key") or f"group_{len(groups) + 1}"}
        set_texts(built, form, f"{row}label", group, "label", f"{pointer}/label")
        amount = whole(built, form, f"{row}amount", gettext("The group's fee in đồng"))
        if amount is None and f"{row}amount" not in built.errors:
            built.errors[f"{row}amount"] = gettext("Enter the group's fee in đồng: 0 when it pays nothing")
        group |= {"amount": amount or 0, "proof": text(form, f"{row}proof")}
        built.pointers |= {f"{row}key": f"{pointer}/key", f"{row}amount": f"{pointer}/amount",
                           f"{row}proof": f"{pointer}/proof"}
        groups.append(group)
    return groups


def _province_terms(built: Built, form: Form) -> dict[str, dict[str, int]]:
    terms: dict[str, dict[str, int]] = {}
    for index in rows(form, "province"):
        if blank(form, "province", index):
            continue
        row = f"province-{index}-"
        code = text(form, f"{row}code")
        if not (len(code) == 2 and code.isdigit()):
            built.errors[f"{row}code"] = gettext("Enter the province's two-digit code, for example 79")
        term = {}
        fee = whole(built, form, f"{row}fee", gettext("The province's fee in đồng"))
        days = whole(built, form, f"{row}days", gettext("The province's processing time in working days"), 1)
        if fee is not None:
            term["fee"] = fee
        if days is not None:
            term["processing_days"] = days
        built.pointers |= {f"{row}code": f"/province_terms/{code}", f"{row}fee": f"/province_terms/{code}/fee",
                           f"{row}days": f"/province_terms/{code}/processing_days"}
        terms[code] = term
    return terms


# --- the result template -------------------------------------------------------------------------------------

def result_form(document: dict[str, Any]) -> Form:
    template = document.get("result") or {}
    form: Form = {}
    put_texts(form, "title", template.get("title"))
    lines = template.get("lines") or []
    for index, line in enumerate(lines):
        row = f"line-{index}-"
        put_texts(form, f"{row}label", line.get("label"))
        form[f"{row}shows"] = (f"answer:{line['answer']}" if "answer" in line else
                               f"official:{line['official']}" if "official" in line else "agency")
        form[f"{row}in_words"] = "yes" if line.get("in_words") else ""
    form["line-count"] = str(len(lines) + 1)
    official = template.get("official") or []
    for index, item in enumerate(official):
        row = f"official-{index}-"
        form[f"{row}key"] = item.get("key", "")
        form[f"{row}required"] = "yes" if item.get("required") else ""
        put_texts(form, f"{row}label", item.get("label"))
        put_texts(form, f"{row}default", item.get("default"))
    form["official-count"] = str(len(official) + 1)
    return form


def apply_result(document: dict[str, Any], form: Form) -> Built:
    """The official's fields first, then the lines (a line may show a field added in the same save)."""
    built = start(document)
    template: dict[str, Any] = {}
    set_texts(built, form, "title", template, "title", "/result/title")
    official: list[dict[str, Any]] = []
    for index in rows(form, "official"):
        if blank(form, "official", index):
            continue
        row, pointer = f"official-{index}-", f"/result/official/{len(official)}"
        item: dict[str, Any] = {"key": text(form, f"{row}key"), "required": ticked(form, f"{row}required")}
        if not item["key"]:
            built.errors[f"{row}key"] = gettext("Give the official's field a key (letters, digits and _)")
        set_texts(built, form, f"{row}label", item, "label", f"{pointer}/label")
        set_texts(built, form, f"{row}default", item, "default", f"{pointer}/default")
        built.pointers |= {f"{row}key": f"{pointer}/key", f"{row}required": f"{pointer}/required"}
        official.append(item)
    lines: list[dict[str, Any]] = []
    for index in rows(form, "line"):
        if blank(form, "line", index) or (not read_texts(form, f"line-{index}-label")
                                          and not ticked(form, f"line-{index}-in_words")):
            continue  # a row with only its "shows" chosen (the select always has a value) is an empty row
        row, pointer = f"line-{index}-", f"/result/lines/{len(lines)}"
        line: dict[str, Any] = {}
        set_texts(built, form, f"{row}label", line, "label", f"{pointer}/label")
        kind, _, name = text(form, f"{row}shows").partition(":")
        if kind in ("answer", "official") and name:
            line[kind] = name
        else:
            line["agency"] = True
        if ticked(form, f"{row}in_words"):
            line["in_words"] = True
        built.pointers |= {f"{row}shows": pointer, f"{row}in_words": f"{pointer}/in_words"}
        lines.append(line)
    if lines or official or "title" in template:
        if "title" not in template:
            built.errors["title-vi"] = gettext("Give the result a title")
        built.document["result"] = {**template, "lines": lines, "official": official}
    else:
        built.document.pop("result", None)
    return built
