"""Home delivery on the check page (issue 18): how the result is received is asked there once, and a delivery by
post is booked with the same form (the address on the 2025 units, the time, how the fee is paid), without
JavaScript. The booking page (``controllers``) keeps serving sent dossiers: a change of address, or a booking made
after sending.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.accounts.models import User
from backend.core.clock import Clock
from backend.core.i18n import gettext
from backend.delivery import payment, services, units
from backend.delivery.constants import FEE_OTHER_PROVINCE, FEE_SAME_PROVINCE, TIME_WINDOWS
from backend.delivery.models import DeliveryBooking
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier
from backend.dossiers.services import Problem

POST = "post"


def chosen_form(dossier: Dossier, form: Mapping[str, Any] | None) -> str:
    """The result form to show as picked: what was just posted, else what the citizen picked before, else none
    (a new draft has none: nothing is picked for them)."""
    if form is not None:
        return str(form.get("result_form", ""))
    return dossier.result_form if dossier.result_form in (dossier.procedure.result_forms or []) else ""


async def context(
    dossier: Dossier, user: User, form: Mapping[str, Any] | None = None, errors: Mapping[str, str] | None = None,
    *, focus_ward: bool = False,
) -> dict[str, Any]:
    """What the check page needs to ask how the result is received and, by post, where: the booking as it is, the
    account's name and phone, or what was just typed (kept on every error and on "Show communes and wards")."""
    chosen = chosen_form(dossier, form)
    kept = {"result_choice": chosen, "declared": form is not None and form.get("declaration") == "yes"}
    if not services.offers_post(dossier):
        return {**kept, "post_form": None}
    booking = await services.booking_for(dossier)
    values = services.initial_values(user, booking)
    if form is not None:
        values = {name: str(form.get(name, "")).strip() for name in (*services.FIELDS, "payment_method")}
    elif booking is not None:
        values["payment_method"] = booking.payment_method
    province = units.province(values.get("province", ""))
    return {
        **kept,
        "post_form": {
            "values": values,
            "errors": dict(errors or {}),
            "booking": booking,
            "provinces": units.provinces(),
            "wards": units.wards(province.code) if province else (),
            "time_windows": TIME_WINDOWS,
            "focus_ward": focus_ward,
            "online": payment.available(),
            "fees": (FEE_SAME_PROVINCE, FEE_OTHER_PROVINCE),
            "level": 3,
        },
    }


def problems(errors: Mapping[str, str], declared: bool) -> list[Problem]:
    """The delivery's errors for the check page's summary, each leading to its field, with the declaration's when
    it is missing too (one round of corrections, not two)."""
    found = [Problem(message, f"#{name}") for name, message in errors.items()]
    if found and not declared:
        found.append(Problem(gettext("Confirm that the information you gave is true"), "#declaration"))
    return found


async def book(dossier: Dossier, form: dict[str, Any]) -> dict[str, str]:
    """By post: check the delivery typed on the check page and keep it (booked, or changed); errors by field, and
    nothing kept, when it is not complete. Another result form picked: a booking kept on an earlier try goes."""
    chosen = form.get("result_form")
    if chosen != POST or not services.offers_post(dossier):  # "post" not offered is refused with its own message
        if chosen in (dossier.procedure.result_forms or []) and dossier.status is Status.DRAFT:
            await DeliveryBooking.filter(dossier_id=dossier.id, paid=False, handed_over_at__isnull=True).delete()
        return {}
    booking = await services.booking_for(dossier)
    if booking is not None and not booking.changeable:  # with the post already: the booking stays as it is
        return {}
    checked = services.check_address(dossier, form, booking)
    services.check_payment(checked, payment.available(), booking)
    if checked.errors:
        return checked.errors
    before = (booking.fee, booking.payment_method) if booking is not None else None
    try:
        booking = await services.save_booking(dossier, checked)
    except services.Locked:
        return {"recipient": gettext("The delivery cannot change now: the result is being handed to the post.")}
    except services.PaidMeanwhile:  # checked again against the paid booking: says why
        return services.check_address(dossier, form, await services.booking_for(dossier)).errors
    if before is not None and before != (booking.fee, booking.payment_method):
        await payment.expire_pending(dossier)  # a tab still open at the gateway is for the old fee
    return {}


async def pay_after_sending(
    dossier: Dossier, user: User, gateway: Any, base_url: str, client_ip: str | None, clock: Clock
) -> str | None:
    """Sent, by post, the fee to be paid online: where the gateway takes it (the dossier's page offers it again)."""
    if dossier.result_form != POST or not payment.available():
        return None
    booking = await services.booking_for(dossier)
    if booking is None or not services.awaits_online_payment(booking):
        return None
    description = gettext("Delivery of the result of dossier %(code)s", code=dossier.code)
    return await payment.start(dossier, user, booking.fee, description, gateway, base_url, client_ip, clock)
