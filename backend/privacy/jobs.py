"""The personal-data work the outbox worker does besides notifications (no queue of its own): build the copies
citizens asked for, apply the retention file, complete the closure requests that fell due."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from backend.core import clock
from backend.notifications.worker import PeriodicJob
from backend.privacy import closure, export, retention
from backend.storage import Storage


def privacy_jobs(storage: Storage) -> list[PeriodicJob]:
    name = f"{socket.gethostname()}-{os.getpid()}"
    return [
        # A copy is ready within a minute: look for new requests every few seconds (a claim is one UPDATE).
        PeriodicJob("data exports", timedelta(seconds=3), lambda: export.build_waiting(storage, name)),
        PeriodicJob("retention", timedelta(hours=1), lambda: retention.apply(clock.now(), storage)),
        PeriodicJob("account closures", timedelta(minutes=15), lambda: closure.complete_due(storage)),
    ]
