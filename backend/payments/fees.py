"""What a procedure costs: free, a fixed fee, or one of its options (``Procedure.fee_options``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.payments.models import Payment, PaymentStatus


@dataclass(frozen=True)
class FeeOption:
    key: str
    label: dict[str, str]  # {"vi": ..., "en": ...}
    amount: int  # VND


@dataclass(frozen=True)
class FeeQuote:
    """The fee as the check page shows it: a fixed amount, or options to choose from."""

    base: int
    options: list[FeeOption] = field(default_factory=list)

    @property
    def charged(self) -> bool:
        return self.base > 0 or any(o.amount > 0 for o in self.options)

    @property
    def free_option(self) -> bool:
        """One of the options costs nothing: a dossier sent under it has no payment."""
        return any(o.amount == 0 for o in self.options)

    def amount_for(self, option: str) -> int | None:
        """The amount to pay; None when the procedure has options and ``option`` is not one of them."""
        if not self.options:
            return self.base
        return next((o.amount for o in self.options if o.key == option), None)


def fee_quote(procedure: Any) -> FeeQuote:
    options = [FeeOption(o["key"], o["label"], int(o["amount"])) for o in (procedure.fee_options or [])]
    return FeeQuote(int(procedure.fee or 0), options)


def charged(procedure: Any) -> bool:
    """A fee is due: the dossier is sent by paying it (free procedures are sent as before)."""
    return fee_quote(procedure).charged


async def accepted_fee(dossier_id: int) -> Payment | None:
    """The one fee payment accepted for this dossier (not a second charge to refund), if it was paid."""
    return await _accepted(dossier_id).prefetch_related("receipt").first()


def _accepted(dossier_id: int) -> Any:
    return Payment.filter(dossier_id=dossier_id, purpose="fee", status=PaymentStatus.PAID, refund_due=False)


async def fee_due(dossier: Any, option: str = "") -> bool:
    """Sending this dossier needs a payment first: its procedure charges, the option chosen is not a 0 ₫ one,
    and no fee payment was accepted for it yet (a paid draft is sent without paying again)."""
    quote = fee_quote(dossier.procedure)
    if not quote.charged or (quote.options and quote.amount_for(option) == 0):
        return False
    return not await _accepted(dossier.id).exists()
