"""Who may see or act on a dossier: one rule for its pages, the JSON API and its downloads (documents, results).

A person stands to a dossier as its **applicant** (from the first draft on) or as an **official** of the agency
settling it (an officer of that agency, once the dossier is sent: drafts stay private to the citizen). One person
can be both (an official applying at their own agency); what they may then *do* is the workflow's business
(separation of duties, ``workflow.conflict_of_interest``). Nobody else sees a dossier, administrators included:
to everyone else its code looks unknown (HTTP 404, never 403, so that codes cannot be probed).

A **helper** (issue 20) stands to a dossier only through a citizen's live consent for it. That rule lives above this
layer (``backend.assisted``), which registers it here as a *standing source* at startup; ``visible_dossier`` asks
the sources only for a standing the page names (``Standing.HELPER``), so no other page opens to a helper.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum

from backend.accounts.models import Role, User
from backend.audit import log as audit
from backend.audit.flags import outside_assignment
from backend.catalogue.versions import definition_for
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier


class Standing(StrEnum):
    APPLICANT = "applicant"
    OFFICIAL = "official"
    HELPER = "helper"  # a helper with the citizen's live consent for this dossier (backend.assisted)


ANYONE_CONCERNED = (Standing.APPLICANT, Standing.OFFICIAL)
"""The API and the downloads: the applicant and the settling agency's officials alike (a helper only where a page
names ``Standing.HELPER``)."""

RULED_HERE = frozenset(ANYONE_CONCERNED)
"""The standings ``standings`` decides; the others come from the registered sources."""

StandingSource = Callable[[Dossier, User], Awaitable[set[Standing]]]
"""``async def source(dossier, user) -> set[Standing]``: standings a higher layer grants (never APPLICANT/OFFICIAL)."""

_SOURCES: dict[str, StandingSource] = {}


def register_standing_source(name: str, source: StandingSource) -> None:
    """At startup: ``source`` decides further standings (the same ``name`` again replaces it, e.g. a new clock)."""
    _SOURCES[name] = source


def unregister_standing_source(name: str) -> None:
    _SOURCES.pop(name, None)


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


async def stands_as(dossier: Dossier, user: User | None, *as_: Standing) -> bool:
    """``may_see`` with the registered sources too, asked only when ``as_`` names a standing they decide."""
    wanted = frozenset(as_ or ANYONE_CONCERNED)
    if not standings(dossier, user).isdisjoint(wanted):
        return True
    if user is None or wanted <= RULED_HERE:
        return False
    for source in _SOURCES.values():
        if not (await source(dossier, user) - RULED_HERE).isdisjoint(wanted):
            return True
    return False


async def visible_dossier(
    code: str, user: User | None, *as_: Standing, related: tuple[str, ...] = ("procedure", "agency"),
    what: str = "dossier",
) -> Dossier | None:
    """The dossier with this code if ``user`` stands to it as one of ``as_`` (by default: applicant or official;
    a helper only where ``as_`` names HELPER), else None (other people's codes look unknown). A sent dossier's
    procedure is as it was at the version the dossier was started on (its form, documents, result)."""
    dossier = await Dossier.get_or_none(code=code).select_related(*related)
    if dossier is None or not await stands_as(dossier, user, *as_):
        return None
    if user is not None and dossier.applicant_id != user.id:  # anyone else's look is logged (issue 21)
        await opened(dossier, user, what)
    if "procedure" in related and dossier.status is not Status.DRAFT:
        dossier.procedure = await definition_for(dossier)
    return dossier


async def opened(dossier: Dossier, user: User, what: str = "dossier") -> None:
    """Log that ``user`` (an official, a helper: not its applicant) opened ``what`` of ``dossier``, flagged as
    ``audit.flags.outside_assignment`` says. Pages that find a dossier without ``visible_dossier`` call this."""
    await audit.record(dossier.applicant_id, user, what, dossier_id=dossier.id,
                       flagged=outside_assignment(user, dossier.agency_id, dossier.assignee_id))


async def listed(dossier_ids: list[int], user: User, what: str = "dossier") -> None:
    """Log the dossiers a look-up showed ``user`` (a search for a person: its page of rows, so bounded)."""
    for dossier in await Dossier.filter(id__in=dossier_ids).only("id", "applicant_id", "agency_id", "assignee_id"):
        if dossier.applicant_id != user.id:
            await opened(dossier, user, what)


async def with_procedure(dossier: Dossier) -> Dossier:
    """(Re)load the dossier's procedure, as ``visible_dossier`` gives it: at the dossier's version once sent."""
    await dossier.fetch_related("procedure")
    if dossier.status is not Status.DRAFT:
        dossier.procedure = await definition_for(dossier)
    return dossier
