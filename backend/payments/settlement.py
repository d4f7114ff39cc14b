"""Settling payments from the gateway's signed answers: the IPN and, for payments stuck as pending, the query
job (``jobs``) or an official (``staff``).

Every answer is checked (signature, merchant, reference, amount) and logged. Settling is one transaction with
conditional UPDATEs: an answer repeated, or arriving twice at once, is applied once. The accepted payment
publishes ``PaymentReceived`` (its payer is told) and then does what it pays for (``purposes.on_paid``).
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

from tortoise.transactions import in_transaction

from backend.accounts.models import User
from backend.accounts.services import display_phone
from backend.core import clock
from backend.core.events import publish
from backend.dossiers.models import Dossier
from backend.dossiers.workflow import WorkflowError
from backend.payments.events import PaymentReceived
from backend.payments.gateway import Callback, PaymentGateway
from backend.payments.models import Payment, PaymentCallback, PaymentStatus, Receipt
from backend.payments.purposes import handler_for

log = logging.getLogger("portal.payments")
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
S = PaymentStatus

IPN_MESSAGES = {
    "00": "Confirm Success",
    "01": "Order not found",
    "02": "Order already confirmed",
    "04": "Invalid amount",
    "97": "Invalid signature",
    "99": "Unknown error",
}


def new_token(n: int) -> str:
    """``n`` characters that read aloud and type from paper without doubt (references, receipt numbers)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(n))


_TXN_REF = re.compile(r"[A-Za-z0-9_-]{1,34}")  # what a txn_ref of ours can look like
_MAX_PARAMS = 32
_MAX_KEY = 40
_MAX_VALUE = 255


def _kept_params(params: dict[str, Any]) -> dict[str, str]:
    """The parameters of a signed answer, few and short: a log, not a store for whatever is sent."""
    kept: dict[str, str] = {}
    for key, value in params.items():
        if len(kept) >= _MAX_PARAMS:
            break
        if isinstance(key, str) and len(key) <= _MAX_KEY:
            kept[key] = str(value)[:_MAX_VALUE]
    return kept


def looks_like_txn_ref(value: Any) -> str:
    """``value`` when it has the shape of a txn_ref, else ``""``."""
    return value if isinstance(value, str) and _TXN_REF.fullmatch(value) else ""


async def record(source: str, params: dict[str, Any], outcome: str, remote_addr: str = "") -> None:
    """Keep a well-signed answer from the gateway (or the query job's finding), its parameters few and short."""
    await PaymentCallback.create(source=source[:8], txn_ref=looks_like_txn_ref(params.get("vnp_TxnRef")),
                                 params=_kept_params(params), outcome=outcome[:40], remote_addr=remote_addr[:64])


async def refuse(source: str, params: dict, outcome: str, remote_addr: str) -> None:
    """A refused answer is logged; it is kept as a row only when well signed: anyone can send an unsigned one,
    and nobody may fill the table with them."""
    if outcome != "bad_signature":
        await record(source, params, outcome, remote_addr)
    log.warning("payment %s refused (%s): txn_ref=%r from %s", source, outcome,
                str(params.get("vnp_TxnRef", ""))[:40], remote_addr[:64])


async def receive_ipn(gateway: PaymentGateway, params: dict[str, str], remote_addr: str = "") -> str:
    """Check and apply an IPN; returns VNPay's RspCode (00, 01, 02, 04, 97)."""
    callback = gateway.verify(params)
    if callback is None or callback.tmn_code != gateway.tmn_code:
        await refuse("ipn", params, "bad_signature", remote_addr)
        return "97"
    payment = await Payment.get_or_none(txn_ref=callback.txn_ref)
    if payment is None:
        await refuse("ipn", params, "unknown_order", remote_addr)
        return "01"
    if callback.amount != payment.amount:
        await refuse("ipn", params, "bad_amount", remote_addr)
        return "04"
    outcome = await settle(payment, callback)
    await record("ipn", params, outcome, remote_addr)
    return "02" if outcome == "already_settled" else "00"


async def settle(payment: Payment, result: Callback, *, settled_by: User | None = None) -> str:
    """Apply a checked result to a payment, once: the path shared by the IPN and the query job.

    Returns ``confirmed``, ``confirmed_refund_due`` (a second charge for what was already paid), ``failed``,
    ``cancelled`` or ``already_settled``. ``settled_by``: the official who settles it by hand (payments/staff.py).
    """
    if result.succeeded:
        return await _confirm(payment, result, settled_by)
    status = S.CANCELLED if result.cancelled else S.FAILED
    updated = await Payment.filter(id=payment.id, status__in=[S.PENDING, S.UNRESOLVED]).update(
        status=status, settled_at=clock.now(), gateway_code=result.response_code[:8]
    )
    return str(status) if updated else "already_settled"


async def _confirm(payment: Payment, result: Callback, settled_by: User | None = None) -> str:
    now = clock.now()
    async with in_transaction() as conn:
        # Lock the dossier (PostgreSQL; SQLite writes one at a time): two attempts confirmed at once are
        # decided one after the other, so only one is accepted.
        await Dossier.filter(id=payment.dossier_id).using_db(conn).select_for_update().get()
        duplicate = await (
            Payment.filter(dossier_id=payment.dossier_id, purpose=payment.purpose, status=S.PAID, refund_due=False)
            .exclude(id=payment.id).using_db(conn).exists()
        )
        changes: dict[str, Any] = {
            "status": S.PAID, "settled_at": now, "gateway_code": result.response_code[:8],
            "transaction_no": result.transaction_no[:32], "bank_code": result.bank_code[:20],
        }
        if settled_by is not None:
            changes["settled_by_id"] = settled_by.id
        if duplicate:
            changes["refund_due"] = True
        else:
            changes["settles"] = f"{payment.dossier_id}:{payment.purpose}"
        # Money taken is recorded even after the portal gave up waiting (expired, unresolved).
        updated = await (
            Payment.filter(id=payment.id, status__in=[S.PENDING, S.EXPIRED, S.UNRESOLVED]).using_db(conn)
            .update(**changes)
        )
        if not updated:
            return "already_settled"
        for name, value in changes.items():
            setattr(payment, name, value)
        payer = await User.get(id=payment.payer_id, using_db=conn)
        receipt = await Receipt.create(
            number=f"BL-{clock.today():%y%m%d}-{new_token(6)}", payment_id=payment.id, dossier_id=payment.dossier_id,
            amount=payment.amount, paid_at=now, payer_name=payer.full_name or display_phone(payer.phone),
            purpose=payment.purpose, description=payment.description, using_db=conn,
        )
        if duplicate:
            log.warning("payment %s: dossier %s was already paid for %r; refund due",
                        payment.txn_ref, payment.dossier_id, payment.purpose)
            return "confirmed_refund_due"
        dossier = await Dossier.get(id=payment.dossier_id, using_db=conn)
        await publish(PaymentReceived(dossier=dossier, actor=settled_by, payment=payment, receipt=receipt), conn)
        handler = handler_for(payment.purpose)
        if handler is not None:
            try:
                async with in_transaction() as step:  # a savepoint: the payment stays recorded if this refuses
                    await handler(payment, step)
            except WorkflowError as exc:
                log.error("payment %s confirmed but its %r step was refused: %s", payment.txn_ref, payment.purpose,
                          exc)
    # The handler can find the payment pays for nothing any more (dossier sent meanwhile, delivery fee changed).
    return "confirmed_refund_due" if payment.refund_due else "confirmed"


async def expire(payment: Payment) -> bool:
    """The link expired and the gateway has no payment: the attempt is over (a new one can start)."""
    return bool(await Payment.filter(id=payment.id, status=S.PENDING).update(status=S.EXPIRED,
                                                                              settled_at=clock.now()))
