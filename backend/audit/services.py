"""Reading the access log: the agency lead's page of their officials' accesses (issue 21). Writing is ``log``."""

from __future__ import annotations

from backend.accounts.models import AgencyRole, Role, User
from backend.audit.models import AccessEntry
from backend.core.paging import Page, fetch_page

PAGE_SIZE = 30


def reads_agency_log(user: User | None) -> bool:
    """A lead or an agency administrator of an agency, still active: they answer for its officials' accesses."""
    return (user is not None and user.role is Role.OFFICER and user.agency_id is not None and user.active
            and user.role_in_agency in (AgencyRole.LEAD, AgencyRole.AGENCY_ADMIN))


async def agency_accesses(agency_id: int, page: int, *, flagged_only: bool = False,
                          actor_id: int | None = None) -> Page:
    """The accesses made in ``agency_id``'s name, newest first (its index: agency, at), one page of them."""
    query = AccessEntry.filter(agency_id=agency_id)
    if flagged_only:
        query = query.filter(flagged=True)
    if actor_id is not None:
        query = query.filter(actor_id=actor_id)
    return await fetch_page(query.order_by("-at", "-id"), page, PAGE_SIZE)


async def agency_official(agency_id: int, actor_id: int | None) -> AccessEntry | None:
    """The newest row of ``actor_id`` in the agency's log (for their name as it was): None for anyone else."""
    if actor_id is None:
        return None
    return await AccessEntry.filter(agency_id=agency_id, actor_id=actor_id).order_by("-at", "-id").first()
