"""Citizen pages after the form: documents (upload, download), check and send, receipt."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File, Redirect, Template

from backend.accounts.web import current_user, signed_in
from backend.assisted import declaration
from backend.assisted.filing import filling, helping
from backend.core.clock import Clock
from backend.core.i18n import gettext
from backend.core.web import form_dict, page
from backend.delivery import on_check
from backend.delivery import services as delivery_services
from backend.documents.checks import inspect_upload
from backend.documents.pool import CheckPool
from backend.dossiers import prefill, provenance, services
from backend.dossiers.access import ANYONE_CONCERNED, Standing
from backend.dossiers.constants import Status
from backend.dossiers.forms import visible_fields
from backend.dossiers.storage import Quota
from backend.dossiers.uploads import UploadRejected
from backend.dossiers.web import FORM_POST
from backend.journey.agency import filing_context
from backend.journey.common import citizen_of, documents_template, own_dossier, supplement_template
from backend.limits.web import client_host
from backend.payments import checkout
from backend.payments.fees import dossier_quote, fee_due
from backend.payments.gateway import PaymentGateway
from backend.pwa.idempotency import idempotent  # offline drafts (issue 6): a form sent twice counts once
from backend.settings import Settings
from backend.storage import Storage
from backend.storage.web import stored_file


@get("/dossiers/{code:str}/documents", guards=[signed_in])
async def documents_page(request: Request, code: FromPath[str]) -> Template:
    dossier = await own_dossier(request, code, draft=True, helper=True)
    return await documents_template(dossier, {}, "dossiers/documents.html")


@post("/dossiers/{code:str}/documents", guards=[signed_in])
async def upload_document(
    request: Request, settings: NamedDependency[Settings], storage: NamedDependency[Storage],
    file_checks: NamedDependency[CheckPool], trust_roots: NamedDependency[list], code: FromPath[str],
) -> Template | Redirect:
    dossier = await own_dossier(request, code, helper=True)
    form = await request.form()
    doc_key, upload = str(form.get("doc_key", "")), form.get("file")
    if not (isinstance(upload, UploadFile) and upload.filename):  # or a photo taken with the camera (issue 20)
        upload = form.get("photo") or upload
    supplement = dossier.status is Status.SUPPLEMENT_REQUESTED
    if dossier.status is not Status.DRAFT and not supplement:
        raise NotFoundException()
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise UploadRejected(gettext("Select a file to upload"))
        content = await upload.read()
        await services.store_document(
            dossier, doc_key, upload.filename, content, storage, settings.upload_max_bytes,
            quota=Quota.of(settings), inspect=partial(inspect_upload, file_checks, trust_roots=trust_roots),
        )
    except UploadRejected as exc:
        if supplement:
            return await supplement_template(dossier, {f"doc-{doc_key}": str(exc)}, 400)
        return await documents_template(dossier, {f"doc-{doc_key}": str(exc)}, "dossiers/documents.html", 400)
    target = "supplement" if supplement else "documents"
    return Redirect(f"/dossiers/{dossier.code}/{target}?uploaded={doc_key}#doc-{doc_key}")


@get("/dossiers/{code:str}/check", guards=[signed_in])
async def check_page(request: Request, code: FromPath[str]) -> Template:
    dossier = await own_dossier(request, code, draft=True, helper=True)
    return await documents_template(
        dossier,
        {},
        "dossiers/check.html",
        problems=[],
        fields=visible_fields(dossier.procedure.form, dossier.answers),
        prefill=await prefill.state(dossier),
        **filing_context(dossier),  # where it goes (issue 17)
        **await checkout.check_context(dossier),  # payments (issue 7): the fee shown before sending
        delivery=await delivery_services.view(dossier),  # delivery (issue 7)
        **await on_check.context(dossier, citizen_of(request, dossier)),  # how the result is received (issue 18)
    )


@post("/dossiers/{code:str}/submit", guards=[signed_in], **FORM_POST)
@idempotent
async def submit(
    request: Request, clock: NamedDependency[Clock], settings: NamedDependency[Settings],
    payment_gateway: NamedDependency[PaymentGateway], sms_gateway: NamedDependency[Any], code: FromPath[str],
) -> Template | Redirect:
    dossier = await own_dossier(request, code, draft=True, helper=True)
    form = await form_dict(request)
    # -- delivery (issue 18): by post, the delivery typed here is booked first; "Show communes and wards" only shows.
    showing_wards = form.get("action") == "wards"
    delivery_errors = {} if showing_wards else await on_check.book(dossier, form)
    if showing_wards or delivery_errors:
        problems = on_check.problems(delivery_errors, form.get("declaration") == "yes")
    # -- end delivery
    # -- assisted filing (issue 20): a helper never declares; they ask the citizen to, by a link or a code.
    elif helping(dossier, current_user(request)):
        problems, go_to = await declaration.ask_from_check(dossier, current_user(request), form, sms=sms_gateway,
                                                           settings=settings, clock=clock)
        if go_to is not None:
            return Redirect(go_to, status_code=303)
    # -- end assisted filing
    # -- payments (issue 7): a procedure with a fee is sent by paying it; the gateway's confirmation sends it.
    elif (await dossier_quote(dossier)).charged:
        outcome = await checkout.pay_to_submit(
            dossier, current_user(request), form, clock=clock, gateway=payment_gateway, base_url=settings.base_url,
            client_ip=client_host(request))
        if outcome.go_to is not None:
            return Redirect(outcome.go_to, status_code=303)
        problems = outcome.problems
    else:  # -- end payments
        problems = await services.submit(
            dossier, current_user(request), form.get("declaration") == "yes", form.get("result_form", ""),
            clock=clock, fee_due=fee_due,
        )
    if problems or showing_wards:
        return await documents_template(
            dossier,
            {},
            "dossiers/check.html",
            400 if problems else 200,
            problems=problems,
            fields=visible_fields(dossier.procedure.form, dossier.answers),
            prefill=await prefill.state(dossier),
            **filing_context(dossier),  # where it goes (issue 17)
            **await checkout.check_context(dossier, str(form.get("fee_option", ""))),  # payments (issue 7)
            delivery=await delivery_services.view(dossier),
            **await on_check.context(dossier, citizen_of(request, dossier), form, delivery_errors,
                                     focus_ward=showing_wards),
        )
    # -- delivery (issue 18): booked above; a fee to be paid online is paid now (the dossier's page offers it again).
    target = await on_check.pay_after_sending(dossier, current_user(request), payment_gateway, settings.base_url,
                                              client_host(request), clock)
    if target:
        return Redirect(target, status_code=303)
    # -- end delivery
    return Redirect(f"/dossiers/{dossier.code}/receipt")


@get("/dossiers/{code:str}/receipt", guards=[signed_in])
async def receipt(request: Request, code: FromPath[str]) -> Template:
    dossier = await own_dossier(request, code)
    if dossier.status is Status.DRAFT:
        raise NotFoundException()
    return page("dossiers/receipt.html", dossier=dossier, **filing_context(dossier),
                delivery=await delivery_services.view(dossier),  # the result form in words, and where (issue 18)
                provenance=await provenance.notes(dossier))  # filed with help (issue 20)


@get("/dossiers/{code:str}/files/{document_id:int}", guards=[signed_in])
async def download(
    request: Request, storage: NamedDependency[Storage], code: FromPath[str], document_id: FromPath[int]
) -> File:
    """The file, to its applicant, to an official of the settling agency, or to a helper filling it for the citizen
    (issue 20: what they photographed, while the draft is theirs to fill: not once the citizen has declared it)."""
    user = current_user(request)
    document = await services.readable_document(code, document_id, user, *ANYONE_CONCERNED)
    if document is None:
        document = await services.readable_document(code, document_id, user, Standing.HELPER)
        if document is not None and not await filling(await document.dossier):
            document = None
    if document is None:
        raise NotFoundException()
    return await stored_file(
        storage, services.document_key(document),
        filename=document.filename,
        media_type=document.content_type,
        # Whatever a citizen uploaded is saved, never shown inside the portal's origin, and never sniffed as HTML.
        disposition="attachment",
        sha256=document.sha256,
        headers={"x-content-type-options": "nosniff"},
    )
