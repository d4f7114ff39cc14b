"""Officer desk pages: the agency's queue, one dossier, and the decisions on it."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request, Router, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import File, Redirect, Template
from litestar.types import ControllerRouterHandler

from backend.accounts.web import current_user, officer_only
from backend.core.clock import Clock
from backend.core.i18n import gettext
from backend.core.paging import page_number
from backend.core.web import form_dict, page
from backend.delivery import services as delivery_services
from backend.desk import access_log, services
from backend.desk.transfer_form import posted, transfer_form
from backend.documents.pool import CheckPool
from backend.dossiers import access, prefill, provenance, transfers
from backend.dossiers import services as dossiers
from backend.dossiers.access import Standing
from backend.dossiers.forms import visible_fields
from backend.dossiers.models import Dossier
from backend.dossiers.web import FORM_POST
from backend.dossiers.workflow import WorkflowError, allowed_actions, conflict_of_interest, ensure_may_handle
from backend.payments import fees
from backend.payments import services as payments
from backend.results import services as results
from backend.results.template import check_official, official_fields
from backend.storage import Storage
from backend.storage.web import stored_file


async def _dossier(request: Request, code: str):
    dossier = await services.agency_dossier(code, current_user(request))
    if dossier is None:
        raise NotFoundException()
    return dossier


async def _handled(request: Request, code: str):
    """The dossier an official is about to act on: 403 when they have a stake in it (separation of duties)."""
    dossier = await _dossier(request, code)
    ensure_may_handle(dossier, current_user(request))
    return dossier


@dataclass(frozen=True)
class PageTools:
    """What a dossier's desk page needs besides the database: the result issuer and the document check workers."""

    issuer: results.ResultIssuer
    file_checks: CheckPool


def _page_tools(
    issuer: NamedDependency[results.ResultIssuer], file_checks: NamedDependency[CheckPool]
) -> PageTools:
    return PageTools(issuer, file_checks)


DeskPage = NamedDependency[PageTools]
"""``desk_page``, provided on ``desk_router``: the handlers that may render the dossier page name it."""


async def _dossier_page(
    request: Request, clock: Clock, tools: PageTools, dossier, errors=None, status_code: int = 200, form=None
) -> Template:
    uploaded = await dossiers.current_documents(dossier)
    paid = await payments.dossier_payments(dossier)
    actions = allowed_actions(dossier, current_user(request))
    return page(
        "desk/dossier.html",
        status_code,
        dossier=dossier,
        events=await dossiers.timeline(dossier),
        uploaded=uploaded,
        signatures=await results.document_signatures(
            uploaded, tools.issuer, tools.file_checks
        ),  # kept from the upload check: no signature is validated on a page view
        results=await results.dossier_results(dossier),
        result_failure=await results.open_failure(dossier),
        fields=visible_fields(dossier.procedure.form, dossier.answers),
        result_fields=official_fields(dossier.procedure.result_template),  # issue 18: asked at approval
        actions=actions,
        transfer=await transfer_form(dossier, form or {}) if "transfer" in actions else None,  # issue 17
        conflict=conflict_of_interest(dossier, current_user(request)),  # no action buttons then
        supplements=await services.supplement_history(dossier),
        errors=errors or {},
        form=form or {},
        today=clock.today(),
        prefill=await prefill.state(dossier),
        payments=paid,  # payments (issue 7): paid, not paid or free
        fee_proof=fees.paid_proof(dossier.procedure, paid),  # a reduced fee: the document that entitles to it
        delivery=await delivery_services.view(dossier),  # delivery (issue 7)
        assignment=await services.assignment(dossier, current_user(request)),  # staff (issue 17)
        provenance=await provenance.notes(dossier),  # filed with help (issue 20): who, where, when, what consent
        identity=await provenance.identity_check(dossier),  # no phone: the identity the helper checked in person
    )


@get("/", name="desk")
async def queue_page(
    request: Request, clock: NamedDependency[Clock], view: FromQuery[str] = "new", assigned: FromQuery[str] = "",
    order: FromQuery[str] = "",
) -> Template:
    queue = await services.queue(current_user(request), view, page_number(request.query_params.get("page")),
                                 today=clock.today(), assigned=assigned, order=order)
    if queue is None:
        raise NotFoundException()
    paid_fees = await payments.paid_state([d.id for d in queue.dossiers])  # payments (issue 7)
    return page("desk/queue.html", queue=queue, views=services.QUEUE_VIEWS, today=clock.today(), paid_fees=paid_fees,
                assigned_filters=services.ASSIGNED_FILTERS, orders=services.ORDER_LABELS)


@get("/search")
async def search_page(request: Request, clock: NamedDependency[Clock], q: FromQuery[str] = "") -> Template:
    """Find one of the agency's dossiers by its code, or the applicant's name or phone (issue 22: a dossier past
    the first pages of a queue was found only by typing its address)."""
    found = await services.search(current_user(request), q[:200], page_number(request.query_params.get("page")))
    paid_fees = await payments.paid_state([d.id for d in found.items]) if found else {}
    return page("desk/search.html", q=q[:200], found=found, today=clock.today(), paid_fees=paid_fees)


@get("/dossiers/{code:str}")
async def dossier_page(
    request: Request, clock: NamedDependency[Clock], desk_page: DeskPage, code: FromPath[str]
) -> Template:
    return await _dossier_page(request, clock, desk_page, await _dossier(request, code))


@post("/dossiers/{code:str}/assign")
async def assign(
    request: Request, clock: NamedDependency[Clock], desk_page: DeskPage, code: FromPath[str]
) -> Template | Redirect:
    """A lead gives the dossier to an official of the agency (or takes it back: no one chosen)."""
    dossier = await _dossier(request, code)
    form = await form_dict(request)
    errors = await services.assign(dossier, current_user(request), str(form.get("assignee", "")))
    if errors:
        return await _dossier_page(request, clock, desk_page, dossier, errors, 400, form)
    return Redirect(f"/desk/dossiers/{code}?assigned=done#assignment")


@post("/dossiers/{code:str}/supplement")
async def request_supplement(
    request: Request, clock: NamedDependency[Clock], desk_page: DeskPage, code: FromPath[str]
) -> Template | Redirect:
    dossier = await _handled(request, code)
    form = await form_dict(request)
    errors = await services.request_supplement(
        dossier, current_user(request), form.get("documents[]", []), form.get("fields[]", []), form.get("reason", ""),
        clock=clock,
    )
    if errors:
        return await _dossier_page(request, clock, desk_page, dossier, errors, 400, form)
    return Redirect(f"/desk/dossiers/{code}?done=request_supplement")


@post("/dossiers/{code:str}/transfer")
async def transfer(
    request: Request, clock: NamedDependency[Clock], desk_page: DeskPage, code: FromPath[str]
) -> Template | Redirect:
    """Send the dossier on to the agency found competent; "Search" (the form's other button) lists agencies."""
    dossier = await _handled(request, code)
    form = await form_dict(request)
    if form.get("step") != "transfer":
        return await _dossier_page(request, clock, desk_page, dossier, form=form)
    try:
        errors = await transfers.transfer(dossier, current_user(request), posted(form, "transfer_agency"),
                                          posted(form, "transfer_reason"), clock=clock)
    except WorkflowError as refused:  # moved or settled meanwhile: said, with the reason typed kept
        return await _dossier_page(request, clock, desk_page, dossier, {"transfer": str(refused)}, 409, form)
    if errors:
        errors = {f"transfer_{name}": message for name, message in errors.items()}
        return await _dossier_page(request, clock, desk_page, dossier, errors, 400, form)
    return Redirect(f"/desk/transferred?done={code}")


@get("/transferred")
async def transferred_out(request: Request, done: FromQuery[str] = "") -> Template:
    """What this agency transferred to others: code, date, agency and reason (the dossiers are theirs now)."""
    agency_id = current_user(request).agency_id
    if agency_id is None:
        raise NotFoundException()
    rows = await transfers.transferred_out(agency_id, page_number(request.query_params.get("page")))
    just_done = next((row for row in rows.items if row["dossier__code"] == done), None)  # only its own
    return page("desk/transferred.html", rows=rows, just_done=just_done)


@post("/dossiers/{code:str}/{action:str}")
async def decide(
    request: Request, clock: NamedDependency[Clock], desk_page: DeskPage, code: FromPath[str], action: FromPath[str],
) -> Template | Redirect:
    """Receive, approve or refuse (the workflow refuses anything else); an approval with the fields the result
    needs from the official (registration number...), the page again with what was typed when one is missing."""
    if action not in {"receive", "approve", "refuse"}:
        raise NotFoundException()
    dossier = await _handled(request, code)
    form = await form_dict(request)
    errors = await services.decide(dossier, action, current_user(request), form.get("note", ""), desk_page.issuer,
                                   clock=clock, result_fields=form)
    if errors:
        return await _dossier_page(request, clock, desk_page, dossier, errors, 400, form)
    return Redirect(f"/desk/dossiers/{code}?done={action}")


@post("/dossiers/{code:str}/results/{result_code:str}/revoke")
async def revoke_result(
    request: Request, clock: NamedDependency[Clock], desk_page: DeskPage, code: FromPath[str],
    result_code: FromPath[str],
) -> Template | Redirect:
    """Revoke one of the agency's results, with the reason the verification page will show."""
    dossier = await _handled(request, code)
    result = await results.agency_result(dossier, result_code)
    if result is None:
        raise NotFoundException()
    form = await form_dict(request)
    errors = await results.revoke(result, current_user(request), form.get("reason", ""))
    if errors:
        return await _dossier_page(request, clock, desk_page, dossier, errors, 400, form)
    return Redirect(f"/desk/dossiers/{code}?done=result_revoked#result")


@post("/dossiers/{code:str}/results/issue")
async def issue_result(
    request: Request, clock: NamedDependency[Clock], desk_page: DeskPage, code: FromPath[str]
) -> Template | Redirect:
    """Issue the result again: after a failure, or corrected (the new one replaces the newest)."""
    dossier = await _handled(request, code)
    form = await form_dict(request)
    official_values, errors = check_official(dossier.procedure.result_template, form)  # corrected, or as they were
    if errors:
        return await _dossier_page(request, clock, desk_page, dossier, errors, 400, form)
    try:
        await results.reissue(dossier, desk_page.issuer, current_user(request), form.get("decision", ""),
                              official_values)
    except results.IssueFailed:
        errors = {"reissue-decision": gettext("The result could not be signed. Try again, or tell the portal's team.")}
        return await _dossier_page(request, clock, desk_page, dossier, errors, 503, form)
    return Redirect(f"/desk/dossiers/{code}?done=result_issued#result")


SCAN_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


@get("/dossiers/{code:str}/identity-scan")
async def identity_scan(request: Request, storage: NamedDependency[Storage], code: FromPath[str]) -> File:
    """The photo or scan of the identity document a helper checked in person (issue 20): to the officials of the
    dossier's agency only (404 to anyone else, and where there is none), each opening in the access log."""
    user = current_user(request)
    dossier = await Dossier.get_or_none(code=code)
    if dossier is None or not await access.stands_as(dossier, user, Standing.OFFICIAL):
        raise NotFoundException()
    check = await provenance.identity_check(dossier)
    if check is None or not check.scan_key:
        raise NotFoundException()
    await access.opened(dossier, user, "document")  # only once there is a scan to show
    kind = check.scan_key.rsplit(".", 1)[-1]
    return await stored_file(storage, check.scan_key, filename=f"identity-{dossier.code}.{kind}",
                             media_type=SCAN_TYPES.get(kind, "application/octet-stream"), disposition="attachment",
                             headers={"x-content-type-options": "nosniff", "cache-control": "private, no-store"})


desk_router = Router(
    path="/desk",
    guards=[officer_only],
    **FORM_POST,  # notes and reasons only: no uploads on the desk
    dependencies={"desk_page": Provide(_page_tools, sync_to_thread=False)},
    route_handlers=[queue_page, search_page, dossier_page, request_supplement, decide, revoke_result, issue_result,
                    transfer, transferred_out, identity_scan],
)
desk_router.register(assign)  # staff (issue 17)
route_handlers: list[ControllerRouterHandler] = [desk_router, *access_log.route_handlers]  # the access log (issue 21)
