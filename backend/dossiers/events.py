"""What happens to a dossier, as events (``backend.core.events``).

``DossierEvent`` is the base: ``history.record`` writes each one's timeline row (its ``kind``: a status change,
or another event that leaves the status as it is) and, when the citizen is told, its notification outbox row.
The workflow publishes the status changes below; other domains define their own events on this base (delivery,
payments, results: see the README, "Events") and publish them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from backend.dossiers.constants import Status

STATUS = "status"
"""Timeline kind: the dossier moved from one status to another (the public status lists only these)."""
OTHER = "event"
"""Timeline kind: something else happened (handed to the post, delivered...); the status stays."""


@dataclass(frozen=True, kw_only=True)
class DossierEvent:
    """Something that happened to ``dossier``, by ``actor`` (None: the system, the post...)."""

    dossier: Any
    actor: Any = None
    note: str = ""

    kind: ClassVar[str] = OTHER
    on_timeline: ClassVar[bool] = True
    """Whether the dossier's timeline shows it (its "What has happened" list)."""
    ACTION: ClassVar[str] = ""
    """The timeline row's ``action`` (the word templates and tests know it by), when it does not vary."""
    NEWS: ClassVar[str | None] = None
    """The outbox ``event`` telling the citizen (``notifications.messages``), or None: no message."""

    @property
    def action(self) -> str:
        return self.ACTION

    @property
    def news(self) -> str | None:
        return self.NEWS

    @property
    def recipient_id(self) -> int:
        return self.dossier.applicant_id

    def payload(self) -> dict[str, Any]:
        return {"code": self.dossier.code}


@dataclass(frozen=True, kw_only=True)
class StatusChanged(DossierEvent):
    """A workflow transition (``workflow.TRANSITIONS``): the citizen hears of each one."""

    transition: str
    from_status: Status
    to_status: Status

    kind: ClassVar[str] = STATUS

    @property
    def action(self) -> str:
        return self.transition

    @property
    def news(self) -> str | None:
        return self.transition

    def payload(self) -> dict[str, Any]:
        return {"code": self.dossier.code, "status": str(self.to_status)}


class Submitted(StatusChanged):
    """The citizen sent the dossier (``submit``)."""


class Received(StatusChanged):
    """The agency received it; its due date starts (``receive``)."""


class SupplementRequested(StatusChanged):
    """The agency asked for more (``request_supplement``)."""


class Supplemented(StatusChanged):
    """The citizen sent what was asked (``resubmit``)."""


class Approved(StatusChanged):
    """``approve``"""


class Refused(StatusChanged):
    """``refuse``"""


class Withdrawn(StatusChanged):
    """The citizen withdrew it (``withdraw``)."""


@dataclass(frozen=True, kw_only=True)
class Transferred(StatusChanged):
    """An official sent it on to another agency (``transfer``, ``dossiers.transfers``): it is sent again, waiting
    for that agency to receive it; ``note`` is the reason."""

    from_agency_id: int
    to_agency_id: int


BY_TRANSITION: dict[str, type[StatusChanged]] = {
    "submit": Submitted,
    "receive": Received,
    "request_supplement": SupplementRequested,
    "resubmit": Supplemented,
    "approve": Approved,
    "refuse": Refused,
    "withdraw": Withdrawn,
    "transfer": Transferred,
}
"""The event each transition publishes."""
