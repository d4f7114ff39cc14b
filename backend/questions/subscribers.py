"""How the questions domain hooks into the ones below it: a low rating becomes feedback, the procedure page shows
its published questions, the statistics count answers on time (``backend.subscribers`` calls ``register``)."""

from __future__ import annotations

from typing import Any

from backend.catalogue import controllers as catalogue
from backend.core.events import Events
from backend.feedback.events import RatedLow
from backend.questions import listing, services
from backend.statistics.index import register_feedback_counter


async def on_rated_low(event: RatedLow, conn: Any) -> None:
    """In the rating's transaction: its "what went wrong" is feedback the dossier's agency must answer."""
    await services.feedback_from_rating(event.dossier, event.what_went_wrong, event.on, conn)


def register(events: Events) -> None:
    events.subscribe(RatedLow, on_rated_low)
    catalogue.add_procedure_section(listing.on_procedure_page)
    register_feedback_counter(listing.on_time_by_agency)  # the satisfaction group's "feedback answered on time"
