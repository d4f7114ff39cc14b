"""What home delivery publishes about a dossier (``backend.core.events``); none of these changes its status.

On the dossier's timeline each shows with its delivery words (``delivery/_macros.html``, ``stage_label``), never
as a status; the citizen is told of the handover code and of each tracking stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backend.delivery.constants import Stage
from backend.dossiers.events import DossierEvent


@dataclass(frozen=True, kw_only=True)
class HandoverCodeIssued(DossierEvent):
    """A handover code is ready for the citizen (the code itself goes by SMS, never in the outbox)."""

    NEWS = "delivery_code"


@dataclass(frozen=True, kw_only=True)
class HandedToPost(HandoverCodeIssued):
    """The official handed the result to the post: it has a tracking number, the citizen a code."""

    ACTION = f"delivery_{Stage.HANDED_OVER.value}"


@dataclass(frozen=True, kw_only=True)
class NewHandoverCode(HandoverCodeIssued):
    """After too many wrong codes at the door, the official issued a new one; the old one is void."""

    ACTION = "delivery_new_code"


@dataclass(frozen=True, kw_only=True)
class HandoverCodeLocked(DossierEvent):
    """Too many wrong codes at the door: the official sees it on the desk (no news for the citizen)."""

    ACTION = "delivery_code_locked"


@dataclass(frozen=True, kw_only=True)
class StageReported(DossierEvent):
    """The post reported a tracking stage (accepted, in transit, out for delivery, failed attempt, returned)."""

    stage: str

    NEWS = "delivery"

    @property
    def action(self) -> str:
        return f"delivery_{self.stage}"

    def payload(self) -> dict[str, Any]:
        return {"code": self.dossier.code, "stage": self.stage}


@dataclass(frozen=True, kw_only=True)
class Delivered(StageReported):
    """The post delivered the result, against the right handover code."""


def stage_reported(dossier: Any, stage: str, note: str = "") -> StageReported:
    """The event for a tracking stage the booking moved to."""
    kind = Delivered if stage == Stage.DELIVERED else StageReported
    return kind(dossier=dossier, stage=stage, note=note)
