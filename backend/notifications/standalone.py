"""``python -m backend.manage worker``: the outbox worker as its own process, for production.

Run the web processes with ``OUTBOX_WORKER=0`` and as many of these as needed: their claims never overlap.
SIGTERM or Ctrl-C lets the current round finish.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence

import httpx

from backend.notifications.runtime import outbox_worker, periodic_jobs
from backend.notifications.worker import PeriodicJob
from backend.settings import Settings
from backend.sms.gateway import HttpSmsGateway


async def run_worker(settings: Settings, extra: Sequence[PeriodicJob] = ()) -> None:
    """``extra``: jobs of higher layers (personal data), which this module cannot import."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with httpx.AsyncClient() as client:
        sms = HttpSmsGateway(settings.sms_url, settings.sms_api_key, client)
        async with outbox_worker(settings, sms, [*periodic_jobs(settings, client), *extra]) as worker:
            await worker.run_forever(stop)
