"""Whether a dossier's fee was paid (the procedure's fee rules are ``catalogue.fees``)."""

from __future__ import annotations

from typing import Any

from backend.catalogue.agencies import terms
from backend.catalogue.fees import FeeQuote, fee_quote, proof_for, with_base
from backend.catalogue.models import Agency
from backend.payments.models import Payment, PaymentStatus


async def accepted_fee(dossier_id: int) -> Payment | None:
    """The one fee payment accepted for this dossier (not a second charge to refund), if it was paid."""
    return await _accepted(dossier_id).prefetch_related("receipt").first()


def _accepted(dossier_id: int) -> Any:
    return Payment.filter(dossier_id=dossier_id, purpose="fee", status=PaymentStatus.PAID, refund_due=False)


async def dossier_quote(dossier: Any, conn: Any = None) -> FeeQuote:
    """The fee of ``dossier`` at the agency it is filed at, for the copies or pages its answers ask for: the
    province's own amount where the catalogue sets one (``catalogue.agencies.terms``), else the schedule's."""
    agency = dossier.agency
    if not isinstance(agency, Agency):
        agency = await Agency.get(id=dossier.agency_id, using_db=conn)
    quote = fee_quote(dossier.procedure, dossier.answers)
    own = terms(dossier.procedure, agency)[0]
    return with_base(quote, own) if own != quote.base else quote


async def fee_due(dossier: Any, option: str = "") -> bool:
    """Sending this dossier needs a payment first: its procedure charges, the option chosen is not a 0 ₫ one,
    and no fee payment was accepted for it yet (a paid draft is sent without paying again)."""
    quote = await dossier_quote(dossier)
    if not quote.charged or (quote.options and quote.amount_for(option) == 0):
        return False
    return not await _accepted(dossier.id).exists()


def paid_proof(procedure: Any, payments: list[Payment]) -> dict | None:
    """For the desk: the proof document of the reduced fee the accepted fee payment was made under; with no fee
    accepted (a dossier sent under a 0 ₫ option: an exempt group), the proof of that option when only one is 0 ₫."""
    accepted = next((p for p in payments if p.purpose == "fee" and p.status is PaymentStatus.PAID
                     and not p.refund_due), None)
    if accepted is not None:
        return proof_for(procedure, accepted.option)
    free = [o.key for o in fee_quote(procedure).options if o.amount == 0]
    return proof_for(procedure, free[0]) if len(free) == 1 else None


def count_changed(dossier: Any, quote: FeeQuote, paid: Payment) -> str | None:
    """Where to put back the number of copies or pages of a paid draft, when its answer changed after paying (the
    fee paid stays what it was: the dossier is sent for the number paid for); None when it did not."""
    due = quote.amount_for(paid.option if quote.options else "")
    if quote.per is None or due is None or due == paid.amount:
        return None
    page = next((page["key"] for page in dossier.procedure.form
                 if any(f["name"] == quote.per.field for f in page["fields"])), "")
    return f"/dossiers/{dossier.code}/form/{page}#{quote.per.field}"
