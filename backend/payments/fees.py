"""Whether a dossier's fee was paid (the procedure's fee rules are ``catalogue.fees``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from backend.catalogue.agencies import terms
from backend.catalogue.fees import FeeQuote, fee_quote, proof_for
from backend.catalogue.models import Agency
from backend.payments.models import Payment, PaymentStatus


async def accepted_fee(dossier_id: int) -> Payment | None:
    """The one fee payment accepted for this dossier (not a second charge to refund), if it was paid."""
    return await _accepted(dossier_id).prefetch_related("receipt").first()


def _accepted(dossier_id: int) -> Any:
    return Payment.filter(dossier_id=dossier_id, purpose="fee", status=PaymentStatus.PAID, refund_due=False)


async def dossier_quote(dossier: Any) -> FeeQuote:
    """The fee of ``dossier`` at the agency it is filed at: the province's own fixed fee where the catalogue sets
    one (``catalogue.agencies.terms``), else the procedure's; fee options are the procedure's."""
    agency = dossier.agency if isinstance(dossier.agency, Agency) else await Agency.get(id=dossier.agency_id)
    quote = fee_quote(dossier.procedure)
    return replace(quote, base=terms(dossier.procedure, agency)[0]) if not quote.options else quote


async def fee_due(dossier: Any, option: str = "") -> bool:
    """Sending this dossier needs a payment first: its procedure charges, the option chosen is not a 0 ₫ one,
    and no fee payment was accepted for it yet (a paid draft is sent without paying again)."""
    quote = await dossier_quote(dossier)
    if not quote.charged or (quote.options and quote.amount_for(option) == 0):
        return False
    return not await _accepted(dossier.id).exists()


def paid_proof(procedure: Any, payments: list[Payment]) -> dict | None:
    """For the desk: the proof document of the reduced fee the accepted fee payment was made under, if any."""
    accepted = next((p for p in payments if p.purpose == "fee" and p.status is PaymentStatus.PAID
                     and not p.refund_due), None)
    return proof_for(procedure, accepted.option) if accepted else None
