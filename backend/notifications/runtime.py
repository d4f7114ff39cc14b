"""Putting the notification machinery together, for the web process (``make run``) and ``manage worker`` alike."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx

from backend.core import clock
from backend.notifications.housekeeping import purge_expired
from backend.notifications.push import PushSender, push_session
from backend.notifications.vapid import VapidKeys, load_or_create
from backend.notifications.worker import OutboxWorker, PeriodicJob
from backend.settings import Settings
from backend.sms.gateway import HttpSmsGateway


def periodic_jobs(settings: Settings, client: httpx.AsyncClient) -> list[PeriodicJob]:
    """What a worker does besides delivering notifications, in the web process or its own alike."""
    import backend.delivery.payment  # noqa: F401  (registers what a paid delivery fee does)
    from backend.limits.services import purge_expired as purge_rate_counters
    from backend.payments.gateway import VnpayGateway
    from backend.payments.jobs import purge_callbacks, recheck_pending
    from backend.pwa.idempotency import purge_idempotency
    from backend.statistics.rollup import run_incremental

    gateway = VnpayGateway.from_settings(settings, client)
    return [
        # The IPN is the truth; a payment it never confirmed is asked about with the gateway's query call.
        PeriodicJob("re-check pending payments", timedelta(minutes=5),
                    lambda: recheck_pending(gateway, older_than=timedelta(minutes=15))),
        # The public statistics read roll-ups only: what changed since the last run, recomputed by day.
        PeriodicJob("statistics roll-up", timedelta(minutes=10), run_incremental),
        PeriodicJob("housekeeping", timedelta(hours=1), lambda: purge_expired(clock.now(), [
            # An offline draft is replayed within days; a key kept longer only grows the table.
            ("idempotency keys", lambda now: purge_idempotency(timedelta(days=7))),
            ("gateway callbacks", lambda now: purge_callbacks(timedelta(days=90))),
            ("rate-limit counters", purge_rate_counters),
        ])),
    ]


def vapid_keys(settings: Settings) -> VapidKeys:
    return load_or_create(settings.vapid_key_path, settings.vapid_subject)


@asynccontextmanager
async def outbox_worker(
    settings: Settings, sms: HttpSmsGateway, jobs: list[PeriodicJob], keys: VapidKeys | None = None
) -> AsyncIterator[OutboxWorker]:
    """A worker with its own connection pool to push services, closed on exit. ``keys``: already read, if so."""
    async with push_session(allow_loopback=settings.demo_mode) as session:
        sender = PushSender(keys or vapid_keys(settings), session, timeout=settings.push_timeout)
        yield OutboxWorker(sender, sms, settings.base_url, jobs=jobs)


@asynccontextmanager
async def running(worker: OutboxWorker) -> AsyncIterator[None]:
    """Run ``worker`` in the background for the duration of the block; stop it cleanly after."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_forever(stop))
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=15)
