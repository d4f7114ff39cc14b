"""What payments publish about a dossier (``backend.core.events``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from backend.dossiers.events import DossierEvent


@dataclass(frozen=True, kw_only=True)
class PaymentReceived(DossierEvent):
    """The gateway (or an official, by hand) confirmed the one payment accepted for a dossier and purpose; its
    payer is told, with the receipt number. Not on the timeline: the dossier page lists payments and receipts.
    What the payment pays for then happens (``purposes.on_paid``: the fee sends the dossier, the delivery fee
    pays the booking)."""

    payment: Any
    receipt: Any

    on_timeline: ClassVar[bool] = False
    ACTION = NEWS = "payment_paid"

    @property
    def recipient_id(self) -> int:
        return self.payment.payer_id

    def payload(self) -> dict[str, Any]:
        return {"code": self.dossier.code, "amount": self.payment.amount, "receipt": self.receipt.number}
