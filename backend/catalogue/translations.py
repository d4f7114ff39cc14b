"""Catalogue content in every language: merged from ``data/translations/<code>.json``, counted for the report.

Content texts are dicts by language (``{"vi": ..., "en": ..., "km": ...}``) and fall back like
interface messages do (see ``backend.core.i18n.localized``). The Vietnamese text is authoritative.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from backend.core.languages import LANGUAGES

DATA_DIR = Path(__file__).parent / "data"
TRANSLATIONS_DIR = DATA_DIR / "translations"
PROCEDURE_TEXTS = ("title", "summary", "applicants", "fee_note")


def translation_files(directory: Path = TRANSLATIONS_DIR) -> dict[str, dict[str, Any]]:
    """Every language's translation file, by language code."""
    files: dict[str, dict[str, Any]] = {}
    for path in sorted(directory.glob("*.json")) if directory.exists() else []:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("language") in LANGUAGES:
            files[data["language"]] = data
    return files


def _put(texts: dict | None, code: str, value: str | None) -> dict | None:
    if not value or texts is None:
        return texts
    return {**texts, code: value}


def merge_procedure(item: dict[str, Any], code: str, translated: dict[str, Any]) -> None:
    """Write one language's texts into a procedure from procedures.json (in place)."""
    for key in PROCEDURE_TEXTS:
        item[key] = _put(item.get(key), code, translated.get(key))
    names = translated.get("documents", {})
    for document in item.get("documents", []):
        document["name"] = _put(document["name"], code, names.get(document["key"]))
    for entry, faq in zip(item.get("faq", []), translated.get("faq", []), strict=False):
        entry["q"] = _put(entry["q"], code, faq.get("q"))
        entry["a"] = _put(entry["a"], code, faq.get("a"))


def merge_translations(agencies: list[dict], procedures: list[dict], directory: Path = TRANSLATIONS_DIR) -> None:
    """Add every translation file's texts to the loaded source data."""
    for code, data in translation_files(directory).items():
        names = data.get("agencies", {})
        for agency in agencies:
            agency["name"] = _put(agency["name"], code, names.get(agency["code"]))
        by_code = data.get("procedures", {})
        for item in procedures:
            if item["code"] in by_code:
                merge_procedure(item, code, by_code[item["code"]])


def content_texts(agencies: list[dict], procedures: list[dict]) -> list[dict]:
    """Every translatable content text, as its dict of languages."""
    texts = [a["name"] for a in agencies]
    for item in procedures:
        texts += [item[k] for k in PROCEDURE_TEXTS if isinstance(item.get(k), dict)]
        texts += [d["name"] for d in item.get("documents", [])]
        texts += [e[k] for e in item.get("faq", []) for k in ("q", "a")]
    return texts


def content_coverage(directory: Path = TRANSLATIONS_DIR) -> dict[str, tuple[int, int, int]]:
    """(translated, draft, missing) content texts per language, as the data files hold them."""
    agencies = json.loads((DATA_DIR / "agencies.json").read_text(encoding="utf-8"))
    procedures = json.loads((DATA_DIR / "procedures.json").read_text(encoding="utf-8"))
    files = translation_files(directory)
    merge_translations(agencies, procedures, directory)
    texts = content_texts(agencies, procedures)
    coverage = {}
    for code, language in LANGUAGES.items():
        present = sum(1 for text in texts if text.get(code))
        draft = code in files and (files[code].get("draft", True) or not language.reviewed)
        coverage[code] = (0, present, len(texts) - present) if draft else (present, 0, len(texts) - present)
    return coverage
