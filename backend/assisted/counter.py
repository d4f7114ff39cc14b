"""At the counter: a helper records the fee paid in cash, and the portal settles it through the payments domain.

The amount comes from the fee rules (``payments.fees.dossier_quote``), never typed. Recording is one transaction
that locks the dossier, refuses when the fee is already paid, writes a ``cash`` payment and settles it with
``payments.settlement.settle``: the receipt, ``PaymentReceived`` and the fee's handler (the dossier is sent) are
exactly as after an online payment. Cash recorded twice (a double click, two tabs, two helpers at once) waits for
the lock and is refused; were it ever settled as a second charge, the transaction is rolled back, so the unique
``settles`` key counts the cash once. Paying sends the dossier: cash for an assisted dossier its citizen has not
declared through a consent (link, code or signed paper) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.assisted.models import AssistConsent
from backend.assisted.services import active_consent, record
from backend.catalogue.fees import FeeQuote
from backend.core.clock import Clock
from backend.core.i18n import gettext
from backend.dossiers import access
from backend.dossiers.access import Standing, visible_dossier
from backend.dossiers.models import Dossier
from backend.dossiers.provenance import ONLINE
from backend.payments.fees import accepted_fee, dossier_quote
from backend.payments.gateway import Callback
from backend.payments.models import Payment, PaymentStatus, Receipt
from backend.payments.services import new_token, order_info, settle

CASH = "cash"


class CashRefused(Exception):
    """Why the cash cannot be recorded, as a sentence the helper reads; ``field`` is where the error points."""

    def __init__(self, message: str, field: str = "fee_option", reason: str = "") -> None:
        super().__init__(message)
        self.field, self.reason = field, reason


class AlreadyPaid(CashRefused):
    """The fee was paid already (online, or cash by this or another helper)."""


@dataclass
class Counter:
    """A dossier at the counter: the helper's live consent for it, and its fee as the rules set it."""

    dossier: Dossier
    consent: AssistConsent
    quote: FeeQuote
    paid: Payment | None


async def at_counter(code: str, helper: User, clock: Clock) -> Counter | None:
    """The dossier with this code if ``helper`` holds a live consent for it, else None: a dossier outside the
    consent looks unknown (the access rule records the refusal)."""
    dossier = await visible_dossier(code[:32], helper, Standing.HELPER)
    consent = await active_consent(helper, dossier, clock) if dossier is not None else None
    if dossier is None or consent is None:
        return None
    return Counter(dossier, consent, await dossier_quote(dossier), await accepted_fee(dossier.id))


def amount_due(counter: Counter, option: str) -> int:
    """The amount the fee rules set for ``option``; CashRefused when there is nothing to take in cash."""
    if not counter.quote.charged:
        raise CashRefused(gettext("This procedure has no fee."), reason="no_fee")
    amount = counter.quote.amount_for(option if counter.quote.options else "")
    if amount is None:
        raise CashRefused(gettext("Choose which fee applies to the citizen"), reason="no_option")
    if amount <= 0:
        raise CashRefused(gettext("There is nothing to pay for this fee."), reason="free")
    return amount


async def record_cash(counter: Counter, helper: User, option: str, clock: Clock) -> Receipt:
    """Take the fee in cash, once: the receipt of the cash payment. Raises ``CashRefused`` (``AlreadyPaid`` when
    the fee was paid already); every refusal is recorded."""
    dossier, consent = counter.dossier, counter.consent
    try:
        amount = amount_due(counter, option)
        receipt = await _settle_cash(dossier, consent, helper, option, amount, clock)
    except CashRefused as refused:
        await record("cash_refused", helper=helper, consent=consent, detail={"reason": refused.reason},
                     clock=clock)
        raise
    await record("cash_recorded", helper=helper, consent=consent,
                 detail={"amount": amount, "receipt": receipt.number}, clock=clock)
    return receipt


class _SecondCharge(Exception):
    """Settled as a second charge: rolls the cash payment back."""


async def _settle_cash(dossier: Dossier, consent: AssistConsent, helper: User, option: str, amount: int,
                       clock: Clock) -> Receipt:
    now = clock.now()
    try:
        async with in_transaction() as conn:
            # The same lock the settlement takes: two recordings at once are decided one after the other.
            locked = await Dossier.filter(id=dossier.id).using_db(conn).select_for_update().get()
            if locked.channel != ONLINE and not await AssistConsent.filter(
                    dossier_id=dossier.id, declared_at__isnull=False).using_db(conn).exists():
                # Paying sends the dossier: only what the citizen declared (link, code or signed paper) goes.
                raise CashRefused(gettext("The citizen has not declared this dossier yet. Ask them to declare it "
                                          "before you take the fee."), reason="not_declared")
            paid = Payment.filter(dossier_id=dossier.id, purpose="fee", status=PaymentStatus.PAID, refund_due=False)
            if await paid.using_db(conn).exists():
                raise AlreadyPaid(gettext("The fee for this dossier is already paid: do not take the cash again."),
                                  reason="already_paid")
            payment = await Payment.create(
                txn_ref=f"TM{now:%y%m%d%H%M%S}{new_token(8)}", dossier_id=dossier.id,
                payer_id=dossier.applicant_id, purpose="fee", option=option if amount else "", amount=amount,
                description=order_info(f"Le phi ho so {dossier.code} (tien mat)"), expires_at=now,
                method=CASH, service_point_id=consent.service_point_id, using_db=conn,
            )
            checked = Callback(txn_ref=payment.txn_ref, amount=amount, response_code="00", transaction_status="00")
            if await settle(payment, checked, settled_by=helper) != "confirmed":
                raise _SecondCharge
            receipt = await Receipt.get(payment_id=payment.id, using_db=conn)
    except _SecondCharge:
        raise AlreadyPaid(gettext("The fee for this dossier is already paid: do not take the cash again."),
                          reason="already_paid") from None
    return receipt


async def cash_receipt(number: str, helper: User, clock: Clock) -> Receipt | None:
    """A receipt of cash this helper took, for a dossier they still hold a live consent for; None otherwise."""
    receipt = await Receipt.get_or_none(number=number[:24], payment__method=CASH,
                                        payment__settled_by_id=helper.id).select_related(
        "payment__service_point", "dossier__procedure", "dossier__agency")
    if receipt is None or await active_consent(helper, receipt.dossier_id, clock) is None:
        return None
    await access.opened(receipt.dossier, helper, "payment")  # the citizen's payment, seen by a helper (issue 21)
    return receipt
