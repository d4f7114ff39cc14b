"""Claiming outbox rows: a lease per batch, so two workers never hold the same notification.

On PostgreSQL the candidates are read ``FOR UPDATE SKIP LOCKED`` inside the claiming transaction, so concurrent
workers take disjoint rows without waiting on each other. SQLite has one writer at a time, which gives the same
guarantee. Either way the claim is a conditional UPDATE (only rows whose lease is free), and the worker then reads
back the rows carrying its own claim token: a row is delivered by the one worker whose token it holds.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from backend.dossiers.models import NotificationOutbox

PENDING, SENT, FAILED = "pending", "sent", "failed"


def _due(now: datetime) -> Q:
    return (
        Q(state=PENDING)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    )


async def claim(worker: str, now: datetime, *, batch: int, lease: timedelta) -> list[NotificationOutbox]:
    """Take up to ``batch`` due rows for ``lease``; returns only rows this call now holds."""
    token = f"{worker[:40]}:{secrets.token_hex(6)}"
    async with in_transaction() as conn:
        ids = await (
            NotificationOutbox.filter(_due(now))
            .using_db(conn)
            .order_by("id")
            .limit(batch)
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)
        )
        if not ids:
            return []
        await NotificationOutbox.filter(_due(now), id__in=ids).using_db(conn).update(
            claimed_by=token, claimed_until=now + lease
        )
    return await NotificationOutbox.filter(claimed_by=token, state=PENDING).order_by("id")


async def finish(row: NotificationOutbox, **changes) -> bool:
    """Record the outcome, only if the claim is still ours (a lease that ran out belongs to someone else)."""
    updated = await NotificationOutbox.filter(id=row.id, claimed_by=row.claimed_by).update(
        claimed_by="", claimed_until=None, **changes
    )
    return updated == 1
