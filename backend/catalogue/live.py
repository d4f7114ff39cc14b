"""The one way a procedure document becomes the live procedure: its ``procedure`` row and its search entry.

The catalogue loader (the files, at startup) and ``versions.publish`` (the editor, an import) both come here."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from backend.catalogue import search
from backend.catalogue.fees import from_schedule
from backend.catalogue.models import Agency, Procedure
from backend.catalogue.services import search_text, search_tokens

PROCEDURE_FIELDS = (
    "title",
    "summary",
    "applicants",
    "documents",
    "form",
    "fee_note",
    "processing_days",
    "result_forms",
    "full_online",
    "legal_basis",
    "faq",
    "life_events",
    "filing_level",
    "filing_kind",
    "offered_by",
    "province_terms",
)


_generation = 0


def generation() -> int:
    """How many times this process made procedures live: the public pages' cache drops copies made before."""
    return _generation


def pages_changed() -> None:
    """Something the public catalogue pages show changed outside the catalogue (a question published on a
    procedure's page, or hidden): this process's cache of those pages drops its copies, as after a publication."""
    global _generation
    _generation += 1


def columns(document: dict[str, Any]) -> dict[str, Any]:
    """The ``procedure`` row's columns a document gives (all but the agency, search words and flags)."""
    values = {key: document.get(key) for key in PROCEDURE_FIELDS} | from_schedule(document)
    values["result_template"] = document.get("result")
    return values


async def make_live(document: dict[str, Any], conn: BaseDBAsyncClient, *, version: int = 1,
                    published: bool = True) -> Procedure:
    """Write ``document`` as the live procedure (created if new) and (re)index it; see ``make_live_all``."""
    return (await make_live_all([(document, version)], conn, published=published))[0]


async def make_live_all(items: list[tuple[dict[str, Any], int]], conn: BaseDBAsyncClient, *,
                        published: bool = True) -> list[Procedure]:
    """Write each ``(document, version number)`` as its live procedure and index them in one go, in ``conn``'s
    transaction (the index never lags the catalogue), in a few bulk statements (a fresh database gets a hundred
    procedures at startup). ``published=False``: a procedure created in the editor and not yet published; it is
    written (so the editor lists it) but not public, and not indexed."""
    global _generation
    if not items:
        return []
    owners = Agency.filter(code__in=[document["agency"] for document, _ in items]).using_db(conn)
    by_code = {agency.code: agency for agency in await owners}
    codes = [document["code"] for document, _ in items]
    existing = {p.code: p for p in await Procedure.filter(code__in=codes).using_db(conn)}
    new, changed, tokens = [], [], {}
    for document, number in items:
        agency = by_code.get(document["agency"])
        if agency is None:
            raise ValueError(f"Procedure {document['code']}: no agency {document['agency']!r}")
        title, body = tokens[document["code"]] = search_tokens(document, agency.name)
        values = columns(document) | {"agency_id": agency.id, "search_text": search_text(body),
                                      "published": published, "version": number}
        row = existing.get(document["code"])
        if row is None:
            new.append(Procedure(code=document["code"], **values))
        else:
            row.update_from_dict(values)
            changed.append(row)
    if new:
        await Procedure.bulk_create(new, batch_size=200, using_db=conn)
    if changed:
        await Procedure.bulk_update(changed, fields=list(values), batch_size=200, using_db=conn)
    written = {p.code: p for p in await Procedure.filter(code__in=codes).using_db(conn)}
    _generation += 1
    indexed = [(written[code].id, *tokens[code]) for code in codes]
    if published:
        await search.index(indexed, conn)
    else:
        await search.unindex([pid for pid, *_ in indexed], conn)
    return [written[code] for code in codes]
