"""Tracking events from the post: signed stages, each taken once and only forward; the handover code checked
at the door (a few tries, then locked until the official issues a new one: ``shipping.new_code``)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from backend.core import clock
from backend.core.events import publish
from backend.delivery.codes import code_matches
from backend.delivery.constants import FINAL, MAX_HANDOVER_FAILURES, TRACKING_STAGES, Stage
from backend.delivery.events import HandoverCodeLocked, stage_reported
from backend.delivery.models import DeliveryBooking, DeliveryEvent
from backend.dossiers.models import Dossier

log = logging.getLogger(__name__)


class EventRejected(Exception):
    """A tracking event the portal does not take; ``status`` is the HTTP answer, ``extra`` more JSON for it."""

    def __init__(self, status: int, reason: str, **extra: Any) -> None:
        super().__init__(reason)
        self.status, self.reason, self.extra = status, reason, extra


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
    # Tortoise types values_list's rows as tuples whatever ``flat`` says: with flat=True they are the values.
    failures: list[int] = await same_code.values_list("handover_failures", flat=True)  # type: ignore[assignment]
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
