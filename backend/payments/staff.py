"""What an agency's officials close by hand on /desk/payments: a refund made, a payment the gateway never confirmed
(counted as paid once the bank confirmed it, or not paid). Each records who did it and when; each applies once."""

from __future__ import annotations

import logging

from backend.accounts.models import Role, User
from backend.core import clock
from backend.core.i18n import gettext
from backend.dossiers import access
from backend.dossiers.workflow import conflict_of_interest
from backend.payments import services
from backend.payments.gateway import Callback
from backend.payments.models import Payment, PaymentStatus

log = logging.getLogger("portal.payments")
S = PaymentStatus
ACTIONS = ("refunded", "paid", "not_paid")


async def agency_payment(txn_ref: str, user: User) -> Payment | None:
    """One of the payments of ``user``'s agency; None for another agency's, an unknown one, or a non-official."""
    if user.role is not Role.OFFICER or user.agency_id is None or not services.looks_like_txn_ref(txn_ref):
        return None
    payment = await Payment.get_or_none(txn_ref=txn_ref, dossier__agency_id=user.agency_id).select_related("dossier")
    if payment is not None:
        await access.opened(payment.dossier, user, "payment")  # an official acting on a citizen's payment (issue 21)
    return payment


def conflict(payment: Payment, user: User) -> str | None:
    """Separation of duties: why ``user`` must leave this payment to a colleague (they applied for its dossier, are
    named in it, or paid it), or None. ``payment.dossier`` must be loaded."""
    if (why := conflict_of_interest(payment.dossier, user)) is not None:
        return why
    if payment.payer_id == user.id:
        return gettext("You made this payment: another official must handle it.")
    return None


async def act(payment: Payment, action: str, user: User) -> bool:
    """Apply ``action`` (one of ``ACTIONS``); False when it no longer applies (done by a colleague or settled by
    the gateway meanwhile)."""
    now = clock.now()
    if action == "refunded":
        done = await Payment.filter(id=payment.id, status=S.PAID, refund_due=True, refunded_at__isnull=True).update(
            refunded_at=now, refunded_by_id=user.id)
    elif action == "not_paid":
        done = await Payment.filter(id=payment.id, status=S.UNRESOLVED).update(
            status=S.FAILED, settled_at=now, settled_by_id=user.id)
    elif action == "paid" and payment.status is S.UNRESOLVED:
        # As if the gateway had confirmed it: the receipt is written, the purpose's handler runs (the dossier is
        # sent, the delivery paid), or it is a second charge to refund.
        checked = Callback(txn_ref=payment.txn_ref, amount=payment.amount, response_code="00", transaction_status="00")
        done = await services.settle(payment, checked, settled_by=user) != "already_settled"
    else:
        done = False
    if done:
        log.info("payment %s: %s, recorded by official %s", payment.txn_ref, action, user.id)
    return bool(done)
