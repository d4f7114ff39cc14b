"""Catalogue content as gettext: every Vietnamese text of the catalogue is a msgid of ``content.pot``.

Content (procedure titles, summaries, documents, FAQ, form pages, labels, hints, options, fee
options, agency names) lives in ``backend/catalogue/data/*.json`` as ``{"vi": ..., "en": ...}``.
The Vietnamese text is authoritative, so it is the key: each language's ``content.po`` translates
it, the English sits beside it as a reference, and the same Vietnamese text is translated once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backend.catalogue.document import text_places
from backend.catalogue.fees import STANDARD_LABEL
from backend.catalogue.loader import read_procedures

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "backend" / "catalogue" / "data"

KINDS = ("interface", "catalogue", "forms", "pdf")


@dataclass
class ContentText:
    vi: str
    en: str
    locations: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """``forms`` for a text of a form page, else ``catalogue``."""
        return "forms" if any("/form/" in loc for loc in self.locations) else "catalogue"


def _walk(node: Any, path: str, found: dict[str, ContentText]) -> None:
    for vi, en, place in text_places(node, path):  # the catalogue's own walk (catalogue.document)
        found.setdefault(vi, ContentText(vi, en)).locations.append(place)


def content_texts(agencies: list[dict] | None = None, procedures: list[dict] | None = None) -> dict[str, ContentText]:
    """Every translatable content text by its Vietnamese source, with where it is used."""
    if agencies is None:
        agencies = json.loads((DATA_DIR / "agencies.json").read_text(encoding="utf-8"))
    if procedures is None:
        procedures = read_procedures()
    found: dict[str, ContentText] = {}
    for agency in agencies:
        _walk(agency, f"agency {agency['code']}", found)
    for procedure in procedures:
        _walk(procedure, f"procedure {procedure['code']}", found)
    # The one fee label the fee schedules add themselves (catalogue.fees): "standard fee" beside the groups'.
    _walk(STANDARD_LABEL, "fee schedules: the standard fee", found)
    return found
