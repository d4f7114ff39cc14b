"""Periodic jobs: re-check payments stuck as pending (the gateway's IPN may never arrive), purge the callback log."""

from __future__ import annotations

import logging
from datetime import timedelta

from backend.core import clock
from backend.payments import services
from backend.payments.gateway import GatewayUnavailable, PaymentGateway
from backend.payments.models import Payment, PaymentCallback, PaymentStatus

log = logging.getLogger("portal.payments")
GIVE_UP_AFTER = timedelta(days=3)  # then staff reconcile the payment by hand
STOP_AFTER_FAILURES = 3  # the gateway is down: the rest of the batch waits for the next run


async def _batch(cutoff, size: int) -> list[Payment]:
    """Pending payments older than ``cutoff``, never checked first, then the longest since their last check.

    Two queries, because NULLs sort first on SQLite and last on PostgreSQL."""
    pending = Payment.filter(status=PaymentStatus.PENDING, created_at__lte=cutoff)
    batch = await pending.filter(checked_at__isnull=True).order_by("id").limit(size)
    if len(batch) < size:
        batch += await (pending.filter(checked_at__isnull=False).order_by("checked_at", "id")
                        .limit(size - len(batch)))
    return batch


async def recheck_pending(gateway: PaymentGateway, *, older_than: timedelta, batch: int = 20) -> int:
    """Ask the gateway (querydr) about at most ``batch`` payments pending for longer than ``older_than``.

    A result the gateway confirms is applied through the same path as the IPN (``services.settle``); a payment
    the gateway has no result for is left pending until its link expires, then marked expired. One still without
    a trustworthy answer ``GIVE_UP_AFTER`` its start is set aside as ``unresolved`` for staff (and no longer
    asked about). Every payment asked about gets ``checked_at``, so the next run takes others first. Returns how
    many payments changed state (settled, expired or unresolved).
    """
    now = clock.now()
    changed = 0
    failures = 0
    for payment in await _batch(now - older_than, batch):
        await Payment.filter(id=payment.id).update(checked_at=now)
        params = {"vnp_TxnRef": payment.txn_ref}
        try:
            result = await gateway.query(txn_ref=payment.txn_ref, order_info=payment.description,
                                         created=payment.created_at, ip_addr="127.0.0.1")
        except GatewayUnavailable as exc:
            log.warning("payment %s could not be re-checked: %s", payment.txn_ref, exc)
            changed += await _give_up_if_old(payment, now, "gateway_unavailable")
            failures += 1
            if failures >= STOP_AFTER_FAILURES:
                break
            continue
        failures = 0
        if result is None or result.unfinished:
            if now > payment.expires_at and await services.expire(payment):
                await services.record("query", {**params, "answer": "unfinished"}, "expired")
                changed += 1
            continue
        if result.amount != payment.amount or result.tmn_code != gateway.tmn_code:
            await services.record("query", {**params, "vnp_Amount": result.amount}, "bad_amount")
            log.warning("payment %s: the gateway reports %s VND, not %s", payment.txn_ref, result.amount,
                        payment.amount)
            changed += await _give_up_if_old(payment, now, "bad_amount")
            continue
        outcome = await services.settle(payment, result)
        await services.record("query", {**params, "vnp_TransactionStatus": result.transaction_status}, outcome)
        if outcome != "already_settled":
            changed += 1
    return changed


async def _give_up_if_old(payment: Payment, now, why: str) -> int:
    """Past ``GIVE_UP_AFTER``, a payment without a usable answer goes to staff: 1 if it was set aside now."""
    if now - payment.created_at < GIVE_UP_AFTER:
        return 0
    updated = await Payment.filter(id=payment.id, status=PaymentStatus.PENDING).update(
        status=PaymentStatus.UNRESOLVED)
    if updated:
        await services.record("query", {"vnp_TxnRef": payment.txn_ref}, "unresolved")
        log.error("payment %s: no usable answer from the gateway after %s (%s); to reconcile by hand",
                  payment.txn_ref, GIVE_UP_AFTER, why)
    return updated


async def purge_callbacks(older_than: timedelta) -> int:
    """Delete the gateway callback log rows older than ``older_than`` (say 90 days); returns how many."""
    return await PaymentCallback.filter(created_at__lt=clock.now() - older_than).delete()
