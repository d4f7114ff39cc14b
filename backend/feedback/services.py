"""Ratings of settled dossiers."""

from __future__ import annotations

from datetime import date

from tortoise.transactions import in_transaction

from backend.core.clock import today as system_today
from backend.core.events import publish
from backend.core.i18n import gettext
from backend.dossiers.constants import SETTLED
from backend.dossiers.models import Dossier
from backend.feedback.events import RatedLow
from backend.feedback.models import Rating

LOW = {"1", "2"}
"""Scores that ask what went wrong; the answer goes to the agency as feedback (issue 19, item 6)."""
MAX_WHAT_WENT_WRONG = 4000


async def rating_for(dossier: Dossier) -> Rating | None:
    return await Rating.get_or_none(dossier=dossier)


async def rate(dossier: Dossier, score_raw: str, comment: str, what_went_wrong: str = "", *,
               today: date | None = None) -> tuple[Rating | None, dict[str, str]]:
    """Record the citizen's rating once the dossier is settled; one rating per dossier, changeable. A score of 1
    or 2 asks what went wrong (else the comment says it): published as ``RatedLow`` with the rating, for the
    agency to answer (issue 19, item 6)."""
    errors: dict[str, str] = {}
    if dossier.status not in SETTLED:
        errors["score"] = gettext("You can rate a dossier once it is settled")
    elif score_raw not in {"1", "2", "3", "4", "5"}:
        errors["score"] = gettext("Choose a rating from 1 to 5")
    if len(comment) > 2000:
        errors["comment"] = gettext("Your comment must be 2000 characters or fewer")
    if score_raw in LOW and "score" not in errors:
        # Said in the comment box instead, it is the same news for the agency; said nowhere, nothing to answer.
        what_went_wrong = what_went_wrong.strip() or comment.strip()
        if len(what_went_wrong) > MAX_WHAT_WENT_WRONG:
            errors["what_went_wrong"] = gettext("What went wrong must be %(max)s characters or fewer",
                                                max=MAX_WHAT_WENT_WRONG)
    if errors:
        return None, errors
    async with in_transaction() as conn:
        rating, _ = await Rating.update_or_create(
            defaults={"score": int(score_raw), "comment": comment.strip()}, dossier=dossier, using_db=conn
        )
        if score_raw in LOW and what_went_wrong.strip():
            await publish(RatedLow(dossier=dossier, actor=None, what_went_wrong=what_went_wrong.strip(),
                                   on=today or system_today()), conn)
    return rating, {}
