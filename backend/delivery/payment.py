"""Paying the delivery fee online, through the payments domain when it is installed.

``backend.payments`` offers ``start_payment(dossier, user, purpose, amount, description)``, ``pay_url(request,
payment)`` and the ``on_paid(purpose)`` registry; without it only cash on delivery is offered.
"""

from __future__ import annotations

from typing import Any

from backend.delivery.services import mark_paid

try:
    from backend.payments import services as _payments
    from backend.payments.purposes import on_paid
except ModuleNotFoundError as exc:  # only the payments package itself missing, not a broken import inside it
    if not (exc.name or "").startswith("backend.payments"):
        raise
    _payments = None
else:

    @on_paid("delivery")
    async def _delivery_paid(payment: Any, conn: Any) -> None:
        await mark_paid(payment.dossier_id, conn)


PURPOSE = "delivery"


def available() -> bool:
    return _payments is not None


async def start(request: Any, dossier: Any, user: Any, amount: int, description: str) -> str | None:
    """Start paying the fee; returns where to send the citizen (None: paid already, nothing to start)."""
    assert _payments is not None
    try:
        payment = await _payments.start_payment(dossier, user, PURPOSE, amount, description)
    except _payments.PaymentRefused:
        return None
    return _payments.pay_url(request, payment)
