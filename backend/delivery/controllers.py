"""Home delivery pages: the citizen's booking, the official's handover, the post's webhook, the unit lists."""

from __future__ import annotations

import json
import logging
import time
from typing import Annotated, Any

from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, PathParameter
from litestar.response import Redirect, Template
from msgspec import Struct

from backend.accounts.web import current_user, officer_only, signed_in
from backend.core.clock import Clock
from backend.core.i18n import gettext
from backend.core.web import error_page, form_dict, page
from backend.delivery import payment, services, shipping, units
from backend.delivery.constants import FEE_OTHER_PROVINCE, FEE_SAME_PROVINCE, TIME_WINDOWS
from backend.delivery.postal import SIGNATURE_HEADER, TIMESTAMP_HEADER, HttpPostalService, verify_signature
from backend.dossiers.access import Standing, visible_dossier
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier
from backend.dossiers.workflow import ensure_may_handle
from backend.limits.web import client_host
from backend.settings import Settings

log = logging.getLogger(__name__)


async def _own(request: Request, code: str) -> Dossier:
    dossier = await visible_dossier(code, current_user(request), Standing.APPLICANT)
    if dossier is None or not services.offers_post(dossier):
        raise NotFoundException()
    return dossier


def _done_url(dossier: Dossier) -> str:
    return f"/my/dossiers/{dossier.code}?delivery=booked#delivery"


def _on_check_page(dossier: Dossier) -> Redirect | None:
    """A draft's delivery is asked and booked on its check page only (issue 18), with how the result is received."""
    if dossier.status is Status.DRAFT:
        return Redirect(f"/dossiers/{dossier.code}/check#result_form", status_code=303)
    return None


async def _form(
    dossier: Dossier, values: dict, errors: dict | None = None, status_code: int = 200, **extra
) -> Template:
    booking = await services.booking_for(dossier)
    if booking is not None and not booking.changeable:
        return _locked(dossier, booking, refused=status_code != 200)
    if not services.can_book(dossier):
        raise NotFoundException()
    province = units.province(values.get("province", ""))
    return page(
        "delivery/form.html",
        status_code,
        dossier=dossier,
        booking=booking,
        values=values,
        errors=errors or {},
        provinces=units.provinces(),
        wards=units.wards(province.code) if province else (),
        time_windows=TIME_WINDOWS,
        agency_province=services.agency_province(dossier.agency.code),
        fees=(FEE_SAME_PROVINCE, FEE_OTHER_PROVINCE),
        **extra,
    )


def _locked(dossier: Dossier, booking, *, refused: bool) -> Template:
    """After the handover: the booking as it is, read-only (409 when a change was attempted)."""
    return page("delivery/booked.html", 409 if refused else 200, dossier=dossier, booking=booking, refused=refused)


@get("/dossiers/{code:str}/delivery", guards=[signed_in])
async def delivery_page(request: Request, code: FromPath[str]) -> Template | Redirect:
    dossier = await _own(request, code)
    if (draft := _on_check_page(dossier)) is not None:
        return draft
    booking = await services.booking_for(dossier)
    values = services.initial_values(current_user(request), booking)
    return await _form(dossier, values)


@post("/dossiers/{code:str}/delivery", guards=[signed_in])
async def book_delivery(
    request: Request, settings: NamedDependency[Settings], payment_gateway: NamedDependency[Any],
    clock: NamedDependency[Clock], code: FromPath[str],
) -> Template | Redirect:
    """One form, three buttons: show the wards of a province (without JavaScript), continue, confirm."""
    dossier = await _own(request, code)
    if (draft := _on_check_page(dossier)) is not None:
        return draft
    form = await form_dict(request)
    action = form.get("action", "continue")
    booking = await services.booking_for(dossier)
    if booking is not None and not booking.changeable:
        return _locked(dossier, booking, refused=True)
    checked = services.check_address(dossier, form, booking)
    if action == "wards":  # not an error: the same form again, with the province's wards and everything typed
        return await _form(dossier, checked.values, focus_ward=True)
    if checked.errors or action == "edit":
        return await _form(dossier, checked.values, checked.errors, 400 if checked.errors else 200)
    if action == "confirm":
        services.check_payment(checked, payment.available(), booking)
    if action != "confirm" or checked.errors:
        return page(
            "delivery/confirm.html",
            400 if checked.errors else 200,
            dossier=dossier,
            booking=booking,
            checked=checked,
            values=checked.values,
            errors=checked.errors,
            time_windows=TIME_WINDOWS,
            online=payment.available(),
            same_province=checked.province is not None
            and services.agency_province(dossier.agency.code) == checked.province.code,
        )
    before = (booking.fee, booking.payment_method) if booking is not None else None
    try:
        booking = await services.save_booking(dossier, checked)
    except services.Locked:
        return _locked(dossier, await services.booking_for(dossier), refused=True)
    except services.PaidMeanwhile:  # checked again against the paid booking: says why, keeps what was typed
        checked = services.check_address(dossier, form, await services.booking_for(dossier))
        return await _form(dossier, checked.values, checked.errors, 400)
    if before is not None and before != (booking.fee, booking.payment_method):
        await payment.expire_pending(dossier)  # a tab still open at the gateway is for the old fee
    if booking.payment_method == "online" and not booking.paid:
        description = gettext("Delivery of the result of dossier %(code)s", code=dossier.code)
        target = await payment.start(dossier, current_user(request), booking.fee, description,
                                     payment_gateway, settings.base_url, client_host(request), clock)
        if target:
            return Redirect(target, status_code=303)
    return Redirect(_done_url(dossier))


@post("/dossiers/{code:str}/delivery/pay", guards=[signed_in])
async def pay_delivery(
    request: Request, settings: NamedDependency[Settings], payment_gateway: NamedDependency[Any],
    clock: NamedDependency[Clock], code: FromPath[str],
) -> Redirect:
    """Pay the fee as the booking says now (after a change of address, or a payment that did not go through)."""
    dossier = await _own(request, code)
    booking = await services.booking_for(dossier)
    target = None
    if booking is not None and services.awaits_online_payment(booking) and payment.available():
        description = gettext("Delivery of the result of dossier %(code)s", code=dossier.code)
        target = await payment.start(dossier, current_user(request), booking.fee, description,
                                     payment_gateway, settings.base_url, client_host(request), clock)
    if target:
        return Redirect(target, status_code=303)
    return Redirect(_done_url(dossier).replace("delivery=booked", "delivery=not_started"), status_code=303)


@post("/dossiers/{code:str}/delivery/choose", guards=[signed_in])
async def choose_delivery(request: Request, code: FromPath[str]) -> Redirect:
    """An older page's "Book home delivery" on a draft: home delivery picked, booked on the check page."""
    dossier = await _own(request, code)
    await services.choose_post(dossier)
    return _on_check_page(dossier) or Redirect(f"/dossiers/{dossier.code}/delivery")


async def _desk_step(request: Request, code: str, step, done: str) -> Response:
    """An official's delivery step on one of their agency's dossiers: ``step(dossier, official)``;
    a refusal is a 409 page, success goes back to the dossier with ``done`` in its query."""
    official = current_user(request)
    dossier = await visible_dossier(code, official, Standing.OFFICIAL, related=("procedure", "agency", "applicant"),
                                   what="delivery")
    if dossier is None:
        raise NotFoundException()
    ensure_may_handle(dossier, official)  # separation of duties: 403 for an official with a stake in it
    try:
        await step(dossier, official)
    except shipping.HandoverRefused as exc:
        return error_page(request, 409, gettext("This cannot be done now"), str(exc))
    return Redirect(f"/desk/dossiers/{dossier.code}?{done}#delivery")


@post("/desk/dossiers/{code:str}/delivery/handover", guards=[officer_only])
async def hand_over(
    request: Request, settings: NamedDependency[Settings], postal_service: NamedDependency[HttpPostalService],
    sms_gateway: NamedDependency[Any], code: FromPath[str],
) -> Response:
    return await _desk_step(request, code, lambda dossier, official: shipping.hand_over(
        dossier, official, postal_service, settings, sms_gateway), "done=handed_over")


@post("/desk/dossiers/{code:str}/delivery/new-code", guards=[officer_only])
async def new_handover_code(
    request: Request, settings: NamedDependency[Settings], sms_gateway: NamedDependency[Any], code: FromPath[str]
) -> Response:
    """The postman typed too many wrong codes: the official sends the citizen a new one."""
    return await _desk_step(request, code, lambda dossier, official: shipping.new_code(
        dossier, official, settings, sms_gateway), "delivery=new_code")


# --- Machines ------------------------------------------------------------------------------------------------


class PostalAnswer(Struct, omit_defaults=True):
    """What the post hears back: ``status`` is what became of the event (recorded, stale, duplicate, or why not)."""

    status: str
    detail: str = ""
    tries_left: int | None = None


_POSTAL_REFUSALS = {code: ResponseSpec(PostalAnswer, description=why, generate_examples=False) for code, why in {
    400: "Not a tracking event", 401: "Bad or stale signature", 404: "Unknown tracking number",
    422: "Unknown stage, or a wrong handover code", 423: "Handover locked after too many wrong codes"}.items()}
ProvinceCode = Annotated[str, PathParameter(pattern=r"^[0-9]+$", max_length=3)]


@post("/api/v1/postal/events", status_code=200, responses=_POSTAL_REFUSALS)
async def postal_event(request: Request, settings: NamedDependency[Settings]) -> Response[PostalAnswer]:
    """The postal service's tracking events: signed, fresh, each taken once."""
    body = await request.body()
    secret = settings.postal_webhook_secret
    headers = request.headers
    why = verify_signature(secret, headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER), body, time.time())
    if why is not None:
        log.warning("Postal webhook refused from %s: %s", request.client.host if request.client else "?", why)
        return Response(PostalAnswer("unauthorized", "bad or stale signature"), status_code=401)
    try:
        data = json.loads(body)
        outcome = await shipping.record_event(data)
    except ValueError:
        return Response(PostalAnswer("invalid", "body is not JSON"), status_code=400)
    except shipping.EventRejected as exc:
        log.warning("Postal event refused: %s", exc.reason)
        return Response(PostalAnswer("rejected", exc.reason, **exc.extra), status_code=exc.status)
    return Response(PostalAnswer(outcome), status_code=200)


@get("/api/v1/admin-units/provinces")
async def province_list() -> list[dict[str, str]]:
    """The 34 provinces and centrally-run cities since 1 July 2025."""
    return [{"code": p.code, "name": p.name} for p in units.provinces()]


@get("/api/v1/admin-units/provinces/{code:str}/wards", raises=[NotFoundException])
async def ward_list(code: ProvinceCode) -> list[dict[str, str]]:
    """The communes, wards and special zones of one province."""
    if units.province(code) is None:
        raise NotFoundException("No province has this code")
    return [{"code": w.code, "name": w.name} for w in units.wards(code)]


route_handlers = [delivery_page, book_delivery, pay_delivery, choose_delivery, hand_over, new_handover_code]
api_route_handlers = [Router(path="/", route_handlers=[postal_event, province_list, ward_list], tags=["delivery"])]
