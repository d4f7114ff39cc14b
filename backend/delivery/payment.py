"""Paying the delivery fee online, through the payments domain when it is installed.

``backend.payments`` offers ``start_payment(dossier, user, purpose, amount, description, clock=)``, ``pay_url(gateway,
payment, ...)`` and the ``on_paid(purpose)`` registry; without it only cash on delivery is offered.
"""

from __future__ import annotations

import logging
from typing import Any

from backend.core.clock import Clock
from backend.delivery.services import mark_paid

log = logging.getLogger(__name__)

try:
    from backend.payments import services as _payments
    from backend.payments.models import Payment, PaymentStatus
    from backend.payments.purposes import on_paid
except ModuleNotFoundError as exc:  # only the payments package itself missing, not a broken import inside it
    if not (exc.name or "").startswith("backend.payments"):
        raise
    _payments = None  # type: ignore[assignment]  # mypy has no type for "this module, or None"
else:

    @on_paid("delivery")
    async def _delivery_paid(payment: Any, conn: Any) -> None:
        """Pays the booking only for its fee as it is now; any other payment is money to give back."""
        if await mark_paid(payment.dossier_id, payment.amount, conn):
            return
        # Not the fee any more (address or payment method changed after this tab was opened, or the result is
        # with the post): recorded as to refund, and it does not settle the delivery, so the right amount can.
        log.warning("Delivery payment %s (%s VND) does not pay the booking of dossier %s: refund due",
                    payment.txn_ref, payment.amount, payment.dossier_id)
        await Payment.filter(id=payment.id).using_db(conn).update(refund_due=True, settles=None)
        payment.refund_due, payment.settles = True, None


PURPOSE = "delivery"


def available() -> bool:
    return _payments is not None


async def expire_pending(dossier: Any) -> None:
    """The fee or the payment method changed: attempts still open at the gateway are for the old fee."""
    if _payments is None:
        return
    pending = await Payment.filter(dossier_id=dossier.id, purpose=PURPOSE, status=PaymentStatus.PENDING)
    for attempt in pending:
        await _payments.expire(attempt)


async def start(
    dossier: Any, user: Any, amount: int, description: str, gateway: Any, base_url: str, client_ip: str | None,
    clock: Clock,
) -> str | None:
    """Start paying the fee at ``gateway``; returns where to send the citizen (None: paid already, nothing to
    start). The gateway sends them back to ``base_url``; ``client_ip`` is their address, which it records."""
    assert _payments is not None
    try:
        payment = await _payments.start_payment(dossier, user, PURPOSE, amount, description, clock=clock)
    except _payments.PaymentRefused:
        return None
    return _payments.pay_url(gateway, payment, base_url=base_url, client_ip=client_ip)
