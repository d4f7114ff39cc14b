"""The one place a dossier event is written: its timeline row and its notification outbox row.

``record`` is subscribed to every ``DossierEvent`` (``register``, called by ``create_app``), so it runs inside
the transaction that publishes the event: the history, the news for the citizen and the change commit together.
"""

from __future__ import annotations

from typing import Any

from backend.core.events import Events
from backend.dossiers.events import DossierEvent
from backend.dossiers.models import NotificationOutbox, TimelineEvent


async def record(event: DossierEvent, conn: Any) -> None:
    """Write ``event`` on the dossier's timeline (with its kind) and, when the citizen is told, in the outbox."""
    dossier = event.dossier
    if event.on_timeline:
        await TimelineEvent.create(
            dossier_id=dossier.id,
            kind=event.kind,
            action=event.action,
            from_status=getattr(event, "from_status", dossier.status),
            to_status=getattr(event, "to_status", dossier.status),
            actor=event.actor,
            note=event.note,
            using_db=conn,
        )
    if event.news is not None:
        await NotificationOutbox.create(
            dossier_id=dossier.id,
            recipient_id=event.recipient_id,
            event=event.news,
            payload=event.payload(),
            using_db=conn,
        )


def register(events: Events) -> None:
    events.subscribe(DossierEvent, record)
