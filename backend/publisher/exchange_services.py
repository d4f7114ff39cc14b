"""Import and export of a whole procedure (issue 18, item 5): one document with all its languages.

Export writes a version's document (``catalogue.document``'s format, with ``$schema`` and ``format``) plus, under
``translations``, every content translation the portal has for its texts: ``{lang: {Vietnamese: translation}}``.
Import reads such a file (JSON, or YAML by its name), refuses it with each problem's line and place, shows what it
changes against the live version, then saves it as a draft version (source ``import``); its translations become
proposals awaiting a reviewer in the translation pages, never reviewed text by themselves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from backend.accounts.models import User
from backend.catalogue import document_text, versions
from backend.catalogue.diff import Change
from backend.catalogue.document import FORMAT, SCHEMA_URL, DocumentProblem, document_problems, texts
from backend.catalogue.models import Procedure, ProcedureVersion
from backend.core.catalogs import first
from backend.core.i18n import gettext
from backend.core.languages import CODES
from backend.core.text_store import STORE
from backend.translations.procedure_texts import add_document_texts
from backend.translations.services import propose
from backend.translations.texts import text_key

MAX_BYTES = 2 * 1024 * 1024
NEW, UPDATE = "new", "update"
SOURCE_LANGUAGES = ("vi", "en")  # in the document itself; the others go through translation review


async def export_document(code: str, number: int | None = None) -> tuple[dict[str, Any], int] | None:
    """The document of version ``number`` (the newest when None) with its translations, and the version's number."""
    if number is None:
        row = await ProcedureVersion.filter(procedure_code=code).order_by("-number").first()
    else:
        row = await versions.version(code, number)
    if row is None:
        return None
    document = {key: value for key, value in row.document.items() if key not in ("$schema", "format", "translations")}
    found: dict[str, dict[str, str]] = {}
    sources = texts(document)
    for lang in CODES:
        if lang in SOURCE_LANGUAGES:
            continue
        for vietnamese in sources:
            entry = STORE.entry(lang, "content", vietnamese)
            if entry is not None and first(entry.text):
                found.setdefault(lang, {})[vietnamese] = first(entry.text)
    exported = {"$schema": SCHEMA_URL, "format": FORMAT, **document}
    if found:
        exported["translations"] = found
    return exported, row.number


def serialize(document: dict[str, Any], as_yaml: bool = False) -> str:
    if as_yaml:
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120)
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


@dataclass
class Reading:
    """An uploaded file, read: its document when it is sound, else its problems."""

    text: str
    as_yaml: bool
    mode: str
    document: dict[str, Any] | None = None
    problems: list[DocumentProblem] = field(default_factory=list)
    changes: list[Change] | None = None  # None: a new procedure
    base: ProcedureVersion | None = None  # the version ``changes`` start from

    @property
    def code(self) -> str:
        return str((self.document or {}).get("code", ""))

    @property
    def translation_count(self) -> int:
        found = (self.document or {}).get("translations") or {}
        return sum(len(pairs) for lang, pairs in found.items() if lang in CODES and lang not in SOURCE_LANGUAGES)


def decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


async def read_upload(text: str, as_yaml: bool, mode: str) -> Reading:
    """Check an uploaded document; when sound, what it would change (``changes``) against the live version."""
    reading = Reading(text, as_yaml, mode)
    try:
        parsed = document_text.parse(text, as_yaml)
    except document_text.Unreadable as error:
        kind = "YAML" if as_yaml else "JSON"
        reading.problems = [DocumentProblem("", gettext("The file is not valid %(kind)s: %(reason)s", kind=kind,
                                                        reason=error.reason), error.line)]
        return reading
    code = str(parsed.get("code") or "") if isinstance(parsed, dict) else ""
    exists = bool(code) and await Procedure.filter(code=code).exists()
    reading.problems = document_problems(parsed, new=mode == NEW, text=text, yaml_text=as_yaml,
                                         existing={code} if exists else set())
    if not reading.problems and mode == UPDATE and not exists:
        reading.problems = [DocumentProblem("/code", gettext(
            "Code: there is no procedure %(code)s to update (choose “a new procedure” to create it)", code=code),
            document_text.line_of(document_text.lines(text, as_yaml), "/code"))]
    if reading.problems:
        return reading
    reading.document = parsed
    if exists:  # against the live version; a procedure never published yet, against its newest draft
        base = await versions.live_version(code) or await versions.latest_draft(code)
        if base is not None:
            reading.base, reading.changes = base, versions.diff(base.document, _content(parsed))
    return reading


def _content(document: dict[str, Any]) -> dict[str, Any]:
    """The document as a version keeps it: without its translations and its format markers."""
    return {key: value for key, value in document.items() if key not in ("$schema", "format", "translations")}


@dataclass
class Applied:
    version: ProcedureVersion
    proposed: int = 0
    refused: list[str] = field(default_factory=list)  # "lang: source: why" for translations not proposed


async def apply(reading: Reading, user: User, filename: str) -> Applied:
    """Save the checked document as a draft version (source ``import``); propose its translations for review."""
    assert reading.document is not None  # read_upload found no problem
    document = reading.document
    saved = await versions.save_draft(document["code"], _content(document), user, source="import",
                                      note=gettext("Imported from %(name)s", name=filename[:100]))
    applied = Applied(saved)
    add_document_texts(document)  # translators (and proposals) need the draft's texts as sources
    sources = texts(document)
    for lang, pairs in sorted((document.get("translations") or {}).items()):
        if lang in SOURCE_LANGUAGES or lang not in CODES:
            continue
        for vietnamese, translation in pairs.items():
            current = STORE.entry(lang, "content", vietnamese)
            if vietnamese not in sources or not translation.strip() or (
                    current is not None and first(current.text) == translation):
                continue  # not a text of this procedure, empty, or what the portal already shows
            result = await propose(user, lang, text_key("content", vietnamese), translation)
            if result.errors:
                applied.refused.append(f"{lang}: {vietnamese[:60]}: {'; '.join(str(e) for e in result.errors)}")
            else:
                applied.proposed += 1
    return applied
