"""Payments: start one and send the citizen to the gateway; what pages show of them.

The IPN (and, for payments stuck as pending, the query job) is the truth: settling is in ``settlement``, whose
names stay importable from here. The return URL only shows what is recorded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from backend.accounts.models import Role, User
from backend.core import sql
from backend.core.clock import Clock
from backend.core.i18n import current_locale, gettext, local_path
from backend.core.templating import format_moment, format_vnd
from backend.core.text import fold
from backend.dossiers import access
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier
from backend.payments.gateway import PaymentGateway
from backend.payments.models import Payment, PaymentStatus, Receipt
from backend.payments.settlement import (  # noqa: F401 - callers' import path (controllers, jobs, staff, delivery)
    IPN_MESSAGES,
    expire,
    looks_like_txn_ref,
    new_token,
    receive_ipn,
    record,
    refuse,
    settle,
)

log = logging.getLogger("portal.payments")
PAYMENT_TTL = timedelta(minutes=15)
S = PaymentStatus


class PaymentRefused(Exception):
    """This payment cannot start (already paid, nothing to pay); ``str()`` is a sentence a person can read."""


async def start_payment(dossier: Dossier, user: User, purpose: str, amount: int, description: str,
                        *, clock: Clock, option: str = "") -> Payment:
    """A pending payment of ``amount`` VND for ``dossier``: the attempt still open, or a new one (new ``txn_ref``).

    While an attempt for the same amount has not expired, it is the one returned (same ``txn_ref``, same gateway
    page): pressing "Pay" twice cannot charge twice. Raises ``PaymentRefused`` when the amount is not positive,
    this dossier is already paid for ``purpose``, or an open attempt is for another amount.
    ``description`` is what the gateway shows and keeps (vnp_OrderInfo): it is sent without accents. ``clock``
    dates the attempt and its expiry.
    """
    if amount <= 0:
        raise PaymentRefused(gettext("There is nothing to pay."))
    now = clock.now()
    async with in_transaction() as conn:
        # Lock the dossier: two presses at once see each other's attempt.
        await Dossier.filter(id=dossier.id).using_db(conn).select_for_update().get()
        # A payment to refund does not pay for anything: the right amount can still be paid.
        paid = Payment.filter(dossier_id=dossier.id, purpose=purpose, status=S.PAID, refund_due=False)
        if await paid.using_db(conn).exists():
            raise PaymentRefused(gettext("This is already paid."))
        still_open = await open_attempt(dossier, purpose, conn, clock)
        if still_open is not None:
            if still_open.amount == amount and still_open.option == option:
                return still_open
            raise PaymentRefused(still_open_message(still_open))
        return await Payment.create(
            txn_ref=f"{now:%y%m%d%H%M%S}{new_token(8)}",
            dossier_id=dossier.id,
            payer_id=user.id,
            purpose=purpose,
            option=option,
            amount=amount,
            description=order_info(description),
            expires_at=now + PAYMENT_TTL,
            using_db=conn,
        )


async def open_attempt(dossier: Dossier, purpose: str, conn: Any, clock: Clock) -> Payment | None:
    """The attempt to pay still open at the gateway (pending, not expired at ``clock``'s time), if any; lock the
    dossier first."""
    return await (Payment.filter(dossier_id=dossier.id, purpose=purpose, status=S.PENDING, expires_at__gt=clock.now())
                  .using_db(conn).order_by("-id").first())


def still_open_message(payment: Payment) -> str:
    return gettext("You started paying %(amount)s and that payment is still open: finish it, or wait until %(time)s "
                   "to choose another fee.", amount=format_vnd(payment.amount), time=format_moment(payment.expires_at))


def order_info(text: str) -> str:
    """VNPay asks for Vietnamese without accents and without special characters."""
    folded = " ".join(fold(text).split())
    return (folded or "thanh toan")[:255]


def pay_url(gateway: PaymentGateway, payment: Payment, *, base_url: str, client_ip: str | None) -> str:
    """The signed gateway URL to redirect the citizen's browser to (it comes back to /payments/return on
    ``base_url``); ``client_ip`` is the citizen's address, which the gateway records."""
    return gateway.payment_url(
        txn_ref=payment.txn_ref,
        amount=payment.amount,
        order_info=payment.description,
        return_url=base_url.rstrip("/") + local_path("/payments/return"),
        ip_addr=client_ip or "127.0.0.1",
        created=payment.created_at,
        expires=payment.expires_at,
        locale=current_locale.get(),
    )


# -- what pages show ---------------------------------------------------------------------------------------------


@dataclass
class ReturnView:
    payment: Payment | None
    signature_ok: bool


async def returned(gateway: PaymentGateway, params: dict[str, str], user: User, remote_addr: str = "") -> ReturnView:
    """The payment the browser came back about: the signature is checked, nothing is changed."""
    callback = gateway.verify(params)
    if callback is None or callback.tmn_code != gateway.tmn_code:
        await refuse("return", params, "bad_signature", remote_addr)
        return ReturnView(None, False)
    payment = await Payment.get_or_none(txn_ref=callback.txn_ref, payer_id=user.id).select_related("dossier")
    return ReturnView(payment, True)


# What the waiting page stops waiting for (``unresolved`` still waits: the agency may yet confirm it).
SETTLED = frozenset({S.PAID.value, S.FAILED.value, S.CANCELLED.value, S.EXPIRED.value})


async def status_for(txn_ref: str, user: User) -> PaymentStatus | None:
    """The status of one of ``user``'s payments; None for another person's or an unknown reference."""
    if not looks_like_txn_ref(txn_ref):
        return None
    payment = await Payment.get_or_none(txn_ref=txn_ref, payer_id=user.id).only("id", "status")
    return payment.status if payment else None


async def receipt_for(number: str, user: User) -> Receipt | None:
    """A receipt its payer may read, or an official of the agency settling the dossier (once sent)."""
    receipt = await Receipt.get_or_none(number=number).select_related(
        "payment__service_point", "dossier__procedure", "dossier__agency")
    if receipt is None:
        return None
    if receipt.payment.payer_id == user.id:
        return receipt
    dossier = receipt.dossier
    if user.role is Role.OFFICER and user.agency_id == dossier.agency_id and dossier.status is not Status.DRAFT:
        await access.opened(dossier, user, "payment")  # an official's look at a citizen's payment (issue 21)
        return receipt
    return None


async def dossier_payments(dossier: Dossier) -> list[Payment]:
    """Every attempt to pay for this dossier, newest first, with its receipt when there is one."""
    return await (Payment.filter(dossier_id=dossier.id).select_related("refunded_by").prefetch_related("receipt")
                  .order_by("-id"))


async def latest_attempt(dossier: Dossier, purpose: str = "fee") -> Payment | None:
    return await Payment.filter(dossier_id=dossier.id, purpose=purpose).order_by("-id").first()


@dataclass
class FeeState:
    """What the official's queue shows about a dossier's payments."""

    paid: bool = False  # the fee was paid and accepted
    refund_due: int = 0  # second charges to refund (any purpose)
    unresolved: int = 0  # payments the gateway never answered about: to reconcile by hand


async def paid_state(dossier_ids: list[int], purpose: str = "fee") -> dict[int, FeeState]:
    """For the official's queue: the accepted fee of each dossier, and the payments that need someone (refunds
    due, payments to reconcile). Dossiers with none of these are left out. Plain SQL, four columns: the queue
    asks on every view (issue 15)."""
    states: dict[int, FeeState] = {}
    if not dossier_ids:
        return states
    marks = ", ".join("?" * len(dossier_ids))
    rows = await sql.fetch(
        'SELECT dossier_id, status, refund_due, refunded_at IS NULL AS unrefunded, purpose FROM "payment"'
        f" WHERE dossier_id IN ({marks}) AND status IN (?, ?)",
        *dossier_ids, S.PAID.value, S.UNRESOLVED.value,
    )
    for row in rows:
        state = states.setdefault(row["dossier_id"], FeeState())
        if row["status"] == S.UNRESOLVED:
            state.unresolved += 1
        elif row["refund_due"]:
            state.refund_due += bool(row["unrefunded"])
        elif row["purpose"] == purpose:
            state.paid = True
    return states


async def needing_staff(user: User) -> list[Payment]:
    """The payments of ``user``'s agency someone must act on: second charges to refund, payments the gateway
    never answered about. Drafts included: a payment never confirmed usually leaves its dossier a draft."""
    if user.role is not Role.OFFICER or user.agency_id is None:
        return []
    return await (
        Payment.filter(dossier__agency_id=user.agency_id)
        .filter(Q(status=S.PAID, refund_due=True, refunded_at__isnull=True) | Q(status=S.UNRESOLVED))
        .select_related("dossier__procedure", "payer").prefetch_related("receipt").order_by("created_at")
    )


async def receipt_of(payment: Payment) -> Receipt | None:
    return await Receipt.get_or_none(payment_id=payment.id)
