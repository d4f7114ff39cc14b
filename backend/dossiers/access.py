"""Who may see or act on a dossier: one rule for its pages, the JSON API and its downloads (documents, results).

A person stands to a dossier as its **applicant** (from the first draft on) or as an **official** of the agency
settling it (an officer of that agency, once the dossier is sent: drafts stay private to the citizen). One person
can be both (an official applying at their own agency); what they may then *do* is the workflow's business
(separation of duties, ``workflow.conflict_of_interest``). Nobody else sees a dossier, administrators included:
to everyone else its code looks unknown (HTTP 404, never 403, so that codes cannot be probed).
"""

from __future__ import annotations

from enum import StrEnum

from backend.accounts.models import Role, User
from backend.catalogue.versions import definition_for
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier


class Standing(StrEnum):
    APPLICANT = "applicant"
    OFFICIAL = "official"


ANYONE_CONCERNED = (Standing.APPLICANT, Standing.OFFICIAL)
"""The API and the downloads: the applicant and the settling agency's officials alike."""


def standings(dossier: Dossier, user: User | None) -> frozenset[Standing]:
    """How ``user`` stands to ``dossier``: THE rule (empty for everyone who may not see it)."""
    if user is None:
        return frozenset()
    found = set()
    if dossier.applicant_id == user.id:
        found.add(Standing.APPLICANT)
    if (user.role is Role.OFFICER and user.agency_id is not None and user.agency_id == dossier.agency_id
            and dossier.status is not Status.DRAFT):
        found.add(Standing.OFFICIAL)
    return frozenset(found)


def may_see(dossier: Dossier, user: User | None, *as_: Standing) -> bool:
    """Whether ``user`` stands to ``dossier`` in one of the ways ``as_`` (by default: any)."""
    return not standings(dossier, user).isdisjoint(as_ or ANYONE_CONCERNED)


async def visible_dossier(
    code: str, user: User | None, *as_: Standing, related: tuple[str, ...] = ("procedure", "agency")
) -> Dossier | None:
    """The dossier with this code if ``may_see`` allows it, else None (other people's codes look unknown). A sent
    dossier's procedure is as it was at the version the dossier was started on (its form, documents, result)."""
    dossier = await Dossier.get_or_none(code=code).select_related(*related)
    if dossier is None or not may_see(dossier, user, *as_):
        return None
    if "procedure" in related and dossier.status is not Status.DRAFT:
        dossier.procedure = await definition_for(dossier)
    return dossier


async def with_procedure(dossier: Dossier) -> Dossier:
    """(Re)load the dossier's procedure, as ``visible_dossier`` gives it: at the dossier's version once sent."""
    await dossier.fetch_related("procedure")
    if dossier.status is not Status.DRAFT:
        dossier.procedure = await definition_for(dossier)
    return dossier
