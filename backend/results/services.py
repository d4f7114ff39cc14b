"""Issuing, re-issuing, revoking and finding results; checking uploaded signed PDFs (in the check pool).

Issuing happens after the approval has committed: if rendering, signing or storing fails, the dossier stays
approved, the failure is recorded, and an official issues the result again from the desk.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper
from pyhanko.sign.timestamps.api import TimeStamper
from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.core import clock
from backend.core.events import publish
from backend.core.i18n import gettext
from backend.documents import checks
from backend.documents.findings import FileCheck, Verdict, looks_signed
from backend.documents.pool import CheckPool
from backend.dossiers import services as dossiers
from backend.dossiers.access import visible_dossier, with_procedure
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument
from backend.dossiers.uploads import write_file
from backend.results.constants import ResultStatus
from backend.results.events import ResultIssued, ResultReissued, ResultRevoked
from backend.results.models import Result, ResultFailure
from backend.results.pdf import Document, ResultContent, render
from backend.results.pdf import document as result_document
from backend.results.pki import Pki
from backend.results.signing import sign_pdf
from backend.results.template import lines
from backend.settings import Settings
from backend.storage import Missing, Storage, open_storage

log = logging.getLogger(__name__)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as dossier codes: read aloud and typed from paper


def new_code() -> str:
    return f"KQ-{clock.today():%y%m%d}-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def normalize_code(code: str) -> str:
    return code.strip().upper()


class IssueFailed(Exception):
    """The result could not be rendered, signed or stored; the failure is recorded on the dossier."""


@dataclass
class ResultIssuer:
    """Everything issuing needs: settings, the keys, and a time-stamping client when one is configured."""

    settings: Settings
    pki: Pki
    files: Storage
    """Where result PDFs are kept (the portal's one store: ``backend.storage``)."""
    timestamper: TimeStamper | None = None

    @classmethod
    def from_settings(cls, settings: Settings, files: Storage | None = None) -> ResultIssuer:
        timestamper = HTTPTimeStamper(settings.results_tsa_url, timeout=10) if settings.results_tsa_url else None
        return cls(settings, Pki(settings), files or open_storage(settings), timestamper)

    def verify_url(self, code: str) -> str:
        """Without a language: the portal sends whoever scans it to their own language."""
        return f"{self.settings.base_url.rstrip('/')}/results/verify/{code}"

    @staticmethod
    def key(result: Result) -> str:
        return f"results/{result.dossier_id}/{result.storage_name}"


# -- issuing --------------------------------------------------------------------------------------------------


async def issue(
    dossier: Dossier, issuer: ResultIssuer, official: User | None, *, decision: str | None = None,
    replaces: Result | None = None, official_values: dict[str, str] | None = None,
) -> Result:
    """Render, sign and store a result for an approved dossier. Raises IssueFailed, after recording it.

    ``official_values``: what the official filled at approval (the procedure's result template says which); a
    corrected result keeps those of the one it replaces."""
    await dossier.fetch_related("agency", "applicant")
    await with_procedure(dossier)  # the result template of the version the dossier was started on
    code, now = new_code(), clock.now()
    decision = dossier.decision_reason if decision is None else decision.strip()
    if official_values is None:
        official_values = (replaces.official_values if replaces is not None else None) or {}
    content = result_content(dossier, issuer, code=code, issued_at=now, decision=decision,
                             language=dossier.language, replaces=replaces.code if replaces else "",
                             official_values=official_values)
    folder = f"results/{dossier.id}"
    stored = None
    try:
        pdf = await asyncio.to_thread(render, content)
        agency_name = dossier.agency.name.get("vi") or dossier.agency.code
        signer = issuer.pki.signer(dossier.agency.code, agency_name)
        signed = await sign_pdf(pdf, signer, reason=f"Kết quả giải quyết hồ sơ {dossier.code}",
                                timestamper=issuer.timestamper)
        stored = await write_file(issuer.files, folder, signed, "pdf")
        async with in_transaction() as conn:
            if replaces is not None:
                await Result.filter(id=replaces.id, status=ResultStatus.VALID).using_db(conn).update(
                    status=ResultStatus.SUPERSEDED
                )
            result = await Result.create(
                code=code, dossier=dossier, agency_id=dossier.agency_id, issued_by=official, issued_at=now,
                language=dossier.language, decision=decision, official_values=official_values or None,
                storage_name=stored.storage_name, size=stored.size,
                sha256=stored.sha256, signer_fingerprint=signer.fingerprint, signer_subject=signer.subject[:300],
                timestamped=issuer.timestamper is not None, supersedes=replaces, using_db=conn,
            )
            await ResultFailure.filter(dossier_id=dossier.id, resolved_at__isnull=True).using_db(conn).update(
                resolved_at=now
            )
            news = ResultReissued if replaces is not None else ResultIssued
            await publish(news(dossier=dossier, actor=official, result_code=code), conn)
    except Exception as exc:
        if stored is not None:
            await issuer.files.delete(f"{folder}/{stored.storage_name}")
        log.exception("could not issue the result of dossier %s", dossier.code)
        await ResultFailure.create(dossier=dossier, error=f"{type(exc).__name__}: {exc}"[:2000])
        raise IssueFailed(str(exc)) from exc
    return result


def result_content(
    dossier: Dossier, issuer: ResultIssuer, *, code: str, issued_at: datetime, decision: str, language: str,
    replaces: str, official_values: dict[str, str],
) -> ResultContent:
    """What a result says; ``dossier`` with its agency, procedure and applicant fetched."""
    template = dossier.procedure.result_template
    return ResultContent(
        code=code,
        dossier_code=dossier.code,
        procedure=dossier.procedure.title,
        agency=dossier.agency.name,
        applicant=dossier.applicant.full_name or str(dossier.answers.get("full_name", "")),
        decision=decision,
        issued_at=issued_at,
        verify_url=issuer.verify_url(code),
        language=language,
        replaces=replaces,
        title=(template or {}).get("title"),
        lines=tuple(lines(template, dossier.procedure.form, dossier.answers, official_values, dossier.agency.name,
                          language)),
    )


async def twin(result: Result, issuer: ResultIssuer) -> Document:
    """The result's HTML twin: the document its PDF shows, rebuilt from the dossier (whose answers no longer change
    once approved) and what the result row kept (code, date, decision, language, the official's values)."""
    await result.fetch_related("dossier__agency", "dossier__applicant", "supersedes")
    await with_procedure(result.dossier)
    content = result_content(
        result.dossier, issuer, code=result.code, issued_at=result.issued_at, decision=result.decision,
        language=result.language, replaces=result.supersedes.code if result.supersedes else "",
        official_values=result.official_values or {},
    )
    return await asyncio.to_thread(result_document, content)  # the QR code's PNG: a few milliseconds


async def issue_after_approval(
    dossier: Dossier, issuer: ResultIssuer, official: User, official_values: dict[str, str] | None = None
) -> Result | None:
    """The result of a dossier just approved; None when it failed (recorded: the desk offers to issue it again)."""
    try:
        return await issue(dossier, issuer, official, official_values=official_values)
    except IssueFailed:
        return None


async def reissue(
    dossier: Dossier, issuer: ResultIssuer, official: User, decision: str,
    official_values: dict[str, str] | None = None,
) -> Result:
    """A corrected result (or the first, after a failure); it replaces the newest one. Raises IssueFailed.
    ``official_values``: as corrected on the desk (None: those of the result it replaces)."""
    if dossier.status is not Status.APPROVED:
        raise IssueFailed(gettext("Only an approved dossier has a result."))
    latest = await Result.filter(dossier=dossier).order_by("-issued_at", "-id").first()
    return await issue(dossier, issuer, official, decision=decision, replaces=latest, official_values=official_values)


async def revoke(result: Result, official: User, reason: str) -> dict[str, str]:
    """Revoke a result with a reason anyone who checks it will read; returns errors by field."""
    if not reason.strip():
        return {"revoke-reason": gettext("Give the reason for revoking: anyone who checks the result reads it")}
    async with in_transaction() as conn:  # the revocation and the citizen's news together
        updated = await Result.filter(id=result.id, status__not=ResultStatus.REVOKED).using_db(conn).update(
            status=ResultStatus.REVOKED, revoked_reason=reason.strip(), revoked_at=clock.now(), revoked_by=official
        )
        if updated:
            dossier = await Dossier.get(id=result.dossier_id, using_db=conn)
            await publish(ResultRevoked(dossier=dossier, actor=official, result_code=result.code), conn)
    return {}


# -- finding --------------------------------------------------------------------------------------------------


async def dossier_results(dossier: Dossier) -> list[Result]:
    """Every result of a dossier, newest first, with what each replaced."""
    return await Result.filter(dossier_id=dossier.id).select_related("supersedes").order_by("-issued_at", "-id")


async def open_failure(dossier: Dossier) -> ResultFailure | None:
    return await ResultFailure.filter(dossier_id=dossier.id, resolved_at__isnull=True).order_by("-id").first()


async def agency_result(dossier: Dossier, code: str) -> Result | None:
    return await Result.get_or_none(dossier_id=dossier.id, code=normalize_code(code))


@dataclass
class PublicResult:
    """What the verification page shows about a result (its HTML twin, the document itself, comes from ``twin``)."""

    result: Result
    replaced_by: Result | None


async def public_result(code: str) -> PublicResult | None:
    result = await Result.get_or_none(code=normalize_code(code)).select_related(
        "agency", "dossier__procedure", "supersedes"
    )
    if result is None:
        return None
    return PublicResult(result, await Result.get_or_none(supersedes_id=result.id))


async def readable_result(dossier_code: str, user: User, result_code: str | None = None) -> Result | None:
    """A result its applicant, or an official of the issuing agency, may download (the current one by default)."""
    dossier = await visible_dossier(dossier_code, user, related=(), what="result")
    if dossier is None:
        return None
    query = Result.filter(dossier_id=dossier.id)
    if result_code is None:
        query = query.filter(status=ResultStatus.VALID)
    else:
        query = query.filter(code=normalize_code(result_code))
    return await query.order_by("-issued_at", "-id").first()


# -- checking signed PDFs -------------------------------------------------------------------------------------


@dataclass
class UploadCheck:
    check: FileCheck
    result: Result | None
    """The portal's own result with exactly these bytes, if any (then its status matters too)."""


async def check_upload(content: bytes, issuer: ResultIssuer, pool: CheckPool) -> UploadCheck:
    """Raises ``checks.CheckPoolBusy`` when no worker came free in time."""
    check = await checks.check_pdf(pool, content, issuer.pki.trust_roots)
    result = await Result.get_or_none(sha256=hashlib.sha256(content).hexdigest()).select_related("agency")
    return UploadCheck(check, result)


async def document_signatures(
    documents: dict[str, DossierDocument], issuer: ResultIssuer, pool: CheckPool
) -> dict[int, FileCheck | None]:
    """The signatures of a dossier's signed PDF documents, by document id (unsigned files are left out; None:
    not checked yet). Read from what the upload check kept; a file uploaded before that is checked once, here."""
    found: dict[int, FileCheck | None] = {}
    for document in documents.values():
        if document.content_type != "application/pdf":
            continue
        if document.signature_verdict is None:
            try:
                await _check_stored_document(document, issuer, pool)
            except checks.CheckPoolBusy:
                found[document.id] = None
                continue
        verdict = document.signature_verdict
        assert verdict is not None  # kept by the upload check, or by _check_stored_document just now
        if verdict != Verdict.UNSIGNED:
            found[document.id] = FileCheck.from_stored(verdict, document.signatures)
    return found


async def _check_stored_document(document: DossierDocument, issuer: ResultIssuer, pool: CheckPool) -> None:
    try:
        content = await issuer.files.get(dossiers.document_key(document))
    except Missing:
        content = b""
    check = await checks.check_pdf(pool, content, issuer.pki.trust_roots) if looks_signed(content) else None
    document.signature_verdict = check.verdict.value if check else Verdict.UNSIGNED.value
    document.signatures = check.summary() if check else []
    await DossierDocument.filter(id=document.id).update(
        signature_verdict=document.signature_verdict, signatures=document.signatures
    )
