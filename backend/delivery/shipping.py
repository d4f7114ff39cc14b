"""After the booking: the handover to the post (shipment, code by SMS); the post's reports are in ``tracking``."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.core import clock
from backend.core.events import publish
from backend.core.i18n import N_, gettext, in_language, plain
from backend.delivery.codes import handover_code, new_hash
from backend.delivery.constants import FINAL, MAX_HANDOVER_FAILURES, Stage
from backend.delivery.events import HandedToPost, NewHandoverCode
from backend.delivery.models import DeliveryBooking
from backend.delivery.postal import HttpPostalService, PostalError, Shipment
from backend.delivery.services import booking_for
from backend.delivery.tracking import EventRejected, record_event  # noqa: F401 - the controllers' import path
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier

log = logging.getLogger(__name__)

# A handover claim older than this was left by a crash (the post's answer times out long before): it may be retaken.
STALE_CLAIM = timedelta(minutes=2)
HANDOVER_TEXT = N_("Your result for dossier %(dossier)s is with the post. Give the postman this code to receive it: "
                   "%(code)s. Never give it to anyone else.")


class HandoverRefused(Exception):
    """A sentence for the official saying why the result cannot go to the post now."""


async def hand_over(
    dossier: Dossier, official: User, postal: HttpPostalService, settings: Any, sms_gateway: Any
) -> DeliveryBooking:
    """Book the shipment with the post, keep its tracking number, and give the citizen the handover code.

    The booking is claimed first (status "handing_over", a conditional UPDATE): from then on the citizen cannot
    change the address, the fee or the payment method, so the parcel is booked with what the booking says. The
    claim is released when the post does not book it.
    """
    booking = await booking_for(dossier)
    if booking is None or dossier.result_form != "post":
        raise HandoverRefused(gettext("The citizen has not booked home delivery."))
    if dossier.status is not Status.APPROVED:
        raise HandoverRefused(gettext("Only the result of an approved dossier can go to the post."))
    if booking.handed_over_at is not None:
        raise HandoverRefused(gettext("The result is with the post already."))
    if booking.payment_method == "online" and not booking.paid:
        raise HandoverRefused(gettext("The citizen has not paid the delivery fee online yet."))
    nonce = secrets.token_hex(8)  # the post never receives the code: each attempt may have its own
    claimed_at = clock.now()
    claimable = Q(status=Stage.BOOKED) | Q(status=Stage.HANDING_OVER, updated_at__lt=claimed_at - STALE_CLAIM)
    payable = Q(payment_method="cod") | Q(paid=True)
    claimed = await DeliveryBooking.filter(claimable, payable, id=booking.id, handed_over_at__isnull=True).update(
        status=Stage.HANDING_OVER, handover_nonce=nonce, updated_at=claimed_at
    )
    if not claimed:
        raise HandoverRefused(
            gettext("The result is being handed to the post already, or the booking has just changed: reload the page.")
        )
    await booking.refresh_from_db()  # the booking as claimed: it cannot change until the claim ends
    code = handover_code(settings.secret_key, dossier.code, nonce)
    shipment = Shipment(
        reference=dossier.code,
        recipient=booking.recipient,
        phone=booking.phone,
        street=booking.street,
        ward_code=booking.ward_code,
        ward=booking.ward_name,
        province_code=booking.province_code,
        province=booking.province_name,
        time_window=booking.time_window,
        cod_amount=0 if booking.paid else booking.fee,
    )  # nothing about the code: the portal checks it when the post reports the delivery
    callback = f"{settings.base_url.rstrip('/')}/api/v1/postal/events"
    try:
        tracking = await postal.create_shipment(shipment, callback)
    except PostalError as exc:
        await _release(booking, nonce)
        log.warning("Handover of %s failed: %s", dossier.code, exc)
        raise HandoverRefused(gettext("The postal service cannot be reached. Try again in a few minutes.")) from exc
    except BaseException:
        await _release(booking, nonce)
        raise
    code_hash = await new_hash(code)
    now = clock.now()
    async with in_transaction() as conn:
        changed = await (
            DeliveryBooking.filter(
                id=booking.id, status=Stage.HANDING_OVER, handover_nonce=nonce, handed_over_at__isnull=True
            )
            .using_db(conn)
            .update(
                tracking_number=tracking,
                handover_code_hash=code_hash,
                handed_over_at=now,
                status=Stage.HANDED_OVER,
                status_at=None,  # the post's own clock dates the stages from here
                updated_at=now,
            )
        )
        if changed != 1:
            raise HandoverRefused(gettext("The result is with the post already."))
        await publish(HandedToPost(dossier=dossier, actor=official), conn)
    await booking.refresh_from_db()
    await _send_code(sms_gateway, booking, dossier, code)
    return booking


async def _release(booking: DeliveryBooking, nonce: str) -> None:
    """The post did not book the parcel: the booking can change again (only this attempt's own claim)."""
    await DeliveryBooking.filter(id=booking.id, status=Stage.HANDING_OVER, handover_nonce=nonce).update(
        status=Stage.BOOKED, updated_at=clock.now()
    )


async def new_code(dossier: Dossier, official: User, settings: Any, sms_gateway: Any) -> DeliveryBooking:
    """After too many wrong codes at the door: a new code, by SMS and on the citizen's page; the old one is void."""
    booking = await booking_for(dossier)
    if booking is None or booking.handed_over_at is None or not booking.handover_locked:
        raise HandoverRefused(gettext("The handover code is not locked: the citizen can use the code they have."))
    nonce = secrets.token_hex(8)
    code = handover_code(settings.secret_key, dossier.code, nonce)
    code_hash = await new_hash(code)
    now = clock.now()
    async with in_transaction() as conn:
        changed = await (
            DeliveryBooking.filter(
                id=booking.id, handover_nonce=booking.handover_nonce, handover_failures__gte=MAX_HANDOVER_FAILURES
            )
            .exclude(status__in=list(FINAL))
            .using_db(conn)
            .update(handover_nonce=nonce, handover_code_hash=code_hash, handover_failures=0, updated_at=now)
        )
        if changed != 1:
            raise HandoverRefused(gettext("A new handover code was sent already."))
        await publish(NewHandoverCode(dossier=dossier, actor=official), conn)
    await booking.refresh_from_db()
    await _send_code(sms_gateway, booking, dossier, code)
    return booking


async def _send_code(sms_gateway: Any, booking: DeliveryBooking, dossier: Dossier, code: str) -> None:
    """The code by text message, in the language the citizen used; the dossier page shows it anyway."""
    with in_language(dossier.language, HANDOVER_TEXT):
        text = plain(gettext(HANDOVER_TEXT, dossier=dossier.code, code=code))
    try:
        await sms_gateway.send(booking.phone, text)
    except Exception as exc:  # noqa: BLE001 - the handover stands; the code is on the dossier page
        log.warning("Handover code for %s not sent by SMS: %s", dossier.code, exc)
