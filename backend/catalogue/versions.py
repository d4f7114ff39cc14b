"""Versions of a procedure (issue 18, item 4): the editor and the import save drafts, publish one (it becomes the
live procedure through ``live.make_live``), restore an old one into a new draft; the loader records the files'.

A version's document never changes once published, so ``definition_for`` keeps the ones it read in memory."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from backend.catalogue import live
from backend.catalogue.diff import Change, diff
from backend.catalogue.document import document_problems
from backend.catalogue.models import Procedure, ProcedureVersion
from backend.core import clock

__all__ = ["Change", "DocumentRefused", "definition_for", "diff", "drafts_broken_by", "forget", "history",
           "latest_draft", "publish", "restore", "save_draft", "version"]

DRAFT, PUBLISHED, ARCHIVED = "draft", "published", "archived"
FILE = "file"


class DocumentRefused(Exception):
    """A document with problems (``document.document_problems``: pointer, message, line) is not saved."""

    def __init__(self, problems: list[Any]):
        super().__init__("; ".join(str(getattr(p, "message", p)) for p in problems))
        self.problems = problems


def digest(document: dict[str, Any]) -> str:
    """The document's fingerprint: the same JSON, whatever its keys' order or spacing, gives the same digest."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def save_draft(code: str, document: dict[str, Any], user: Any, source: str = "editor",
                     note: str = "") -> ProcedureVersion:
    """Keep ``document`` as the procedure's draft: the newest version when it is a draft the editor may go on with
    (the editor saving again, or editing a restored draft; an import never overwrites the editor's draft), else a
    new version. A new code creates its procedure, unpublished until its first publish. Raises ``DocumentRefused``
    when the document has problems; nothing is saved then."""
    document = {**document, "code": code}
    exists = await Procedure.filter(code=code).exists()
    if problems := document_problems(document, new=not exists):
        raise DocumentRefused(problems)
    async with in_transaction() as conn:
        await _lock(code, conn)
        newest = await _newest(code, conn)
        if newest is not None and newest.state == DRAFT and (newest.source == source or source == "editor"):
            newest.update_from_dict({"document": document, "digest": digest(document), "note": note,
                                     "created_by_id": getattr(user, "id", None)})
            await newest.save(using_db=conn)
            return newest
        if not exists:
            await live.make_live(document, conn, version=0, published=False)
        return await _create(code, (newest.number if newest else 0) + 1, document, conn, user=user, source=source,
                             note=note)


async def publish(code: str, number: int, user: Any) -> ProcedureVersion:
    """Make version ``number`` the live procedure (its row and its search entry); the one published before is
    archived. Publishing the live version again changes nothing."""
    async with in_transaction() as conn:
        await _lock(code, conn)
        chosen = await ProcedureVersion.filter(procedure_code=code, number=number).using_db(conn).get()
        if chosen.state != PUBLISHED:
            await _publish(chosen, conn)
    return chosen


async def restore(code: str, number: int, user: Any) -> ProcedureVersion:
    """Copy version ``number`` into a new draft (source ``restore``), to publish when the administrator wants."""
    async with in_transaction() as conn:
        await _lock(code, conn)
        old = await ProcedureVersion.filter(procedure_code=code, number=number).using_db(conn).get()
        newest = await _newest(code, conn)
        return await _create(code, (newest.number if newest else 0) + 1, old.document, conn, user=user,
                             source="restore", note=f"#{number}")


async def history(code: str) -> list[ProcedureVersion]:
    """Every version of the procedure, newest first."""
    return await ProcedureVersion.filter(procedure_code=code).order_by("-number")


async def version(code: str, number: int) -> ProcedureVersion | None:
    return await ProcedureVersion.get_or_none(procedure_code=code, number=number)


async def latest_draft(code: str) -> ProcedureVersion | None:
    """The newest draft, if any (the editor opens it rather than the live version)."""
    return await ProcedureVersion.filter(procedure_code=code, state=DRAFT).order_by("-number").first()


async def live_version(code: str) -> ProcedureVersion | None:
    return await ProcedureVersion.filter(procedure_code=code, state=PUBLISHED).order_by("-number").first()


# -- Open drafts: dossiers sit above the catalogue, so they hand in how a draft's answers are fitted to a form.

BrokenDrafts = Callable[[str, dict[str, Any]], Awaitable[int]]
_broken_drafts: list[BrokenDrafts] = []


def count_broken_drafts_with(counter: BrokenDrafts) -> None:
    """Called once at startup by the dossiers domain (``dossiers.redraft.register``)."""
    _broken_drafts[:] = [counter]


async def drafts_broken_by(code: str, document: dict[str, Any]) -> int:
    """How many citizens' open drafts would lose answers if ``document`` were published (the editor warns)."""
    return await _broken_drafts[0](code, document) if _broken_drafts else 0


# -- A dossier's procedure as it was when the dossier was started.

class _Started(Protocol):
    procedure: Procedure
    procedure_version: int | None


_documents: dict[tuple[str, int], dict[str, Any]] = {}  # published versions never change: kept for good


def forget() -> None:
    """Drop the documents kept in memory (tests that delete versions; nothing else ever changes one)."""
    _documents.clear()


async def document_at(code: str, number: int) -> dict[str, Any] | None:
    """The document of a published (or archived) version, read once per process."""
    key = (code, number)
    if key not in _documents:
        row = await ProcedureVersion.filter(procedure_code=code, number=number).exclude(state=DRAFT).first()
        if row is None:
            return None
        _documents[key] = row.document
    return _documents[key]


async def definition_for(dossier: _Started) -> Procedure:
    """The dossier's procedure as it was at the version the dossier was started on: the live procedure when that is
    the same version (or unknown), else a copy in memory (never saved) with that version's form, documents, fees
    and result template."""
    live_row = dossier.procedure
    number = dossier.procedure_version
    if number is None or number == live_row.version:
        return live_row
    document = await document_at(live_row.code, number)
    if document is None:
        return live_row
    then = copy.copy(live_row)
    then.__dict__.update(live.columns(document))
    then.version = number
    return then


# -- The loader: the files' documents as versions.

async def record_files(documents: list[dict[str, Any]], conn: BaseDBAsyncClient) -> list[tuple[dict[str, Any], int]]:
    """Record each file's document as a version when it is new or differs from the newest file version, and
    publish it (a deploy that changes a file publishes it); an administrator's later versions are left alone
    otherwise. Returns ``(document, number)`` for the procedures to make live (the others are as they were)."""
    codes = [d["code"] for d in documents]
    rows = await (ProcedureVersion.filter(procedure_code__in=codes).using_db(conn)
                  .values_list("procedure_code", "number", "source", "digest"))
    newest: dict[str, int] = {}
    newest_file: dict[str, tuple[int, str]] = {}
    for code, number, source, known in rows:
        newest[code] = max(newest.get(code, 0), number)
        if source == FILE and number > newest_file.get(code, (0, ""))[0]:
            newest_file[code] = (number, known)
    missing = set(codes) - set(await Procedure.filter(code__in=codes).using_db(conn).values_list("code", flat=True))
    now = clock.now()
    new, live_items, archive = [], [], []
    for document in documents:
        code, fingerprint = document["code"], digest(document)
        if newest_file.get(code, (0, ""))[1] == fingerprint:
            if code in missing:  # the row was deleted by hand: the live version again
                live_items.append((document, newest[code]))
            continue
        number = newest.get(code, 0) + 1
        new.append(ProcedureVersion(procedure_code=code, number=number, document=document, digest=fingerprint,
                                    state=PUBLISHED, source=FILE, published_at=now))
        archive.append(code)
        live_items.append((document, number))
    if archive:
        await ProcedureVersion.filter(procedure_code__in=archive, state=PUBLISHED).using_db(conn).update(
            state=ARCHIVED)
    if new:
        await ProcedureVersion.bulk_create(new, batch_size=200, using_db=conn)
    return live_items


# -- Helpers

async def _lock(code: str, conn: BaseDBAsyncClient) -> None:
    """One change to a procedure's versions at a time (two administrators saving or publishing at once): its row
    locked until the transaction ends (PostgreSQL; SQLite writes one transaction at a time anyway)."""
    await Procedure.filter(code=code).using_db(conn).select_for_update().values_list("id", flat=True)


async def _newest(code: str, conn: BaseDBAsyncClient) -> ProcedureVersion | None:
    return await ProcedureVersion.filter(procedure_code=code).using_db(conn).order_by("-number").first()


async def _create(code: str, number: int, document: dict[str, Any], conn: BaseDBAsyncClient, *, user: Any,
                  source: str, note: str) -> ProcedureVersion:
    return await ProcedureVersion.create(
        procedure_code=code, number=number, document=document, digest=digest(document), state=DRAFT, source=source,
        note=note, created_by_id=getattr(user, "id", None), using_db=conn,
    )


async def _publish(chosen: ProcedureVersion, conn: BaseDBAsyncClient) -> None:
    await ProcedureVersion.filter(procedure_code=chosen.procedure_code, state=PUBLISHED).using_db(conn).update(
        state=ARCHIVED)
    chosen.state, chosen.published_at = PUBLISHED, clock.now()
    await chosen.save(using_db=conn, update_fields=["state", "published_at"])
    await live.make_live(chosen.document, conn, version=chosen.number)
