"""Room for uploads: quotas per dossier and per account, and what a replacement removes (only after its commit).

A replaced file the agency never received goes (its row and its file): in a draft every earlier version, in a
supplement the re-uploads made since the official asked. The version the agency received stays, superseded, as the
record. Files are removed only once the transaction that dropped their rows has committed; a failed transaction
removes nothing but the file it wrote itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.functions import Count, Sum

from backend.accounts.models import User
from backend.core.i18n import gettext
from backend.dossiers.models import DossierDocument
from backend.dossiers.uploads import UploadRejected
from backend.storage import Storage

_MB = 1024 * 1024


@dataclass(frozen=True)
class Quota:
    """How much one dossier and one account may store (replaced versions kept as the record included)."""

    dossier_bytes: int
    account_bytes: int
    dossier_files: int

    @classmethod
    def of(cls, settings: Any) -> Quota:
        return cls(settings.upload_dossier_quota_bytes, settings.upload_account_quota_bytes,
                   settings.upload_dossier_max_files)


class QuotaExceeded(UploadRejected):
    """No room left: the sentence says which limit and what to do."""


async def _usage(query: Any, conn: Any) -> tuple[int, int]:
    """(files, bytes) of the documents ``query`` selects."""
    row = await query.using_db(conn).annotate(files=Count("id"), total=Sum("size")).first().values("files", "total")
    return (row or {}).get("files") or 0, (row or {}).get("total") or 0


async def check_room(dossier: Any, size: int, quota: Quota, *, freed: Sequence[DossierDocument] = (),
                     conn: Any = None, lock: bool = False) -> None:
    """Raise ``QuotaExceeded`` unless a file of ``size`` bytes fits once ``freed`` (rows about to go) are gone.

    With ``lock`` (inside the upload's transaction, the dossier row already locked): the account row is locked too,
    so parallel uploads of one account are counted one after the other (on SQLite, transactions are serial anyway).
    """
    if lock:
        await User.filter(id=dossier.applicant_id).using_db(conn).select_for_update().first()
    freed_bytes = sum(d.size for d in freed)
    files, used = await _usage(DossierDocument.filter(dossier_id=dossier.id), conn)
    if files - len(freed) + 1 > quota.dossier_files:
        raise QuotaExceeded(gettext("This dossier holds as many files as it can (%(count)s). Ask the agency for "
                                    "help if you need to send more.", count=quota.dossier_files))
    if used - freed_bytes + size > quota.dossier_bytes:
        raise QuotaExceeded(gettext("There is no room left for this file in this dossier (%(mb)s MB in all). "
                                    "Upload a smaller scan.", mb=quota.dossier_bytes // _MB))
    _, account = await _usage(DossierDocument.filter(dossier__applicant_id=dossier.applicant_id), conn)
    if account - freed_bytes + size > quota.account_bytes:
        raise QuotaExceeded(gettext("Your account has no room left for this file (%(mb)s MB in all). Upload a "
                                    "smaller scan.", mb=quota.account_bytes // _MB))


async def current_versions(dossier_id: int, doc_key: str, conn: Any = None) -> list[DossierDocument]:
    """The versions of ``doc_key`` a new upload replaces (one, unless an old race left two)."""
    return await DossierDocument.filter(dossier_id=dossier_id, doc_key=doc_key, superseded=False).using_db(conn)


def droppable(document: DossierDocument, asked_at: datetime | None) -> bool:
    """The agency never received this version: in a draft (``asked_at`` None), or uploaded during the supplement."""
    return asked_at is None or document.uploaded_at >= asked_at


async def replace(previous: list[DossierDocument], asked_at: datetime | None, conn: Any) -> list[DossierDocument]:
    """Drop the versions the agency never received, keep the others as superseded; returns the dropped rows."""
    dropped = [d for d in previous if droppable(d, asked_at)]
    kept = [d.id for d in previous if not droppable(d, asked_at)]
    if dropped:
        await DossierDocument.filter(id__in=[d.id for d in dropped]).using_db(conn).delete()
    if kept:
        await DossierDocument.filter(id__in=kept).using_db(conn).update(superseded=True)
    return dropped


def document_key(document: DossierDocument) -> str:
    """Where a document's file is kept in the portal's store (``backend.storage``)."""
    return f"uploads/{document.dossier_id}/{document.storage_name}"


async def remove_files(documents: list[DossierDocument], files: Storage) -> None:
    """Delete the files of rows already gone (after the commit): a file missing already is not an error."""
    for document in documents:
        await files.delete(document_key(document))
