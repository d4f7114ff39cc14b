"""What assisted filing writes on a dossier's timeline (``backend.core.events``); none changes its status.

Each shows with its own words (``assisted/_macros.html``, ``event_label``); the citizen is told through the status
changes as for any dossier, so none of these sends news.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.dossiers.events import DossierEvent


@dataclass(frozen=True, kw_only=True)
class ConsentGranted(DossierEvent):
    """The citizen let a helper fill this dossier (by a code sent to their phone, or an identity checked in person)."""

    ACTION = "assist_granted"


@dataclass(frozen=True, kw_only=True)
class FiledWithHelp(DossierEvent):
    """The helper finished filling it and asked the citizen to declare (``actor``: the helper)."""

    ACTION = "assist_filed"


@dataclass(frozen=True, kw_only=True)
class DeclaredByCitizen(DossierEvent):
    """The citizen declared the answers true: on their own phone by the link (``how`` "link"), or by a code read out
    at the counter ("code")."""

    how: str

    @property
    def action(self) -> str:
        return f"assist_declared_{self.how}"


@dataclass(frozen=True, kw_only=True)
class AccessEnded(DossierEvent):
    """The citizen ended the helper's access."""

    ACTION = "assist_ended"
