"""The outbox worker: every dossier change becomes a push to each of the citizen's devices, or an SMS.

Per row: push to every subscription not yet reached (a retry skips the ones that took it); a subscription the
push service calls gone (404/410) is removed; a temporary failure is retried with exponential backoff. When the
citizen has no device left, or push keeps failing past the last attempt, the SMS gateway sends the same news.
Rows of one dossier go out in order; different dossiers go out concurrently.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby

from backend.accounts.models import PushSubscription, User
from backend.core import clock
from backend.dossiers.models import Dossier, NotificationOutbox
from backend.notifications import outbox
from backend.notifications.job_lock import alone
from backend.notifications.messages import compose
from backend.notifications.push import Outcome, PushSender
from backend.sms.gateway import HttpSmsGateway, SmsError

log = logging.getLogger(__name__)
JOB_LEASE = timedelta(minutes=30)  # longer than any round takes: a dead holder's SQLite lock frees after it


@dataclass
class PeriodicJob:
    """Work the worker also does every ``every`` (the payment re-check, say)."""

    name: str
    every: timedelta
    run: Callable[[], Awaitable[object]]
    last_run: datetime | None = None


@dataclass
class OutboxWorker:
    push: PushSender
    sms: HttpSmsGateway
    base_url: str
    name: str = field(default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}")
    batch: int = 50
    lease: timedelta = timedelta(seconds=300)  # ten devices at the push timeout each fit well inside it
    max_attempts: int = 6
    backoff: timedelta = timedelta(seconds=10)
    concurrency: int = 16
    jobs: list[PeriodicJob] = field(default_factory=list)

    def retry_delay(self, attempts: int) -> timedelta:
        """10 s, 30 s, 1.5 min, 4.5 min... capped at an hour."""
        return min(self.backoff * 3 ** (attempts - 1), timedelta(hours=1))

    async def run_once(self, now: datetime | None = None) -> int:
        """Claim one batch of due rows and deliver them; returns how many rows were handled."""
        now = now or clock.now()
        rows = await outbox.claim(self.name, now, batch=self.batch, lease=self.lease)
        limit = asyncio.Semaphore(self.concurrency)

        async def in_order(dossier_rows: list[NotificationOutbox]) -> None:
            async with limit:
                for row in dossier_rows:
                    await self.deliver(row, now)

        def dossier_of(row: NotificationOutbox) -> int:  # 0: a question's news (no dossier), in order too
            return row.dossier_id or 0

        by_dossier = [list(g) for _, g in groupby(sorted(rows, key=dossier_of), key=dossier_of)]
        await asyncio.gather(*(in_order(group) for group in by_dossier))
        return len(rows)

    async def deliver(self, row: NotificationOutbox, now: datetime) -> None:
        try:
            await self._deliver(row, now)
        except Exception as exc:  # one bad row must not stop the others; it is retried like a network failure
            log.exception("notification %s could not be delivered", row.id)
            await self._retry_or_fail(row, now, f"{type(exc).__name__}: {exc}", list(row.delivered_to))

    async def _deliver(self, row: NotificationOutbox, now: datetime) -> None:
        if row.dossier_id is None:  # a public question's news: its language is in the payload
            language = str(row.payload.get("lang") or "vi")
        else:
            dossier = await Dossier.get(id=row.dossier_id).only("id", "code", "language")
            language = dossier.language or "vi"
        note = compose(row.event, row.payload, language)
        delivered = list(row.delivered_to)
        retry, errors = False, []
        for subscription in await PushSubscription.filter(user_id=row.recipient_id).order_by("id"):
            if subscription.id in delivered:
                continue
            result = await self.push.send(subscription, note.push_payload())
            if result.outcome is Outcome.DELIVERED:
                delivered.append(subscription.id)
                await PushSubscription.filter(id=subscription.id).update(last_success_at=now)
            elif result.outcome is Outcome.GONE:
                log.info("push subscription %s is gone (%s): removed", subscription.id, result.detail)
                await PushSubscription.filter(id=subscription.id).delete()
                errors.append(f"device {subscription.id} gone ({result.detail})")
            else:
                retry = retry or result.outcome is Outcome.RETRY
                errors.append(result.detail)
        if retry and row.attempts + 1 < self.max_attempts:
            await self._retry_or_fail(row, now, "; ".join(errors), delivered)
        elif delivered:
            await outbox.finish(row, state=outbox.SENT, sent_at=now, channel="push", delivered_to=delivered,
                                attempts=row.attempts + 1, last_error="; ".join(errors))
        else:  # no device, every device gone or refusing, or push kept failing: the same news by SMS
            await self._send_sms(row, now, note.sms_text(self.base_url), errors)

    async def _send_sms(self, row: NotificationOutbox, now: datetime, text: str, errors: list[str]) -> None:
        user = await User.get(id=row.recipient_id).only("id", "phone")
        if not user.phone.isdigit():  # no phone (filed in person with a helper) or a closed account: nobody to text
            await outbox.finish(row, state=outbox.SENT, sent_at=now, channel="none", attempts=row.attempts + 1,
                                last_error="; ".join([*errors, "no phone number to text"]))
            return
        try:
            await self.sms.send(user.phone, text)
        except SmsError as exc:
            await self._retry_or_fail(row, now, "; ".join([*errors, str(exc)]), list(row.delivered_to))
            return
        await outbox.finish(row, state=outbox.SENT, sent_at=now, channel="sms", attempts=row.attempts + 1,
                            last_error="; ".join(errors))

    async def _retry_or_fail(self, row: NotificationOutbox, now: datetime, error: str, delivered: list[int]) -> None:
        attempts = row.attempts + 1
        if attempts >= self.max_attempts:
            log.warning("notification %s failed after %s attempts: %s", row.id, attempts, error)
            await outbox.finish(row, state=outbox.FAILED, attempts=attempts, last_error=error[:2000],
                                delivered_to=delivered)
        else:
            await outbox.finish(row, attempts=attempts, next_attempt_at=now + self.retry_delay(attempts),
                                last_error=error[:2000], delivered_to=delivered)

    async def run_forever(self, stop: asyncio.Event, idle: float = 1.0) -> None:
        """Deliver until ``stop`` is set; sleeps ``idle`` seconds when there is nothing to do.

        Periodic jobs run in a task of their own: a slow gateway must not hold back the notifications.
        """
        log.info("outbox worker %s started", self.name)
        jobs = asyncio.create_task(self._run_jobs(stop, idle))
        try:
            while not stop.is_set():
                try:
                    handled = await self.run_once()
                except Exception:
                    log.exception("outbox worker %s: a round failed", self.name)
                    handled = 0
                if not handled:
                    await _sleep_unless(stop, idle)
        finally:
            await jobs

    async def _run_jobs(self, stop: asyncio.Event, idle: float) -> None:
        while not stop.is_set():
            for job in self.jobs:
                now = clock.now()
                if job.last_run is None or now - job.last_run >= job.every:
                    job.last_run = now
                    try:
                        async with alone(job.name, lease=max(job.every, JOB_LEASE)) as mine:
                            if mine:  # else another process runs this round
                                await job.run()
                    except Exception:
                        log.exception("periodic job %s failed", job.name)
            await _sleep_unless(stop, idle)


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
