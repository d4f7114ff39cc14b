"""After the booking: the handover to the post (shipment, code by SMS) and the tracking events it reports."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.core import clock
from backend.core.events import publish
from backend.core.i18n import current_locale, gettext
from backend.delivery.codes import code_matches, handover_code, new_hash
from backend.delivery.constants import FINAL, MAX_HANDOVER_FAILURES, TRACKING_STAGES, Stage
from backend.delivery.events import HandedToPost, HandoverCodeLocked, NewHandoverCode, stage_reported
from backend.delivery.models import DeliveryBooking, DeliveryEvent
from backend.delivery.postal import HttpPostalService, PostalError, Shipment
from backend.delivery.services import booking_for
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier

log = logging.getLogger(__name__)

# A handover claim older than this was left by a crash (the post's answer times out long before): it may be retaken.
STALE_CLAIM = timedelta(minutes=2)


class HandoverRefused(Exception):
    """A sentence for the official saying why the result cannot go to the post now."""


class EventRejected(Exception):
    """A tracking event the portal does not take; ``status`` is the HTTP answer, ``extra`` more JSON for it."""

    def __init__(self, status: int, reason: str, **extra: Any) -> None:
        super().__init__(reason)
        self.status, self.reason, self.extra = status, reason, extra


# --- Handover to the post ------------------------------------------------------------------------------------


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
    token = current_locale.set(dossier.language or "vi")
    try:
        text = gettext(
            "Your result for dossier %(dossier)s is with the post. Give the postman this code to receive it: "
            "%(code)s. Never give it to anyone else.",
            dossier=dossier.code,
            code=code,
        )
    finally:
        current_locale.reset(token)
    try:
        await sms_gateway.send(booking.phone, text)
    except Exception as exc:  # noqa: BLE001 - the handover stands; the code is on the dossier page
        log.warning("Handover code for %s not sent by SMS: %s", dossier.code, exc)


# --- Tracking events from the post ---------------------------------------------------------------------------


def _parse_event(data: Any) -> tuple[str, str, str, datetime]:
    if not isinstance(data, dict):
        raise EventRejected(400, "body is not a JSON object")
    event_id, tracking, stage = data.get("event_id"), data.get("tracking_number"), data.get("stage")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= 64 or not isinstance(tracking, str):
        raise EventRejected(400, "event_id and tracking_number are required")
    if stage not in TRACKING_STAGES:
        raise EventRejected(422, f"unknown stage {stage!r}")
    try:
        occurred_at = datetime.fromisoformat(str(data.get("occurred_at")))
    except ValueError as exc:
        raise EventRejected(400, "occurred_at is not an ISO 8601 time") from exc
    if occurred_at.tzinfo is None:
        raise EventRejected(400, "occurred_at has no time zone")
    # In UTC: SQLite compares the stored text, so "10:00+07:00" must not sort after "09:30+00:00".
    return event_id, tracking, stage, occurred_at.astimezone(UTC)


async def _take_try(booking: DeliveryBooking) -> bool | None:
    """Reserve one try against the code that was read (its nonce: a new code voids the tries of the old one).

    True: the last try (a wrong code locks the booking); False: an ordinary one; None: no try left, or the code
    was replaced meanwhile. The last try is taken only by an UPDATE filtered on MAX-1, so one request locks.
    """
    last = MAX_HANDOVER_FAILURES - 1
    for _ in range(MAX_HANDOVER_FAILURES + 1):
        same_code = DeliveryBooking.filter(id=booking.id, handover_nonce=booking.handover_nonce)
        if await same_code.filter(handover_failures=last).update(handover_failures=F("handover_failures") + 1):
            return True
        if await same_code.filter(handover_failures__lt=last).update(handover_failures=F("handover_failures") + 1):
            return False
        if not await same_code.filter(handover_failures__lt=MAX_HANDOVER_FAILURES).exists():
            return None
        # The count moved between the two UPDATEs (another try at the same moment): again.
    return None


async def _check_code(booking: DeliveryBooking, dossier: Dossier, code: str) -> None:
    """The code the recipient showed, as the postman typed it: at most MAX_HANDOVER_FAILURES wrong ones.

    A try is taken before the check (a conditional UPDATE), so guesses sent in parallel never get more tries.
    """
    last = await _take_try(booking)
    if last is None:
        raise EventRejected(423, "handover_locked", tries_left=0)
    same_code = DeliveryBooking.filter(id=booking.id, handover_nonce=booking.handover_nonce)
    if await code_matches(code, booking.handover_code_hash):
        await same_code.update(handover_failures=F("handover_failures") - 1)
        return
    if last:  # this wrong code locked the booking: the official sees it on the desk and can issue a new code
        log.warning("Wrong handover code for %s: locked", dossier.code)
        async with in_transaction() as conn:
            await publish(HandoverCodeLocked(dossier=dossier), conn)
        raise EventRejected(423, "handover_locked", tries_left=0)
    failures = await same_code.values_list("handover_failures", flat=True)
    tries_left = max(MAX_HANDOVER_FAILURES - failures[0], 0) if failures else 0
    log.warning("Wrong handover code for %s (%s tries left)", dossier.code, tries_left)
    if tries_left:
        raise EventRejected(422, "wrong_code", tries_left=tries_left)
    raise EventRejected(423, "handover_locked", tries_left=0)  # locked meanwhile by another try


async def record_event(data: Any) -> str:
    """Take one signed tracking event: ``"recorded"``; ``"stale"`` when kept without effect (older than the
    current stage, or after the final one); ``"duplicate"`` for an event id seen before."""
    event_id, tracking, stage, occurred_at = _parse_event(data)
    booking = await DeliveryBooking.get_or_none(tracking_number=tracking).select_related("dossier")
    if booking is None:
        raise EventRejected(404, "unknown tracking number")
    if await DeliveryEvent.exists(event_id=event_id):
        return "duplicate"
    dossier = booking.dossier
    changes: dict[str, Any] = {"status": stage, "status_at": occurred_at, "updated_at": clock.now()}
    if stage == Stage.DELIVERED and booking.status not in FINAL:
        cash = data.get("cash_collected") or 0
        if not isinstance(cash, int) or cash < 0:
            raise EventRejected(400, "cash_collected must be a whole number of VND")
        await _check_code(booking, dossier, str(data.get("handover_code", "")))
        changes |= {"delivered_at": occurred_at, "cash_collected": cash}
        if booking.payment_method == "cod" and cash >= booking.fee:
            changes["paid"] = True
    note = data.get("note") if isinstance(data.get("note"), str) else ""
    kept = {key: value for key, value in data.items() if key != "handover_code"}  # never store the code
    async with in_transaction() as conn:
        try:
            await DeliveryEvent.create(
                booking_id=booking.id,
                event_id=event_id,
                stage=stage,
                occurred_at=occurred_at,
                payload=kept,
                using_db=conn,
            )
        except IntegrityError:  # the same event, delivered twice at once
            return "duplicate"
        # Only forward: an event older than the current stage, or after the end, leaves the status. The end
        # itself (delivered, returned) is taken whatever the clocks say, unless the parcel is closed already.
        moved = DeliveryBooking.filter(id=booking.id).exclude(status__in=list(FINAL))
        if stage not in FINAL:
            moved = moved.filter(Q(status_at__isnull=True) | Q(status_at__lte=occurred_at))
        if not await moved.using_db(conn).update(**changes):
            return "stale"  # kept for the record; no history, no news
        await publish(stage_reported(dossier, stage, note[:500]), conn)
    return "recorded"
