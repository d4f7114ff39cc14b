"""Where a dossier is filed: the receiving agency the citizen chooses, checked against the catalogue, changed only
while the dossier is a draft. The dossier's ``agency_id`` is the agency settling it: desk queues and access follow it.

A procedure filed at one agency (``filing_level`` ministry) keeps the catalogue's agency and asks nothing.
"""

from __future__ import annotations

from tortoise.expressions import Q

from backend.accounts.models import User
from backend.catalogue import agencies
from backend.catalogue.models import Agency, Procedure
from backend.core import clock
from backend.core.i18n import gettext, localized
from backend.dossiers import workflow
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier

MAX_CODE = 40  # Agency.code's length: a longer "code" is refused unread


class AgencyRefused(Exception):
    """The agency cannot receive this procedure's dossier; the message says why, for the citizen."""


def chosen_by_citizen(procedure: Procedure) -> bool:
    """The citizen chooses where to file: commune and province procedures, not ministry ones."""
    return getattr(procedure, "filing_level", "ministry") in ("commune", "province")


async def filing_agency(procedure: Procedure, code: str) -> Agency:
    """The agency with ``code`` if it takes this procedure's dossiers, else ``AgencyRefused``."""
    code = (code or "").strip()
    agency = await Agency.get_or_none(code=code) if code and len(code) <= MAX_CODE else None
    if agency is None:
        raise AgencyRefused(gettext("No agency has this code. Choose the agency from the list."))
    offered = await agencies.offers(procedure, agency) if chosen_by_citizen(procedure) else (
        agency.id == procedure.agency_id)  # filed at one agency: the catalogue's, as before
    if not offered:
        raise AgencyRefused(gettext(
            "%(agency)s does not take applications for this procedure. Choose another agency.",
            agency=localized(agency.name),
        ))
    return agency


async def sole_agency(procedure: Procedure) -> Agency | None:
    """The only agency where the procedure can be filed, when there is one: nothing to choose."""
    if not chosen_by_citizen(procedure):
        return await Agency.get(id=procedure.agency_id)
    total, found = await agencies.filing_agencies(procedure, limit=1)
    return found[0] if total == 1 else None


async def last_choice(user: User, procedure: Procedure) -> Agency | None:
    """The agency of the citizen's most recent dossier for a procedure filed at the same level and kind of agency
    (the commune they filed a birth at is where they file a marriage), if it takes this procedure too."""
    same_kind = Q(procedure__filing_level=procedure.filing_level) & Q(procedure__filing_kind=procedure.filing_kind)
    latest = await Dossier.filter(Q(applicant=user) & same_kind).order_by("-id").select_related("agency").first()
    if latest is None or not await agencies.offers(procedure, latest.agency):
        return None
    return latest.agency


async def no_longer_offered(dossier: Dossier) -> str | None:
    """Why the draft's agency cannot receive it any more (closed, or the catalogue narrowed the procedure since it
    was chosen), or None: checked again when it is sent."""
    if not chosen_by_citizen(dossier.procedure):
        return None
    agency = dossier.agency if isinstance(dossier.agency, Agency) else await Agency.get(id=dossier.agency_id)
    if await agencies.offers(dossier.procedure, agency):
        return None
    return gettext("%(agency)s no longer takes applications for this procedure. Choose another agency.",
                   agency=localized(agency.name))


def sent_already() -> str:
    return gettext("This dossier has been sent: the agency that receives it can no longer be changed. If it is the "
                   "wrong agency, its officials can transfer it to the right one.")


async def change_agency(dossier: Dossier, agency: Agency) -> None:
    """File the draft at ``agency`` (already checked by ``filing_agency``); refused once the dossier was sent."""
    changed = await Dossier.filter(id=dossier.id, status=Status.DRAFT).update(agency_id=agency.id,
                                                                             updated_at=clock.now())
    if not changed:
        raise workflow.TransitionRefused(sent_already())
    dossier.agency_id, dossier.agency = agency.id, agency
