"""Administrators edit catalogue content per language: each text beside its Vietnamese source."""

from __future__ import annotations

from dataclasses import dataclass

from backend.catalogue.models import Procedure
from backend.catalogue.services import search_text_for
from backend.core.i18n import gettext
from backend.core.languages import LANGUAGES

MAX_LENGTH = 4000


@dataclass
class EditableText:
    key: str
    """Form field name: ``title``, ``doc:<document key>``, ``faq:<n>:q``..."""
    label: str
    source: str
    """The Vietnamese text, which is authoritative."""
    value: str
    long: bool


def editable_texts(procedure: Procedure, code: str) -> list[EditableText]:
    texts: list[EditableText] = []

    def add(key: str, label: str, text: dict | None, long: bool = False) -> None:
        if isinstance(text, dict) and text.get("vi"):
            texts.append(EditableText(key, label, text["vi"], text.get(code, ""), long))

    add("title", gettext("Title"), procedure.title)
    add("summary", gettext("Summary"), procedure.summary, long=True)
    add("applicants", gettext("Who can apply"), procedure.applicants, long=True)
    add("fee_note", gettext("About the fee"), procedure.fee_note, long=True)
    for n, document in enumerate(procedure.documents, start=1):
        add(f"doc:{document['key']}", gettext("Document %(n)s", n=n), document["name"], long=True)
    for n, entry in enumerate(procedure.faq, start=1):
        add(f"faq:{n - 1}:q", gettext("Question %(n)s", n=n), entry["q"])
        add(f"faq:{n - 1}:a", gettext("Answer %(n)s", n=n), entry["a"], long=True)
    return texts


def _with(text: dict, code: str, value: str) -> dict:
    updated = {k: v for k, v in text.items() if k != code}
    return {**updated, code: value} if value else updated


async def save_translations(procedure: Procedure, code: str, form: dict[str, str]) -> dict[str, str]:
    """Store one language's texts (blank removes a translation); returns errors by field, saving nothing then."""
    if code not in LANGUAGES or code == "vi":
        return {"language": gettext("Choose a language other than Vietnamese")}
    values = {key: " ".join(str(form.get(key, "")).split()) for key in (t.key for t in editable_texts(procedure, code))}
    errors = {
        key: gettext("Must be %(max)s characters or fewer", max=MAX_LENGTH)
        for key, value in values.items()
        if len(value) > MAX_LENGTH
    }
    if errors:
        return errors
    for field in ("title", "summary", "applicants", "fee_note"):
        if field in values:
            setattr(procedure, field, _with(getattr(procedure, field), code, values[field]))
    procedure.documents = [
        {**d, "name": _with(d["name"], code, values.get(f"doc:{d['key']}", ""))} for d in procedure.documents
    ]
    procedure.faq = [
        {
            **e,
            "q": _with(e["q"], code, values.get(f"faq:{n}:q", "")),
            "a": _with(e["a"], code, values.get(f"faq:{n}:a", "")),
        }
        for n, e in enumerate(procedure.faq)
    ]
    await procedure.fetch_related("agency")
    source = {
        "code": procedure.code,
        "title": procedure.title,
        "summary": procedure.summary,
        "life_events": procedure.life_events,
    }
    procedure.search_text = search_text_for(source, procedure.agency.name)
    await procedure.save(
        update_fields=["title", "summary", "applicants", "fee_note", "documents", "faq", "search_text"]
    )
    return {}


def coverage(procedure: Procedure) -> dict[str, tuple[int, int]]:
    """(translated, total) texts per language for one procedure."""
    result = {}
    for code in LANGUAGES:
        texts = editable_texts(procedure, code)
        result[code] = (sum(1 for t in texts if t.value), len(texts))
    return result
