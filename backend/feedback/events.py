"""A low rating, as an event (issue 19, item 6): the questions domain, above this one, turns its "what went wrong"
into feedback the agency must answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from backend.dossiers.events import DossierEvent


@dataclass(frozen=True, kw_only=True)
class RatedLow(DossierEvent):
    """The citizen rated the settlement 1 or 2 and said what went wrong; not on the timeline, no news."""

    what_went_wrong: str
    on: date

    on_timeline: ClassVar[bool] = False
