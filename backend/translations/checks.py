"""Automatic checks on a translation: the portal refuses broken ones, and flags doubtful ones for review.

Refused (``errors``): placeholders changed (``%(name)s`` missing or added) or HTML that the source
does not have. Flagged (``warnings``): letters outside the language's orthography
(``locales/<code>/language.json``), the Vietnamese left untranslated, a glossary term not followed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from backend.core.catalogs import LOCALES
from backend.core.i18n import gettext

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")
TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
UNSAFE = re.compile(r"(?i)<\s*/?\s*[a-z!]|javascript:|\bon[a-z]+\s*=")
WORD = re.compile(r"[^\W\d_]+(?:[\u0300-\u036f\u0306]*[^\W\d_]*)*", re.UNICODE)


@dataclass
class CheckResult:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@cache
def language_profile(code: str) -> dict:
    """``locales/<code>/language.json``: writing system, letters, glossary (empty when there is none yet)."""
    path = LOCALES / code / "language.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _letter_ok(char: str, allowed: set[str], script: str) -> bool:
    if not unicodedata.category(char).startswith(("L", "M")):
        return True
    code = ord(char)
    if script == "han" and (0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x3000 <= code <= 0x30FF):
        return True
    return char in allowed


def glossary_terms(code: str, source_vi: str) -> list[tuple[str, list[str]]]:
    """The glossary entries whose Vietnamese term occurs in ``source_vi``, with their accepted renderings."""
    found = []
    lowered = source_vi.lower()
    for term, rendering in language_profile(code).get("glossary", {}).items():
        if re.search(rf"(?<!\w){re.escape(term.lower())}(?!\w)", lowered):
            found.append((term, rendering if isinstance(rendering, list) else [rendering]))
    return found


def check(code: str, source: str, translation: str, source_vi: str = "", english: str = "") -> CheckResult:
    """Check ``translation`` (into ``code``) of ``source`` (msgid); ``source_vi`` is the Vietnamese text."""
    result = CheckResult()
    source_vi = source_vi or source
    expected, given = Counter(PLACEHOLDER.findall(source)), Counter(PLACEHOLDER.findall(translation))
    if missing := sorted((expected - given).elements()):
        result.errors.append(gettext("Keep the placeholders of the source text: %(names)s is missing.",
                                     names=", ".join(missing)))
    if added := sorted((given - expected).elements()):
        result.errors.append(gettext("Use only the placeholders of the source text: %(names)s is not in it.",
                                     names=", ".join(added)))
    if Counter(t.lower() for t in TAG.findall(translation)) - Counter(t.lower() for t in TAG.findall(source)) or (
        UNSAFE.search(translation) and not UNSAFE.search(source)
    ):
        result.errors.append(gettext("Write plain text: HTML tags and scripts are not allowed in a translation."))
    profile = language_profile(code)
    text = unicodedata.normalize("NFC", PLACEHOLDER.sub(" ", translation))
    if profile.get("letters") or profile.get("script") == "han":
        allowed = set(unicodedata.normalize("NFC", profile.get("letters", "")).lower())
        allowed |= set(unicodedata.normalize("NFD", profile.get("letters", "")).lower())
        borrowed = {w.lower() for w in WORD.findall(unicodedata.normalize("NFC", f"{source_vi} {english} {source}"))}
        strange = sorted({
            char for word in WORD.findall(text) if word.lower() not in borrowed
            for char in unicodedata.normalize("NFC", word.lower())
            if not _letter_ok(char, allowed, profile.get("script", ""))
        })
        if strange:
            result.warnings.append(gettext("Letters outside this language's orthography: %(letters)s",
                                           letters=" ".join(strange)))
    if code != "vi" and len(source_vi.split()) >= 3 and translation.strip() == source_vi.strip():
        result.warnings.append(gettext("This is the Vietnamese text, not a translation."))
    for term, renderings in glossary_terms(code, source_vi):
        if not any(r and r.lower() in translation.lower() for r in renderings):
            result.warnings.append(gettext("The glossary translates “%(term)s” as “%(rendering)s”.",
                                           term=term, rendering=" / ".join(renderings)))
    return result
