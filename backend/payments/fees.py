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
    proof: str = ""  # the key of the document (in the procedure's documents) that entitles one to this option


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
    options = [FeeOption(o["key"], o["label"], int(o["amount"]), o.get("proof", ""))
               for o in (procedure.fee_options or [])]
    return FeeQuote(int(procedure.fee or 0), options)


def proof_for(procedure: Any, option: str) -> dict | None:
    """The document spec proving the right to fee ``option`` (a reduced fee for a named group), if it needs one."""
    key = next((o.proof for o in fee_quote(procedure).options if o.key == option), "")
    return next((d for d in procedure.documents if d["key"] == key), None) if key else None


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


def paid_proof(procedure: Any, payments: list[Payment]) -> dict | None:
    """For the desk: the proof document of the reduced fee the accepted fee payment was made under, if any."""
    accepted = next((p for p in payments if p.purpose == "fee" and p.status is PaymentStatus.PAID
                     and not p.refund_due), None)
    return proof_for(procedure, accepted.option) if accepted else None
