"""Content texts of procedures kept in the database (made or changed in the editor, or imported): translators see
them as texts to translate, beside the catalogue files' texts that ``content.pot`` holds.

Each process reads the versions the editor and imports keep (drafts and published ones: a translation can be ready
by the time a draft is published) and adds their new texts to the store; a version's ``digest`` says whether its
document changed since the last look, so only those documents are read again.
"""

from __future__ import annotations

from typing import Any

from backend.catalogue.document import texts
from backend.catalogue.models import ProcedureVersion
from backend.core.text_store import STORE

KEPT_STATES = ("draft", "published")
_seen: dict[int, str] = {}  # version id -> the digest whose texts were added


def add_document_texts(document: dict[str, Any]) -> int:
    """Make the document's content texts translatable in this process; returns how many were new."""
    return STORE.add_content((vi, en, where) for vi, (en, where) in texts(document).items())


async def refresh_procedure_texts() -> int:
    """Add the texts of editor-made and imported versions changed since the last call; returns how many."""
    rows = ProcedureVersion.filter(state__in=KEPT_STATES).exclude(source="file")
    changed = [row_id for row_id, digest in await rows.values_list("id", "digest") if _seen.get(row_id) != digest]
    added = 0
    for start in range(0, len(changed), 100):
        for version in await ProcedureVersion.filter(id__in=changed[start:start + 100]):
            added += add_document_texts(version.document)
            _seen[version.id] = version.digest
    return added


def forget_procedure_texts() -> None:
    _seen.clear()
