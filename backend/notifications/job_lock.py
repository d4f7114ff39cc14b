"""One process at a time for each periodic job, on every machine that shares the database (issue 15, item 7).

With ``WORKERS=4`` and ``manage worker`` processes on several machines, every outbox worker runs the periodic
jobs (payment re-checks, housekeeping); the first to take a job's lock runs that round, the others skip it.
On PostgreSQL the lock is a session advisory lock held on a connection of its own for the job's length (the
job's queries use other connections, so its transactions commit as they go) and freed with that connection if
the process dies. SQLite has no such lock: a row of ``job_lock`` with a lease, taken by one conditional upsert,
and taken over once its lease has run out (a process killed in the middle frees it that way).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from tortoise import connections

from backend.core import clock
from backend.notifications.housekeeping import lock_key


@asynccontextmanager
async def alone(name: str, lease: timedelta) -> AsyncIterator[bool]:
    """``True`` when this process holds ``name`` until the block ends; ``False`` when another one holds it.
    ``lease`` bounds how long a dead holder keeps it on SQLite (PostgreSQL frees it with the connection)."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        async with conn.acquire_connection() as own:
            key = lock_key(f"job:{name}")
            got = await own.fetchval("SELECT pg_try_advisory_lock($1)", key)
            try:
                yield bool(got)
            finally:
                if got:
                    await own.execute("SELECT pg_advisory_unlock($1)", key)
        return
    holder, now = uuid.uuid4().hex, clock.now().timestamp()
    rows = await conn.execute_query_dict(
        'INSERT INTO "job_lock" ("name", "holder", "expires_at") VALUES (?, ?, ?) ON CONFLICT ("name") DO UPDATE'
        ' SET "holder" = excluded."holder", "expires_at" = excluded."expires_at"'
        ' WHERE "job_lock"."expires_at" < ? RETURNING "holder"',
        [name, holder, now + lease.total_seconds(), now],
    )
    got = bool(rows) and rows[0]["holder"] == holder
    try:
        yield got
    finally:
        if got:
            await conn.execute_query('DELETE FROM "job_lock" WHERE "name" = ? AND "holder" = ?', [name, holder])
