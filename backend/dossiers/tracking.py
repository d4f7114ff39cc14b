"""A dossier's public status: what anyone holding its code may see on the tracking page and API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.dossiers.constants import Status
from backend.dossiers.events import STATUS
from backend.dossiers.models import Dossier, DossierTransfer, TimelineEvent

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
    result_form: str = ""  # a code: pages and the API say it in words (display.result_form_label)
    events: list[tuple[str, Any]] = field(default_factory=list)
    transfers: list[tuple[Any, Any, Any]] = field(default_factory=list)
    """Each transfer to another agency: (from agency's name, to agency's name, when); never its reason."""


async def public_status(code: str) -> PublicStatus | None:
    """What anyone holding a code may see: no names, no answers, no documents."""
    code = code.strip().upper()
    if len(code) > MAX_CODE_LENGTH:  # no dossier has such a code: not found, without asking the database
        return None
    # Only the columns shown: not the procedure's form and documents (kilobytes of JSON) on every look-up.
    dossier = await Dossier.filter(code=code).first().values(
        "id", "code", "status", "submitted_at", "received_at", "due_date", "settled_at", "result_form",
        procedure_code="procedure__code", procedure="procedure__title", agency="agency__name")
    if dossier is None or dossier["status"] is Status.DRAFT:
        return None
    # Status changes only: handed to the post, delivered... leave the status as it was (dossiers.events).
    dossier_id = dossier.pop("id")
    rows = await TimelineEvent.filter(dossier_id=dossier_id, kind=STATUS).order_by(
        "created_at", "id").values_list("to_status", "created_at", "action")
    moves: list[Any] = []
    if any(action == "transfer" for *_, action in rows):  # read only for a dossier that was transferred
        moves = await DossierTransfer.filter(dossier_id=dossier_id).order_by("id").values_list(
            "from_agency__name", "to_agency__name", "at")
    return PublicStatus(**dossier, events=[(status, at) for status, at, _ in rows], transfers=list(moves))
