"""Housekeeping: rows that have served their purpose are deleted, by one process at a time.

The outbox worker runs it (``runtime.periodic_jobs``) in the web process and in every ``manage worker``; with
several of them, the first to take the database lock does the round and the others skip it. On PostgreSQL the
lock is ``pg_try_advisory_xact_lock``, released with the transaction even if the process dies. SQLite serves one
machine, usually one process: an in-process lock suffices there (and the deletes are harmless twice over).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from backend.accounts.models import OneTimeCode, SessionRecord
from backend.dossiers.models import NotificationOutbox
from backend.notifications.outbox import SENT

log = logging.getLogger(__name__)

LOCK = "portal housekeeping"
KEEP_CODES = timedelta(days=1)
"""Sign-in codes last minutes, but the codes sent in the last hour are what limits sending more: kept a day."""
KEEP_SENT = timedelta(days=30)
"""News already delivered stays a month, for support questions ("did the SMS about my dossier go out?")."""

Purge = Callable[[datetime], Awaitable[int]]
"""Another table's purge: deletes what expired by ``now``, returns how many rows."""

_local_locks: dict[str, asyncio.Lock] = {}


def lock_key(name: str) -> int:
    """The advisory lock's number for ``name`` (a signed 64-bit integer, as PostgreSQL takes it)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@asynccontextmanager
async def exclusive(name: str) -> AsyncIterator[BaseDBAsyncClient | None]:
    """A transaction that only one process holds for ``name`` at a time; ``None`` when another holds it."""
    async with in_transaction() as conn:
        if conn.capabilities.dialect == "postgres":
            _, rows = await conn.execute_query("SELECT pg_try_advisory_xact_lock($1) AS got", [lock_key(name)])
            yield conn if rows[0]["got"] else None
            return
        lock = _local_locks.setdefault(name, asyncio.Lock())
        if lock.locked():
            yield None
            return
        async with lock:
            yield conn


async def purge_expired(now: datetime, others: Sequence[tuple[str, Purge]] = ()) -> dict[str, int] | None:
    """Delete expired sessions, old sign-in codes, delivered news, then what ``others`` purge; how many of each.

    ``None`` when another process is doing it right now.
    """
    async with exclusive(LOCK) as conn:
        if conn is None:
            return None
        counts = {
            "sessions": await SessionRecord.filter(expires_at__lte=now).using_db(conn).delete(),
            "sign-in codes": await OneTimeCode.filter(created_at__lt=now - KEEP_CODES).using_db(conn).delete(),
            "sent notifications": await NotificationOutbox.filter(
                state=SENT, sent_at__lt=now - KEEP_SENT
            ).using_db(conn).delete(),
        }
        for name, purge in others:  # in the same transaction, so under the same lock
            counts[name] = await purge(now)
    if any(counts.values()):
        log.info("housekeeping deleted %s", ", ".join(f"{n} {what}" for what, n in counts.items() if n))
    return counts
