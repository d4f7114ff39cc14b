"""Approved translations laid over the files in every process: loaded at startup, then polled."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from backend.core.text_store import STORE
from backend.translations.models import Proposal
from backend.translations.procedure_texts import forget_procedure_texts, refresh_procedure_texts

_live_since: datetime | None = None


async def refresh_live() -> int:
    """Lay approvals made since the last call (by any process) over the files; returns how many. Texts of
    procedures made in the editor become texts to translate first (their approvals need their source)."""
    global _live_since  # noqa: PLW0603 - one watermark per process, like the store it feeds
    await refresh_procedure_texts()
    query = Proposal.filter(state="approved")
    if _live_since is not None:
        query = query.filter(decided_at__gte=_live_since)
    count = 0
    for proposal in await query.order_by("decided_at", "id"):
        STORE.set_live(proposal.language, proposal.domain, proposal.msgid, proposal.text)
        if proposal.decided_at is not None:  # set with the approval
            _live_since = max(_live_since or proposal.decided_at, proposal.decided_at)
        count += 1
    return count


@asynccontextmanager
async def live_translations(every_seconds: float = 30) -> AsyncIterator[None]:
    """Load approvals at startup, then pick up other processes' approvals every ``every_seconds``."""
    await refresh_live()

    async def poll() -> None:
        while True:
            await asyncio.sleep(every_seconds)
            with contextlib.suppress(Exception):  # a database hiccup: try again next round
                await refresh_live()

    task = asyncio.create_task(poll())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def forget_live() -> None:
    """Drop approvals laid over the files in this process (tests start from the files)."""
    global _live_since  # noqa: PLW0603
    _live_since = None
    STORE.clear_live()
    forget_procedure_texts()
