"""The counter and the helper's desk: cash for the fee and its printable receipt, the filing receipt PDF (helper and
citizen), collecting the result, the desk and the end-of-day hand-over. Thin: the rules are in ``counter``,
``helper_desk``, ``collection`` and ``receipt_pdf``. Every helper page is 404 to someone who holds no post."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from backend.accounts.models import User
from backend.accounts.web import current_user, signed_in
from backend.assisted import collection, counter, helper_desk, points, receipt_pdf
from backend.assisted.models import HelperPost
from backend.core.clock import Clock
from backend.core.i18n import gettext, ngettext
from backend.core.paging import page_number
from backend.core.templating import format_vnd
from backend.core.web import form_dict, page
from backend.dossiers.access import Standing, visible_dossier
from backend.dossiers.constants import Status
from backend.settings import Settings


async def _post(request: Request) -> tuple[User, HelperPost]:
    helper = current_user(request)
    post_ = await points.post_of(helper)  # the same rule as the helper pages' guard, answered with 404 here
    if post_ is None:
        raise NotFoundException()
    return helper, post_


async def _counter(request: Request, code: str, clock: Clock) -> tuple[User, counter.Counter]:
    helper, _ = await _post(request)
    found = await counter.at_counter(code, helper, clock)
    if found is None:
        raise NotFoundException()
    return helper, found


def _cash_page(found: counter.Counter, errors: dict[str, str], option: str, status_code: int = 200) -> Template:
    return page("assisted/cash.html", status_code, counter=found, dossier=found.dossier, errors=errors,
                option=option)


@get("/helper/dossiers/{code:str}/cash", guards=[signed_in])
async def cash_page(request: Request, clock: NamedDependency[Clock], code: FromPath[str]) -> Template:
    _, found = await _counter(request, code, clock)
    return _cash_page(found, {}, found.quote.options[0].key if found.quote.options else "")


@post("/helper/dossiers/{code:str}/cash", guards=[signed_in])
async def take_cash(request: Request, clock: NamedDependency[Clock], code: FromPath[str]) -> Template | Redirect:
    helper, found = await _counter(request, code, clock)
    form = await form_dict(request)
    option = str(form.get("fee_option", ""))[:32]
    if form.get("taken") != "yes":
        return _cash_page(found, {"taken": gettext("Confirm that you took the cash from the citizen")}, option, 400)
    try:
        receipt = await counter.record_cash(found, helper, option, clock)
    except counter.AlreadyPaid as refused:
        _, now_paid = await _counter(request, code, clock)  # the page as it is now: the payment that was accepted
        return _cash_page(now_paid, {"paid": str(refused)}, option, 409)
    except counter.CashRefused as refused:
        return _cash_page(found, {refused.field: str(refused)}, option, 400)
    return Redirect(f"/helper/receipts/{receipt.number}", status_code=303)


@get("/helper/receipts/{number:str}", guards=[signed_in])
async def cash_receipt(request: Request, clock: NamedDependency[Clock], number: FromPath[str]) -> Template:
    helper, _ = await _post(request)
    receipt = await counter.cash_receipt(number, helper, clock)
    if receipt is None:
        raise NotFoundException()
    return page("assisted/cash_receipt.html", receipt=receipt, dossier=receipt.dossier, helper=helper)


def _pdf(content: bytes, code: str) -> Response:
    return Response(content, media_type="application/pdf", headers={
        "content-disposition": f'inline; filename="{code}-receipt.pdf"', "cache-control": "private, no-store"})


@get("/helper/dossiers/{code:str}/filing-receipt.pdf", guards=[signed_in])
async def helper_filing_receipt(request: Request, clock: NamedDependency[Clock], settings: NamedDependency[Settings],
                                code: FromPath[str]) -> Response:
    _, found = await _counter(request, code, clock)
    if found.dossier.status is Status.DRAFT:
        raise NotFoundException()
    return _pdf(await receipt_pdf.render(found.dossier, settings.base_url), found.dossier.code)


@get("/dossiers/{code:str}/filing-receipt.pdf", guards=[signed_in])
async def citizen_filing_receipt(request: Request, settings: NamedDependency[Settings], code: FromPath[str],
                                 ) -> Response:
    dossier = await visible_dossier(code[:32], current_user(request), Standing.APPLICANT)
    if dossier is None or dossier.status is Status.DRAFT:
        raise NotFoundException()
    return _pdf(await receipt_pdf.render(dossier, settings.base_url), dossier.code)


async def _desk(request: Request, helper: User, post_: HelperPost, clock: Clock, errors: dict[str, str] | None = None,
                handed: str = "", status_code: int = 200) -> Template:
    number = page_number(request.query_params.get("page"))
    soon = page_number(request.query_params.get("soon"))
    return page("assisted/desk.html", status_code, post=post_, point=post_.service_point,
                helped=await helper_desk.helped(helper, number, clock),
                expiring=await helper_desk.expiring(helper, soon, clock),
                cash=await helper_desk.cash_in_hand(helper), errors=errors or {}, handed=handed, now=clock.now())


@get("/helper", guards=[signed_in])
async def desk(request: Request, clock: NamedDependency[Clock]) -> Template:
    helper, post_ = await _post(request)
    return await _desk(request, helper, post_, clock)


def _number(value: object) -> int:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else 0


@post("/helper/cash/hand-over", guards=[signed_in])
async def hand_over(request: Request, clock: NamedDependency[Clock]) -> Template:
    helper, post_ = await _post(request)
    form = await form_dict(request)
    done = await helper_desk.hand_over(helper, _number(form.get("point")), _number(form.get("upto")), clock)
    if not done.count:
        errors = {"cash": gettext("This cash was handed over already: there is nothing more to hand over.")}
        return await _desk(request, helper, post_, clock, errors=errors, status_code=409)
    told = ngettext("Handed over: %(num)s cash payment, %(amount)s.", "Handed over: %(num)s cash payments, %(amount)s.",
                    done.count, amount=format_vnd(done.total))
    return await _desk(request, helper, post_, clock, handed=told)


def _results_page(post_: HelperPost, errors: dict[str, str] | None = None, form: dict | None = None,
                  done: str = "", status_code: int = 200) -> Template:
    return page("assisted/results.html", status_code, point=post_.service_point, errors=errors or {},
                form=form or {}, done=done)


@get("/helper/results", guards=[signed_in])
async def results_page(request: Request) -> Template:
    _, post_ = await _post(request)
    return _results_page(post_)


async def _on_result(request: Request, step: str, clock: Clock, settings: Settings, sms_gateway: Any) -> Template:
    helper, post_ = await _post(request)
    form = await form_dict(request)
    # What the helper typed is shown again, but never the handover code.
    kept = {k: collection.dossier_code(form.get(k)) for k in ("arrived_code", "dossier_code")}
    point = post_.service_point
    try:
        if step == "arrived":
            arrived = await collection.result_arrived(kept["arrived_code"], helper, point, settings, sms_gateway,
                                                      clock)
            if collection.by_identity(arrived):  # no phone: no code was sent
                done = gettext("Received. The citizen of dossier %(code)s has no phone, so no code was sent: when "
                               "they come, check their identity document and type its number to hand the result "
                               "over.", code=kept["arrived_code"])
            else:
                done = gettext("Received. The citizen was sent a code by text message to collect the result of "
                               "dossier %(code)s.", code=kept["arrived_code"])
        elif step == "collect":
            handed = await collection.collect(kept["dossier_code"], form.get("handover_code"), helper, point, clock,
                                              document=form.get("identity_document"))
            if collection.by_identity(handed):
                done = gettext("The identity document matches: hand the result of dossier %(code)s to the citizen.",
                               code=kept["dossier_code"])
            else:
                done = gettext("The code is right: hand the result of dossier %(code)s to the citizen.",
                               code=kept["dossier_code"])
        else:
            await collection.new_code(kept["dossier_code"], helper, point, settings, sms_gateway, clock)
            done = gettext("A new code was sent to the citizen's phone.")
    except collection.CollectionRefused as refused:
        return _results_page(post_, {refused.field: str(refused)}, kept, status_code=400)
    return _results_page(post_, done=done)


@post("/helper/results/arrived", guards=[signed_in])
async def result_arrived(request: Request, clock: NamedDependency[Clock], settings: NamedDependency[Settings],
                         sms_gateway: NamedDependency[Any]) -> Template:
    return await _on_result(request, "arrived", clock, settings, sms_gateway)


@post("/helper/results/collect", guards=[signed_in])
async def result_collected(request: Request, clock: NamedDependency[Clock], settings: NamedDependency[Settings],
                           sms_gateway: NamedDependency[Any]) -> Template:
    return await _on_result(request, "collect", clock, settings, sms_gateway)


@post("/helper/results/new-code", guards=[signed_in])
async def result_new_code(request: Request, clock: NamedDependency[Clock], settings: NamedDependency[Settings],
                          sms_gateway: NamedDependency[Any]) -> Template:
    return await _on_result(request, "new_code", clock, settings, sms_gateway)


route_handlers = [cash_page, take_cash, cash_receipt, helper_filing_receipt, citizen_filing_receipt, desk,
                  hand_over, results_page, result_arrived, result_collected, result_new_code]
