"""Citizen pages: my dossiers, one dossier, supplements, withdrawal; route_handlers lists every citizen page."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from backend.accounts.web import current_user, signed_in
from backend.assisted import filing as assisted_filing
from backend.core.clock import Clock
from backend.core.paging import page_number
from backend.core.web import form_dict, page
from backend.delivery import services as delivery_services
from backend.dossiers import listing, provenance, services, supplements
from backend.dossiers.web import FORM_POST
from backend.dossiers.workflow import allowed_actions, apply
from backend.feedback.services import rating_for
from backend.journey import declare
from backend.journey.agency import change_for_draft, choose_for_draft, choose_for_new
from backend.journey.common import own_dossier, supplement_template
from backend.journey.documents import check_page, documents_page, download, receipt, submit, upload_document
from backend.journey.form import (
    choose_prefill,
    form_page,
    save_form_page,
    save_form_page_with_files,
    start_application,
    start_page,
)
from backend.payments import services as payments
from backend.pwa.idempotency import idempotent  # offline drafts (issue 6): a form sent twice counts once
from backend.results import services as results
from backend.settings import Settings


@get("/my/dossiers", guards=[signed_in], name="my_dossiers")
async def my_dossiers(request: Request) -> Template:
    number = page_number(request.query_params.get("page"))
    return page("dossiers/my_dossiers.html", dossiers=await listing.citizen_page(current_user(request), number))


@get("/my/dossiers/{code:str}", guards=[signed_in])
async def my_dossier(request: Request, settings: NamedDependency[Settings], code: FromPath[str]) -> Template:
    dossier = await own_dossier(request, code)
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
        provenance=await provenance.notes(dossier),  # filed with help (issue 20): who, where, when, what consent
        helper_consent=await assisted_filing.live_consent(dossier),  # ...and the helper's access it can end
    )


@get("/dossiers/{code:str}/supplement", guards=[signed_in])
async def supplement_page(request: Request, code: FromPath[str]) -> Template:
    return await supplement_template(await own_dossier(request, code), {})


@post("/dossiers/{code:str}/supplement", guards=[signed_in], **FORM_POST)
@idempotent
async def resubmit(request: Request, clock: NamedDependency[Clock], code: FromPath[str]) -> Template | Redirect:
    """Save the corrected answers, then resubmit if everything asked for is fixed."""
    dossier = await own_dossier(request, code)
    request_ = await services.open_supplement(dossier)
    if request_ is None:
        raise NotFoundException()
    errors = await supplements.save_corrections(dossier, request_, await form_dict(request))
    if errors:
        return await supplement_template(dossier, errors, 400)
    problems = await supplements.resubmit(dossier, current_user(request), clock=clock)
    if problems:
        return await supplement_template(dossier, {}, 400, problems)
    return Redirect(f"/my/dossiers/{dossier.code}?resubmitted=1")


@post("/dossiers/{code:str}/withdraw", guards=[signed_in], **FORM_POST)
async def withdraw(request: Request, clock: NamedDependency[Clock], code: FromPath[str]) -> Redirect:
    dossier = await own_dossier(request, code)
    await apply(dossier, "withdraw", current_user(request), clock=clock)
    return Redirect(f"/my/dossiers/{dossier.code}")


route_handlers = [
    start_page,
    start_application,
    choose_for_new,
    choose_for_draft,
    change_for_draft,
    form_page,
    choose_prefill,
    save_form_page,
    save_form_page_with_files,
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
    *declare.route_handlers,  # a dossier filed with help (issue 20)
]
