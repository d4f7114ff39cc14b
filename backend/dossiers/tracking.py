"""A dossier's public status: what anyone holding its code may see on the tracking page and API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.dossiers.constants import Status
from backend.dossiers.events import STATUS
from backend.dossiers.models import Dossier, TimelineEvent

MAX_CODE_LENGTH = 32  # dossier.code's column


@dataclass
class PublicStatus:
    code: str
    procedure_code: str
    procedure: Any
    agency: Any
    status: Status
    submitted_at: Any
    received_at: Any
    due_date: Any
    settled_at: Any
    events: list[tuple[str, Any]] = field(default_factory=list)


async def public_status(code: str) -> PublicStatus | None:
    """What anyone holding a code may see: no names, no answers, no documents."""
    code = code.strip().upper()
    if len(code) > MAX_CODE_LENGTH:  # no dossier has such a code: not found, without asking the database
        return None
    # Only the columns shown: not the procedure's form and documents (kilobytes of JSON) on every look-up.
    dossier = await Dossier.filter(code=code).first().values(
        "id", "code", "status", "submitted_at", "received_at", "due_date", "settled_at",
        procedure_code="procedure__code", procedure="procedure__title", agency="agency__name")
    if dossier is None or dossier["status"] is Status.DRAFT:
        return None
    # Status changes only: handed to the post, delivered... leave the status as it was (dossiers.events).
    events = await TimelineEvent.filter(dossier_id=dossier.pop("id"), kind=STATUS).order_by(
        "created_at", "id").values_list("to_status", "created_at")
    return PublicStatus(**dossier, events=list(events))
