"""Dossier queries and changes for citizens: drafts, answers, documents, submission, the open supplement request."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.catalogue.fees import proof_for
from backend.catalogue.models import Agency, Procedure
from backend.core import clock
from backend.core.clock import Clock
from backend.core.i18n import current_locale, gettext, localized
from backend.dossiers import access, filing, listing, prefill, storage, uploads, workflow
from backend.dossiers.constants import SETTLED, Status
from backend.dossiers.forms import (
    all_fields,
    applicable,
    check_answers,
    page_fields,
    storable,
    submitted_value,
    visible,
    visible_fields,
)
from backend.dossiers.models import Dossier, DossierDocument, SupplementRequest, TimelineEvent
from backend.dossiers.transfers import annotate
from backend.dossiers.uploads import CONTENT_TYPES, UploadRejected, check_content, write_file
from backend.storage import Storage

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and typed


def new_code() -> str:
    return f"HS-{clock.today():%y%m%d}-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))


async def open_draft(user: User, procedure: Procedure) -> Dossier | None:
    """The citizen's open draft for this procedure, if any."""
    return await Dossier.filter(applicant=user, procedure=procedure, status=Status.DRAFT).select_related(
        "agency").first()


async def start_or_resume_draft(user: User, procedure: Procedure, agency: Agency) -> Dossier:
    """A citizen's open draft for this procedure, or a new one, filed at ``agency`` (the receiving agency the
    citizen chose, checked by ``filing.filing_agency``: an open draft moves there too)."""
    existing = await open_draft(user, procedure)
    if existing:
        if existing.agency_id != agency.id:
            await filing.change_agency(existing, agency)
        return existing
    return await new_draft(user, procedure, agency)


async def new_draft(user: User, procedure: Procedure, agency: Agency) -> Dossier:
    """A new draft for this procedure, whatever drafts the citizen has open (a helper's in-person consent)."""
    # No result form until the citizen picks one on the check page (issue 18): none is picked for them.
    return await Dossier.create(
        code=new_code(), procedure=procedure, agency=agency, applicant=user, result_form="",
        procedure_version=procedure.version,  # it keeps this version once sent (issue 18)
        answers=prefill.from_account(procedure.form, user),
    )


def _changed_meanwhile() -> str:
    """Why an edit was refused: the dossier is no longer as the page found it (its payment sent it meanwhile)."""
    return gettext("Your dossier was sent or changed meanwhile: this change was not saved. Open it from “My dossiers”.")


async def save_page(dossier: Dossier, page_key: str, submitted: dict[str, str]) -> dict[str, str] | None:
    """Keep what was typed even when it has errors; returns errors, or None for an unknown page."""
    form = dossier.procedure.form
    fields = page_fields(form, page_key)
    if fields is None:
        return None
    # The questions that apply are decided with what this post answers: a page's own question may lead to another.
    posted = {f["name"]: value for f in fields if (value := submitted_value(f, submitted)) is not None}
    shown = next((p for p in visible(form, {**dossier.answers, **posted}) if p["key"] == page_key), None)
    if shown is None:  # a page skipped by an earlier answer: nothing on it is kept
        return {}
    return await save_answers(dossier, shown["fields"], submitted)


async def save_answers(dossier: Dossier, fields: list[dict], submitted: dict[str, str]) -> dict[str, str]:
    """Check and keep the answers to ``fields``; those taken from the registry as they are stay unchanged."""
    consent = await prefill.consent_for(dossier)
    posted = prefill.keep_locked(dossier, consent, fields, submitted)
    values, errors = check_answers(fields, posted, dossier.answers, all_fields(dossier.procedure.form))
    before = dossier.answers
    # An answer over the size limit is never stored (the page shows it back, with its error); the others are,
    # even with errors, so that nothing typed is lost.
    kept = {name: value for name, value in values.items() if storable(value)}
    answers = {**before, **kept}
    # Only while it is as the page found it (a draft, or open for a supplement): its payment can send it meanwhile.
    if not await Dossier.filter(id=dossier.id, status=dossier.status).update(answers=answers, updated_at=clock.now()):
        raise workflow.TransitionRefused(_changed_meanwhile())
    dossier.answers = {**answers, **values}
    await prefill.forget_changed(consent, before, kept)
    return errors


async def current_documents(dossier: Dossier) -> dict[str, DossierDocument]:
    docs = await DossierDocument.filter(dossier=dossier, superseded=False)
    return {d.doc_key: d for d in docs}


async def store_document(
    dossier: Dossier,
    doc_key: str,
    filename: str,
    content: bytes,
    files: Storage,
    max_bytes: int,
    *,
    quota: storage.Quota | None = None,
    inspect: uploads.Inspect | None = None,
) -> DossierDocument:
    """Check and store one upload in ``files``, replacing the earlier file for the same document (see ``storage``).
    ``inspect`` opens the file in a check worker; its verdict on the signatures is kept with the document."""
    spec = document_spec(dossier, doc_key)
    if spec is None:
        raise UploadRejected(gettext("This procedure does not ask for that document"))
    if spec.get("max_mb"):  # the procedure's own limit, within the portal's
        max_bytes = min(max_bytes, int(spec["max_mb"]) * 1024 * 1024)
    asked_at = await _upload_scope(dossier, doc_key)
    if quota is not None:  # a first look before any work; the count that decides is made under the locks below
        previous = await storage.current_versions(dossier.id, doc_key)
        freed = [d for d in previous if storage.droppable(d, asked_at)]
        await storage.check_room(dossier, len(content), quota, freed=freed)
    kind = check_content(content, spec["types"], max_bytes)
    check = await uploads.parse_claimed(content, kind, inspect) if inspect else None
    stored = await write_file(files, f"uploads/{dossier.id}", content, kind)
    try:
        async with in_transaction() as conn:
            # Only while it is as the page found it: its payment can send it meanwhile (the lock waits for that).
            current = await Dossier.filter(id=dossier.id).using_db(conn).select_for_update().get()
            if current.status is not dossier.status:
                raise workflow.TransitionRefused(_changed_meanwhile())
            previous = await storage.current_versions(dossier.id, doc_key, conn)
            if quota is not None:
                freed = [d for d in previous if storage.droppable(d, asked_at)]
                await storage.check_room(dossier, stored.size, quota, freed=freed, conn=conn, lock=True)
            dropped = await storage.replace(previous, asked_at, conn)
            document = await DossierDocument.create(
                dossier=dossier,
                doc_key=doc_key,
                filename=Path(filename or f"{doc_key}.{kind}").name[:255],
                content_type=CONTENT_TYPES[kind],
                size=stored.size,
                sha256=stored.sha256,
                storage_name=stored.storage_name,
                signature_verdict=check.verdict.value if check else None,
                signatures=check.summary() if check else None,
                using_db=conn,
            )
            if spec.get("field"):  # a file field of the form: its answer names the file kept
                answers = {**current.answers, doc_key: file_answer(document)}
                await Dossier.filter(id=dossier.id).using_db(conn).update(answers=answers, updated_at=clock.now())
                dossier.answers = {**dossier.answers, doc_key: answers[doc_key]}
    except Exception:
        await files.delete(f"uploads/{dossier.id}/{stored.storage_name}")
        raise
    await storage.remove_files(dropped, files)  # committed: the replaced files nobody received can go
    return document


def document_spec(dossier: Dossier, doc_key: str) -> dict | None:
    """What an upload under ``doc_key`` must be: one of the procedure's documents, or a file field of its form
    that applies to the answers (``{"key", "types", "max_mb", "field": True}``)."""
    spec = next((d for d in dossier.procedure.documents if d["key"] == doc_key), None)
    if spec is not None:
        return spec
    field = next((f for f in visible_fields(dossier.procedure.form, dossier.answers)
                  if f["name"] == doc_key and f.get("type") == "file"), None)
    if field is None:
        return None
    return {"key": doc_key, "types": field.get("types") or list(CONTENT_TYPES), "max_mb": field.get("max_mb"),
            "field": True}


def file_documents(dossier: Dossier) -> list[dict]:
    """The form's file fields that apply, written as the procedure's ``documents`` are (for the pages that list
    uploads: the supplement)."""
    return [{"key": f["name"], "name": f["label"], "mandatory": bool(f.get("required")),
             "types": f.get("types") or list(CONTENT_TYPES), "max_mb": f.get("max_mb")}
            for f in visible_fields(dossier.procedure.form, dossier.answers) if f.get("type") == "file"]


def file_answer(document: DossierDocument) -> dict[str, Any]:
    """A file field's answer: the document kept, by id (for its link), with what the pages show of it."""
    return {"id": document.id, "filename": document.filename, "size": document.size}


async def _upload_scope(dossier: Dossier, doc_key: str) -> Any:
    """When the open supplement was asked for (None for a draft); during a supplement only the documents the
    official listed may be uploaded again."""
    if dossier.status is not Status.SUPPLEMENT_REQUESTED:
        return None
    request = await open_supplement(dossier)
    if request is None or doc_key not in (*request.documents, *request.fields_to_fix):
        raise UploadRejected(gettext("The agency did not ask for this document again: upload only what it lists."))
    return request.created_at


document_key = storage.document_key


@dataclass
class Problem:
    """Something missing before submission, with where to fix it."""

    message: str
    href: str


async def problems_before_submit(dossier: Dossier) -> list[Problem]:
    procedure = dossier.procedure
    problems: list[Problem] = []
    every = all_fields(procedure.form)
    for page in visible(procedure.form, dossier.answers):  # a page or question skipped is not checked
        _, errors = check_answers(page["fields"], dossier.answers, dossier.answers, every)
        problems += [
            Problem(msg, f"/dossiers/{dossier.code}/form/{page['key']}#{name}") for name, msg in errors.items()
        ]
    uploaded = await current_documents(dossier)
    for spec in procedure.documents:
        if spec["mandatory"] and spec["key"] not in uploaded:
            problems.append(
                Problem(
                    gettext("Upload %(name)s", name=localized(spec["name"])),
                    f"/dossiers/{dossier.code}/documents#doc-{spec['key']}",
                )
            )
    if (closed := await filing.no_longer_offered(dossier)) is not None:  # the agency chosen (issue 17)
        problems.append(Problem(closed, f"/dossiers/{dossier.code}/agency"))
    return problems


FeeDue = Callable[[Dossier, str], Awaitable[bool]]
"""``fee_due(dossier, fee_option)``: whether sending the dossier needs a payment first."""


async def submit(dossier: Dossier, user: User, declared: bool, result_form: str, fee_option: str = "", *,
                 clock: Clock, fee_due: FeeDue) -> list[Problem]:
    """Submit a complete draft; returns problems instead when it is not ready.

    ``fee_due`` (``payments.fees.fee_due``) says whether sending it needs a payment first: payments sits above
    dossiers, so the caller, which knows both, hands the question in."""
    # Payments (issue 7): a dossier with a fee is sent by paying it (backend/payments/checkout.py), not here,
    # unless its fee is already paid or the fee option chosen costs nothing.
    workflow.check(dossier, "submit", user)
    if await fee_due(dossier, fee_option):
        return [Problem(gettext("Pay the fee to send this dossier: the check page shows the amount."),
                        f"/dossiers/{dossier.code}/check")]
    problems = await prepare_submission(dossier, user, declared, result_form, fee_option)
    if not problems:
        await workflow.apply(dossier, "submit", user, clock=clock)
    return problems


async def prepare_submission(
    dossier: Dossier, user: User, declared: bool, result_form: str, fee_option: str = ""
) -> list[Problem]:
    """Check a draft and keep the declaration; it stays a draft (``submit`` or its payment sends it)."""
    workflow.check(dossier, "submit", user)
    problems = await problems_before_submit(dossier)
    proof = proof_for(dossier.procedure, fee_option)
    if proof is not None and proof["key"] not in await current_documents(dossier):
        problems.append(Problem(gettext("To pay the reduced fee, upload %(name)s, or choose another fee",
                                        name=localized(proof["name"])), "#fee_option"))
    if result_form not in dossier.procedure.result_forms:
        problems.append(Problem(gettext("Choose how you want to receive the result"), "#result_form"))
    elif problems or not declared:  # kept for the next visit, whatever else is missing
        dossier.result_form = result_form
        await dossier.save(update_fields=["result_form", "updated_at"])
    if not declared:
        problems.append(Problem(gettext("Confirm that the information you gave is true"), "#declaration"))
    if problems:
        return problems
    dossier.result_form = result_form
    dossier.declaration_at = clock.now()
    dossier.language = current_locale.get()  # the result is written in it, beside Vietnamese
    dossier.answers = applicable(dossier.procedure.form, dossier.answers)  # skipped questions' answers are dropped
    dossier.search_key = listing.search_key(dossier.code, user, dossier.answers)
    await dossier.save(update_fields=["result_form", "declaration_at", "language", "answers", "search_key",
                                      "updated_at"])
    skipped_files = {f["name"] for f in all_fields(dossier.procedure.form) if f.get("type") == "file"} - set(
        dossier.answers)  # and a file uploaded for a question skipped since is not sent with it
    if skipped_files:
        await DossierDocument.filter(dossier=dossier, doc_key__in=skipped_files, superseded=False).update(
            superseded=True)
    return []


async def open_supplement(dossier: Dossier) -> SupplementRequest | None:
    if dossier.status is not Status.SUPPLEMENT_REQUESTED:
        return None
    return await SupplementRequest.filter(dossier=dossier, resolved_at__isnull=True).order_by("-id").first()


async def timeline(dossier: Dossier) -> list[TimelineEvent]:
    """Its history, oldest first; each transfer with its two agencies (``transfers.annotate``)."""
    return await annotate(
        await TimelineEvent.filter(dossier=dossier).select_related("actor").order_by("created_at", "id"))


def is_settled(dossier: Dossier) -> bool:
    return dossier.status in SETTLED


async def readable_document(code: str, document_id: int, user: User, *as_: access.Standing) -> DossierDocument | None:
    """A document of a dossier ``user`` may see (``access``: its applicant, or an official once it is sent; ``as_``
    names others, such as a helper filling it for the citizen)."""
    dossier = await access.visible_dossier(code, user, *as_, related=(), what="document")
    if dossier is None:
        return None
    return await DossierDocument.get_or_none(id=document_id, dossier_id=dossier.id)
