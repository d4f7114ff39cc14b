"""Citizen pages: apply (form pages, documents, check, submit, receipt), my dossiers, supplements."""

from __future__ import annotations

from functools import partial

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import File, Redirect, Template

from backend.accounts.web import current_user, signed_in
from backend.catalogue.fees import charged
from backend.catalogue.services import get_procedure
from backend.core.clock import Clock
from backend.core.i18n import gettext
from backend.core.paging import page_number
from backend.core.web import form_dict, page
from backend.delivery import services as delivery_services
from backend.documents.checks import inspect_upload
from backend.documents.pool import CheckPool
from backend.dossiers import access, listing, prefill, services
from backend.dossiers.access import Standing
from backend.dossiers.constants import Status
from backend.dossiers.forms import all_fields
from backend.dossiers.models import Dossier
from backend.dossiers.storage import Quota
from backend.dossiers.uploads import UploadRejected
from backend.dossiers.web import FORM_POST
from backend.dossiers.workflow import allowed_actions, apply
from backend.feedback.services import rating_for
from backend.identity.registry import Outcome, PopulationRegistry
from backend.limits.web import client_host
from backend.payments import checkout
from backend.payments import services as payments
from backend.payments.fees import fee_due
from backend.payments.gateway import PaymentGateway
from backend.pwa.idempotency import idempotent  # offline drafts (issue 6): a form sent twice counts once
from backend.results import services as results
from backend.settings import Settings
from backend.storage import Storage
from backend.storage.web import stored_file


async def _own(request: Request, code: str, *, draft: bool = False) -> Dossier:
    dossier = await access.visible_dossier(code, current_user(request), Standing.APPLICANT)
    if dossier is None or (draft and dossier.status is not Status.DRAFT):
        raise NotFoundException()
    return dossier


def _next_step(dossier: Dossier, page_key: str) -> str:
    keys = [p["key"] for p in dossier.procedure.form]
    index = keys.index(page_key)
    if index + 1 < len(keys):
        return f"/dossiers/{dossier.code}/form/{keys[index + 1]}"
    return f"/dossiers/{dossier.code}/documents" if dossier.procedure.documents else f"/dossiers/{dossier.code}/check"


async def _form_page(
    request: Request, dossier: Dossier, page_key: str, errors: dict, status_code: int = 200, **extra
) -> Template:
    form = dossier.procedure.form
    index = next(i for i, p in enumerate(form) if p["key"] == page_key)
    back = (
        f"/dossiers/{dossier.code}/form/{form[index - 1]['key']}" if index else f"/procedures/{dossier.procedure.code}"
    )
    return page(
        "dossiers/form_page.html",
        status_code,
        dossier=dossier,
        form_page=form[index],
        step=index + 1,
        steps=len(form),
        errors=errors,
        back=back,
        prefill=await prefill.state(dossier, current_user(request)),
        **extra,
    )


@get("/procedures/{code:str}/apply", guards=[signed_in])
async def start_page(code: FromPath[str]) -> Template:
    """Where signing in leads back to: one button starts (or resumes) the application."""
    procedure = await get_procedure(code)
    if procedure is None:
        raise NotFoundException()
    return page("dossiers/start.html", procedure=procedure)


@post("/procedures/{code:str}/apply", guards=[signed_in])
@idempotent
async def start_application(request: Request, code: FromPath[str]) -> Redirect:
    procedure = await get_procedure(code)
    if procedure is None:
        raise NotFoundException()
    dossier = await services.start_or_resume_draft(current_user(request), procedure)
    return Redirect(f"/dossiers/{dossier.code}/form/{procedure.form[0]['key']}")


@get("/dossiers/{code:str}/form/{page_key:str}", guards=[signed_in])
async def form_page(
    request: Request, code: FromPath[str], page_key: FromPath[str], prefilled: FromQuery[str | None] = None
) -> Template:
    dossier = await _own(request, code, draft=True)
    if not any(p["key"] == page_key for p in dossier.procedure.form):
        raise NotFoundException()
    return await _form_page(request, dossier, page_key, {}, just_prefilled=prefilled == "1")


@post("/dossiers/{code:str}/prefill", guards=[signed_in], **FORM_POST)
async def choose_prefill(
    request: Request, population_registry: NamedDependency[PopulationRegistry], code: FromPath[str]
) -> Template | Redirect:
    """The citizen's yes or no to filling the form from the national population database."""
    dossier = await _own(request, code, draft=True)
    choice = (await form_dict(request)).get("choice")
    first = dossier.procedure.form[0]["key"]
    if choice not in ("yes", "no"):
        return Redirect(f"/dossiers/{dossier.code}/form/{first}")
    try:
        await prefill.record_choice(dossier, current_user(request), choice == "yes", population_registry)
    except prefill.PrefillRefused as exc:
        raise PermissionDeniedException(
            gettext("Verify your identity first to fill in forms from the national population database.")
        ) from exc
    except prefill.RegistryFailed as exc:
        down = exc.outcome is Outcome.UNAVAILABLE
        if down:  # literal strings in each gettext call, so that Babel extracts them
            problem = gettext("The national population database cannot be reached now. Try again later, or type them.")
        else:
            problem = gettext("We could not get your details from the national population database. Type them in.")
        return await _form_page(request, dossier, first, {}, 503 if down else 409, prefill_problem=problem)
    suffix = "?prefilled=1" if choice == "yes" else ""
    return Redirect(f"/dossiers/{dossier.code}/form/{first}{suffix}")


@post("/dossiers/{code:str}/form/{page_key:str}", guards=[signed_in], **FORM_POST)
@idempotent
async def save_form_page(request: Request, code: FromPath[str], page_key: FromPath[str]) -> Template | Redirect:
    dossier = await _own(request, code, draft=True)
    errors = await services.save_page(dossier, page_key, await form_dict(request))
    if errors is None:
        raise NotFoundException()
    if errors:
        return await _form_page(request, dossier, page_key, errors, 400)
    return Redirect(_next_step(dossier, page_key))


async def _documents_page(dossier: Dossier, errors: dict, template: str, status_code: int = 200, **extra) -> Template:
    uploaded = await services.current_documents(dossier)
    return page(template, status_code, dossier=dossier, uploaded=uploaded, errors=errors, **extra)


@get("/dossiers/{code:str}/documents", guards=[signed_in])
async def documents_page(request: Request, code: FromPath[str]) -> Template:
    dossier = await _own(request, code, draft=True)
    return await _documents_page(dossier, {}, "dossiers/documents.html")


@post("/dossiers/{code:str}/documents", guards=[signed_in])
async def upload_document(
    request: Request, settings: NamedDependency[Settings], storage: NamedDependency[Storage],
    file_checks: NamedDependency[CheckPool], trust_roots: NamedDependency[list], code: FromPath[str],
) -> Template | Redirect:
    dossier = await _own(request, code)
    form = await request.form()
    doc_key, upload = str(form.get("doc_key", "")), form.get("file")
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
            return await _supplement_page(dossier, {f"doc-{doc_key}": str(exc)}, 400)
        return await _documents_page(dossier, {f"doc-{doc_key}": str(exc)}, "dossiers/documents.html", 400)
    target = "supplement" if supplement else "documents"
    return Redirect(f"/dossiers/{dossier.code}/{target}?uploaded={doc_key}#doc-{doc_key}")


@get("/dossiers/{code:str}/check", guards=[signed_in])
async def check_page(request: Request, code: FromPath[str]) -> Template:
    dossier = await _own(request, code, draft=True)
    return await _documents_page(
        dossier,
        {},
        "dossiers/check.html",
        problems=[],
        fields=all_fields(dossier.procedure.form),
        prefill=await prefill.state(dossier),
        **await checkout.check_context(dossier),  # payments (issue 7): the fee shown before sending
        delivery=await delivery_services.view(dossier),  # delivery (issue 7)
    )


@post("/dossiers/{code:str}/submit", guards=[signed_in], **FORM_POST)
@idempotent
async def submit(
    request: Request, clock: NamedDependency[Clock], settings: NamedDependency[Settings],
    payment_gateway: NamedDependency[PaymentGateway], code: FromPath[str],
) -> Template | Redirect:
    dossier = await _own(request, code, draft=True)
    form = await form_dict(request)
    # -- payments (issue 7): a procedure with a fee is sent by paying it; the gateway's confirmation sends it.
    if charged(dossier.procedure):
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
    if problems:
        return await _documents_page(
            dossier,
            {},
            "dossiers/check.html",
            400,
            problems=problems,
            fields=all_fields(dossier.procedure.form),
            prefill=await prefill.state(dossier),
            **await checkout.check_context(dossier, str(form.get("fee_option", ""))),  # payments (issue 7)
        )
    # -- delivery (issue 7): home delivery chosen and not booked yet: book it right away.
    if dossier.result_form == "post" and await delivery_services.booking_for(dossier) is None:
        return Redirect(f"/dossiers/{dossier.code}/delivery?after=submit")
    # -- end delivery
    return Redirect(f"/dossiers/{dossier.code}/receipt")


@get("/dossiers/{code:str}/receipt", guards=[signed_in])
async def receipt(request: Request, code: FromPath[str]) -> Template:
    dossier = await _own(request, code)
    if dossier.status is Status.DRAFT:
        raise NotFoundException()
    return page("dossiers/receipt.html", dossier=dossier)


@get("/my/dossiers", guards=[signed_in], name="my_dossiers")
async def my_dossiers(request: Request) -> Template:
    number = page_number(request.query_params.get("page"))
    return page("dossiers/my_dossiers.html", dossiers=await listing.citizen_page(current_user(request), number))


@get("/my/dossiers/{code:str}", guards=[signed_in])
async def my_dossier(request: Request, settings: NamedDependency[Settings], code: FromPath[str]) -> Template:
    dossier = await _own(request, code)
    return page(
        "dossiers/my_dossier.html",
        dossier=dossier,
        events=await services.timeline(dossier),
        supplement=await services.open_supplement(dossier),
        rating=await rating_for(dossier),
        actions=allowed_actions(dossier, current_user(request)),
        uploaded=await services.current_documents(dossier),
        results=await results.dossier_results(dossier),
        payments=await payments.dossier_payments(dossier),  # payments (issue 7): receipts
        delivery=await delivery_services.view(dossier, settings.secret_key),  # delivery (issue 7)
    )


async def _supplement_page(dossier: Dossier, errors: dict, status_code: int = 200, problems=()) -> Template:
    request_ = await services.open_supplement(dossier)
    if request_ is None:
        raise NotFoundException()
    fields = [f for f in all_fields(dossier.procedure.form) if f["name"] in request_.fields_to_fix]
    documents = [d for d in dossier.procedure.documents if d["key"] in request_.documents]
    return await _documents_page(
        dossier,
        errors,
        "dossiers/supplement.html",
        status_code,
        supplement=request_,
        fields=fields,
        documents=documents,
        problems=list(problems),
        prefill=await prefill.state(dossier),
    )


@get("/dossiers/{code:str}/supplement", guards=[signed_in])
async def supplement_page(request: Request, code: FromPath[str]) -> Template:
    return await _supplement_page(await _own(request, code), {})


@post("/dossiers/{code:str}/supplement", guards=[signed_in], **FORM_POST)
@idempotent
async def resubmit(request: Request, clock: NamedDependency[Clock], code: FromPath[str]) -> Template | Redirect:
    """Save the corrected answers, then resubmit if everything asked for is fixed."""
    dossier = await _own(request, code)
    request_ = await services.open_supplement(dossier)
    if request_ is None:
        raise NotFoundException()
    errors = await services.save_corrections(dossier, request_, await form_dict(request))
    if errors:
        return await _supplement_page(dossier, errors, 400)
    problems = await services.resubmit(dossier, current_user(request), clock=clock)
    if problems:
        return await _supplement_page(dossier, {}, 400, problems)
    return Redirect(f"/my/dossiers/{dossier.code}?resubmitted=1")


@post("/dossiers/{code:str}/withdraw", guards=[signed_in], **FORM_POST)
async def withdraw(request: Request, clock: NamedDependency[Clock], code: FromPath[str]) -> Redirect:
    dossier = await _own(request, code)
    await apply(dossier, "withdraw", current_user(request), clock=clock)
    return Redirect(f"/my/dossiers/{dossier.code}")


@get("/dossiers/{code:str}/files/{document_id:int}", guards=[signed_in])
async def download(
    request: Request, storage: NamedDependency[Storage], code: FromPath[str], document_id: FromPath[int]
) -> File:
    """The file, to its applicant or to an official of the settling agency."""
    document = await services.readable_document(code, document_id, current_user(request))
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


route_handlers = [
    start_page,
    start_application,
    form_page,
    choose_prefill,
    save_form_page,
    documents_page,
    upload_document,
    check_page,
    submit,
    receipt,
    my_dossiers,
    my_dossier,
    supplement_page,
    resubmit,
    withdraw,
    download,
]
