"""Periodic jobs run in one process at a time (issue 15, item 7): every outbox worker, in each web process and
``manage worker``, runs them, and the job lock lets one of them do each round (PostgreSQL: an advisory lock;
SQLite: a row with a lease)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from tortoise import connections

from backend.core import clock
from backend.notifications.job_lock import alone
from backend.notifications.runtime import outbox_worker
from backend.notifications.worker import PeriodicJob

pytestmark = pytest.mark.integration


async def test_two_workers_run_a_periodic_job_once_a_round(portal):
    runs: list[str] = []

    def job(worker: str) -> PeriodicJob:
        async def run() -> None:
            runs.append(worker)
            await asyncio.sleep(0.5)  # as a round of gateway queries takes a while
        return PeriodicJob("probe", timedelta(hours=1), run)

    stop = asyncio.Event()
    sms = portal.adapters.sms_gateway
    async with outbox_worker(portal.settings, sms, [job("one")]) as one, \
            outbox_worker(portal.settings, sms, [job("two")]) as two:
        tasks = [asyncio.create_task(worker.run_forever(stop, idle=0.05)) for worker in (one, two)]
        await asyncio.sleep(1.5)
        stop.set()
        await asyncio.gather(*tasks)
    assert len(runs) == 1, runs


async def test_a_job_lock_is_held_by_one_and_free_after(portal):
    async with alone("probe", timedelta(minutes=5)) as first:
        async with alone("probe", timedelta(minutes=5)) as second:
            assert first and not second
        async with alone("another job", timedelta(minutes=5)) as other:
            assert other
    async with alone("probe", timedelta(minutes=5)) as again:
        assert again


async def test_a_dead_holders_lock_is_taken_over_once_its_lease_ends(portal):
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        pytest.skip("PostgreSQL frees an advisory lock with its holder's connection")
    expired = clock.now().timestamp() - 1
    await conn.execute_query('INSERT INTO "job_lock" VALUES (?, ?, ?)', ["probe", "dead-process", expired])
    async with alone("probe", timedelta(minutes=5)) as mine:
        assert mine
    await conn.execute_query('INSERT INTO "job_lock" VALUES (?, ?, ?)', ["probe", "alive", expired + 3600])
    async with alone("probe", timedelta(minutes=5)) as mine:
        assert not mine
