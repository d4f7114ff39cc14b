"""Ratings of settled dossiers."""

from __future__ import annotations

from backend.core.i18n import gettext
from backend.dossiers.constants import SETTLED
from backend.dossiers.models import Dossier
from backend.feedback.models import Rating


async def rating_for(dossier: Dossier) -> Rating | None:
    return await Rating.get_or_none(dossier=dossier)


async def rate(dossier: Dossier, score_raw: str, comment: str) -> tuple[Rating | None, dict[str, str]]:
    """Record the citizen's rating once the dossier is settled; one rating per dossier, changeable."""
    errors: dict[str, str] = {}
    if dossier.status not in SETTLED:
        errors["score"] = gettext("You can rate a dossier once it is settled")
    elif score_raw not in {"1", "2", "3", "4", "5"}:
        errors["score"] = gettext("Choose a rating from 1 to 5")
    if len(comment) > 2000:
        errors["comment"] = gettext("Your comment must be 2000 characters or fewer")
    if errors:
        return None, errors
    rating, _ = await Rating.update_or_create(
        defaults={"score": int(score_raw), "comment": comment.strip()}, dossier=dossier
    )
    return rating, {}
