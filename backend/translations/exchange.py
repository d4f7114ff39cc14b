"""Round trips through ``.po`` files, so Weblate or Pontoon can be used beside the portal.

Export: a language's catalogue as the portal shows it (approvals made in the portal included, without
``fuzzy`` and with who reviewed them). Import: every changed translation in an uploaded ``.po`` becomes
a proposal, checked like one typed in the portal; reviewers approve it in the portal.
"""

from __future__ import annotations

from io import BytesIO

from babel.messages.pofile import read_po, write_po

from backend.accounts.models import User
from backend.core.catalogs import first, po_path, read, set_language
from backend.core.text_store import STORE
from backend.translations.models import Proposal
from backend.translations.services import propose
from backend.translations.texts import text_key

MAX_IMPORT_BYTES = 2 * 1024 * 1024


async def export_po(lang: str, domain: str) -> bytes:
    catalog = read(po_path(lang, domain))
    approved = {p.msgid: p for p in await Proposal.filter(language=lang, domain=domain, state="approved")}
    for message in catalog:
        proposal = approved.get(first(message.id)) if message.id else None
        if proposal is None:
            continue
        message.string = (proposal.text,) if message.pluralizable else proposal.text
        message.flags.discard("fuzzy")
        names = ", ".join(a.get("name") or f"#{a['by']}" for a in proposal.approvals)
        message.user_comments = [c for c in message.user_comments if not c.startswith(("origin:", "reviewed:"))]
        message.user_comments.append(f"reviewed: {names}, {proposal.decided_at:%Y-%m-%d}")
    set_language(catalog, lang)
    buffer = BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True)
    return buffer.getvalue()


async def import_po(user: User, lang: str, data: bytes) -> tuple[int, list[tuple[str, str]]]:
    """Propose every changed translation of an uploaded ``.po``; returns (proposed, [(source, error)])."""
    try:
        catalog = read_po(BytesIO(data), locale=None, abort_invalid=True)
    except Exception:  # noqa: BLE001 - any parse failure is the same answer for the person uploading
        return 0, [("", "")]
    if not any(message.id for message in catalog):
        return 0, [("", "")]
    proposed, errors = 0, []
    for message in catalog:
        if not message.id or not first(message.string):
            continue
        msgid = first(message.id)
        domain = "messages" if msgid in STORE.sources["messages"] else "content"
        if msgid not in STORE.sources[domain]:
            continue
        entry = STORE.entry(lang, domain, msgid)
        if entry is not None and first(entry.text) == first(message.string):
            continue
        result = await propose(user, lang, text_key(domain, msgid), first(message.string), action="imported")
        if result.errors:
            errors.append((msgid, result.errors[0]))
        else:
            proposed += 1
    return proposed, errors
