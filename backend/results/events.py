"""What results publish about a dossier (``backend.core.events``): news for the citizen, not on the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from backend.dossiers.events import DossierEvent


@dataclass(frozen=True, kw_only=True)
class ResultEvent(DossierEvent):
    result_code: str

    on_timeline: ClassVar[bool] = False  # the dossier page lists its results beside the timeline

    def payload(self) -> dict[str, Any]:
        return {"code": self.dossier.code, "result": self.result_code}


@dataclass(frozen=True, kw_only=True)
class ResultIssued(ResultEvent):
    """The signed result of an approved dossier is ready."""

    ACTION = NEWS = "result_ready"


@dataclass(frozen=True, kw_only=True)
class ResultReissued(ResultEvent):
    """A corrected result replaces the newest one."""

    ACTION = NEWS = "result_reissued"


@dataclass(frozen=True, kw_only=True)
class ResultRevoked(ResultEvent):
    """A result was revoked; anyone who checks it reads why."""

    ACTION = NEWS = "result_revoked"
