"""The periodic job that re-checks payments stuck as pending: the gateway's IPN may never arrive."""

from __future__ import annotations

import logging
from datetime import timedelta

from backend.core import clock
from backend.payments import services
from backend.payments.gateway import GatewayUnavailable, PaymentGateway
from backend.payments.models import Payment, PaymentStatus

log = logging.getLogger("portal.payments")


async def recheck_pending(gateway: PaymentGateway, *, older_than: timedelta) -> int:
    """Ask the gateway (querydr) about every payment pending for longer than ``older_than``.

    A result the gateway confirms is applied through the same path as the IPN (``services.settle``); a payment
    the gateway has no result for is left pending until its link expires, then marked expired. Returns how many
    payments were settled.
    """
    now = clock.now()
    settled = 0
    cutoff = now - older_than
    pending = await Payment.filter(status=PaymentStatus.PENDING, created_at__lte=cutoff).order_by("id")
    for payment in pending:
        try:
            result = await gateway.query(txn_ref=payment.txn_ref, order_info=payment.description,
                                         created=payment.created_at, ip_addr="127.0.0.1")
        except GatewayUnavailable as exc:
            log.warning("payment %s could not be re-checked: %s", payment.txn_ref, exc)
            continue
        await Payment.filter(id=payment.id).update(checked_at=now)
        params = {"vnp_TxnRef": payment.txn_ref}
        if result is None or result.unfinished:
            if now > payment.expires_at and await services.expire(payment):
                await services.record("query", {**params, "answer": "unfinished"}, "expired")
                settled += 1
            continue
        if result.amount != payment.amount or result.tmn_code != gateway.tmn_code:
            await services.record("query", {**params, "vnp_Amount": result.amount}, "bad_amount")
            log.warning("payment %s: the gateway reports %s VND, not %s", payment.txn_ref, result.amount,
                        payment.amount)
            continue
        outcome = await services.settle(payment, result)
        await services.record("query", {**params, "vnp_TransactionStatus": result.transaction_status}, outcome)
        if outcome != "already_settled":
            settled += 1
    return settled
