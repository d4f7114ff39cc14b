"""Delivery bookings: who may book, the fee, checking and saving the form, what dossier pages show.

The handover to the post and the tracking events are in ``backend.delivery.shipping``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.accounts.services import normalise_phone
from backend.core import clock
from backend.core.i18n import gettext
from backend.core.templating import format_vnd
from backend.delivery import units
from backend.delivery.codes import citizen_code
from backend.delivery.constants import (
    FEE_OTHER_PROVINCE,
    FEE_SAME_PROVINCE,
    PAYMENT_METHODS,
    TIME_WINDOWS,
    Stage,
)
from backend.delivery.models import DeliveryBooking, DeliveryEvent
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier

log = logging.getLogger(__name__)

# After sending, a booking can be made until the result is with the post; refused or withdrawn dossiers have none.
_BOOKABLE_AFTER_SUBMIT = frozenset({Status.SUBMITTED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED, Status.APPROVED})
FIELDS = ("recipient", "phone", "province", "ward", "street", "time_window")


class Locked(Exception):
    """The result is with the post already, or being handed over: the booking can no longer change."""


class PaidMeanwhile(Exception):
    """The fee was paid online between the page and this click: the fee and the payment method stay."""


def agency_province(agency_code: str) -> str | None:
    """``P01-W-BADINH`` -> ``01``: provincial and commune agencies carry their province's code; ministries none."""
    match = re.match(r"P(\d{2})(?:-|$)", agency_code or "")
    return match.group(1) if match else None


def fee_for(agency_code: str, province_code: str) -> int:
    return FEE_SAME_PROVINCE if agency_province(agency_code) == province_code else FEE_OTHER_PROVINCE


def offers_post(dossier: Dossier) -> bool:
    return "post" in (dossier.procedure.result_forms or [])


def can_book(dossier: Dossier) -> bool:
    """A draft whose citizen chose home delivery, or a sent dossier whose procedure offers it."""
    if not offers_post(dossier):
        return False
    if dossier.status is Status.DRAFT:
        return dossier.result_form == "post"
    return dossier.status in _BOOKABLE_AFTER_SUBMIT


async def booking_for(dossier: Dossier) -> DeliveryBooking | None:
    return await DeliveryBooking.get_or_none(dossier_id=dossier.id)


async def choose_post(dossier: Dossier) -> None:
    """The citizen picked home delivery on a draft: keep the choice so the booking page opens."""
    if dossier.status is Status.DRAFT and offers_post(dossier) and dossier.result_form != "post":
        dossier.result_form = "post"
        await dossier.save(update_fields=["result_form", "updated_at"])


def initial_values(user: User, booking: DeliveryBooking | None) -> dict[str, str]:
    """What the form shows first: the booking as it is, or the account's name and phone."""
    if booking is not None:
        return {
            "recipient": booking.recipient,
            "phone": "0" + booking.phone[2:],
            "province": booking.province_code,
            "ward": booking.ward_code,
            "street": booking.street,
            "time_window": booking.time_window,
            "payment_method": booking.payment_method,
        }
    phone = "0" + user.phone[2:] if user.phone.startswith("84") else user.phone
    return {"recipient": user.full_name, "phone": phone, "province": "", "ward": "", "street": "", "time_window": ""}


@dataclass
class Checked:
    values: dict[str, str]  # as typed, to show again
    errors: dict[str, str]
    phone: str = ""  # 84xxxxxxxxx
    province: units.Unit | None = None
    ward: units.Unit | None = None
    fee: int = 0


def check_address(dossier: Dossier, form: dict[str, Any], booking: DeliveryBooking | None) -> Checked:
    """Check the address part of the form; every value comes back as typed, with an error per field."""
    values = {name: str(form.get(name, "")).strip() for name in (*FIELDS, "payment_method")}
    errors: dict[str, str] = {}
    if not values["recipient"]:
        errors["recipient"] = gettext("Enter the name of the person who will receive the result")
    elif len(values["recipient"]) > 200:
        errors["recipient"] = gettext("The name must be 200 characters or fewer")
    phone = normalise_phone(values["phone"])
    if phone is None:
        errors["phone"] = gettext("Enter a Vietnamese mobile number, like 0912 345 678")
    province = units.province(values["province"])
    ward = units.ward(values["province"], values["ward"]) if province else None
    if province is None:
        errors["province"] = gettext("Choose the province or city")
    elif ward is None:
        errors["ward"] = gettext("Choose the commune or ward")
    if not values["street"]:
        errors["street"] = gettext("Enter the house number and street, or the hamlet or village")
    elif len(values["street"]) > 300:
        errors["street"] = gettext("The address must be 300 characters or fewer")
    if values["time_window"] not in TIME_WINDOWS:
        errors["time_window"] = gettext("Choose when the post should come")
    fee = fee_for(dossier.agency.code, province.code) if province else 0
    if province and booking is not None and booking.paid and fee != booking.fee:
        errors["province"] = gettext(
            "You paid %(fee)s for delivery already: choose an address with the same fee, or ask the agency.",
            fee=format_vnd(booking.fee),
        )
    return Checked(values, errors, phone or "", province, ward, fee)


def check_payment(checked: Checked, online_available: bool, booking: DeliveryBooking | None) -> None:
    method = checked.values["payment_method"]
    if booking is not None and booking.paid:
        checked.values["payment_method"] = booking.payment_method
    elif method not in PAYMENT_METHODS or (method == "online" and not online_available):
        checked.errors["payment_method"] = gettext("Choose how you will pay the delivery fee")


async def save_booking(dossier: Dossier, checked: Checked) -> DeliveryBooking:
    """Create or change the booking; raises Locked once the official started the handover."""
    assert checked.province and checked.ward and not checked.errors
    fields = {
        "recipient": checked.values["recipient"],
        "phone": checked.phone,
        "province_code": checked.province.code,
        "province_name": checked.province.name,
        "ward_code": checked.ward.code,
        "ward_name": checked.ward.name,
        "street": checked.values["street"],
        "time_window": checked.values["time_window"],
        "fee": checked.fee,
        "payment_method": checked.values["payment_method"],
    }
    async with in_transaction() as conn:
        booking = await DeliveryBooking.get_or_none(dossier_id=dossier.id, using_db=conn)
        if booking is None:
            try:
                booking = await DeliveryBooking.create(dossier_id=dossier.id, using_db=conn, **fields)
            except IntegrityError as exc:  # booked at the same moment in another tab
                raise Locked() from exc
        else:
            # Conditional: the official may start the handover (status "handing_over" while the post is called), or
            # the gateway confirm the fee, between the page and this click; once paid, the fee and the payment
            # method cannot change.
            keeps_payment = Q(paid=False) | Q(fee=fields["fee"], payment_method=fields["payment_method"])
            open_ = {"id": booking.id, "handed_over_at__isnull": True, "status": Stage.BOOKED}
            changed = await (
                DeliveryBooking.filter(keeps_payment, **open_).using_db(conn).update(**fields, updated_at=clock.now())
            )
            if changed != 1:
                if await DeliveryBooking.filter(**open_).using_db(conn).exists():
                    raise PaidMeanwhile()
                raise Locked()
            await booking.refresh_from_db(using_db=conn)
        if dossier.result_form != "post":
            await Dossier.filter(id=dossier.id).using_db(conn).update(result_form="post")
            dossier.result_form = "post"
    return booking


async def mark_paid(dossier_id: int, amount: int, conn: Any = None) -> bool:
    """A payment of ``amount`` VND was confirmed online (called by the payments domain, inside its transaction).

    It pays the booking only if it is the booking's fee as it is now, the citizen still pays online and the result
    is not with the post yet: a tab opened before a change of address (another fee) or of payment method pays
    nothing. Returns whether the booking is now paid by it.
    """
    changed = await (
        DeliveryBooking.filter(
            dossier_id=dossier_id, fee=amount, payment_method="online", paid=False, handed_over_at__isnull=True
        )
        .using_db(conn)
        .update(paid=True, updated_at=clock.now())
    )
    return changed == 1


def awaits_online_payment(booking: DeliveryBooking) -> bool:
    """Online chosen, not paid, and still changeable: the pages offer to pay the fee as it is now."""
    return booking.payment_method == "online" and not booking.paid and booking.changeable


async def events_for(booking: DeliveryBooking) -> list[DeliveryEvent]:
    return await DeliveryEvent.filter(booking=booking).order_by("occurred_at", "id")


@dataclass
class View:
    """What a dossier page shows about delivery."""

    offered: bool
    bookable: bool
    booking: DeliveryBooking | None
    code: str | None = None  # the handover code, on the citizen's own page only
    events: list[DeliveryEvent] | None = None


async def view(dossier: Dossier, secret_key: str | None = None) -> View:
    """For the citizen's page pass ``secret_key`` (the handover code is shown); the desk passes none."""
    booking = await booking_for(dossier)
    code = citizen_code(booking, dossier, secret_key) if booking and secret_key else None
    events = await events_for(booking) if booking else []
    return View(offers_post(dossier), can_book(dossier), booking, code, events)
