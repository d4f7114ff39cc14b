"""Transfer (issue 17, item 5): an official finds another agency competent and sends the dossier on to it.

The checks (the target exists, is active, is another agency, offers the procedure; a reason is given) come first
and change nothing when they fail; then the workflow's ``transfer`` moves the dossier in one transaction: its
agency, its status back to "sent, waiting for the agency to receive it" with no due date (the receiving agency's
clock starts when it receives it), no assignee, this record, the timeline row and the citizen's news (the
``Transferred`` event). The sending agency loses the dossier (``access``: it follows ``Dossier.agency_id``) and
keeps only these records: its "Transferred out" list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backend.accounts.models import User
from backend.catalogue import agencies
from backend.catalogue.models import Agency
from backend.core.clock import Clock
from backend.core.i18n import gettext, localized
from backend.core.paging import Page, fetch_page
from backend.dossiers import workflow
from backend.dossiers.forms import MAX_TEXT
from backend.dossiers.models import Dossier, DossierTransfer, TimelineEvent

CANDIDATES = 20  # agencies listed at once on the transfer form: the search narrows them
PAGE_SIZE = 50


@dataclass(frozen=True)
class Candidates:
    """The agencies a dossier could go to, as the transfer form lists them (the current one left out)."""

    total: int
    items: list[Agency]


async def candidates(dossier: Dossier, *, q: str = "", province: str | None = None) -> Candidates:
    """Agencies that offer the dossier's procedure, by name (accents optional) and province."""
    total, found = await agencies.filing_agencies(
        dossier.procedure, province=province or None, q=q.strip() or None, limit=CANDIDATES + 1
    )
    others = [a for a in found if a.id != dossier.agency_id]
    return Candidates(total - (len(found) - len(others)), others[:CANDIDATES])


async def problems(dossier: Dossier, official: User, to_code: str, reason: str) -> tuple[dict[str, str], Agency | None]:
    """What stands in the way, by form field (``agency``, ``reason``); the target agency when it is a good one.
    Raises the workflow's refusals (HTTP 409, 403) when the dossier's state or the official's standing forbid it."""
    workflow.check(dossier, "transfer", official)
    errors: dict[str, str] = {}
    target = None
    code = to_code.strip()
    if not code:
        errors["agency"] = gettext("Choose the agency to transfer the dossier to")
    else:
        target = await Agency.get_or_none(code=code[:40])
        if target is None or not target.active:
            errors["agency"] = gettext("This agency is unknown or no longer active: choose one from the list")
        elif target.id == dossier.agency_id:
            errors["agency"] = gettext("The dossier is already at this agency: choose another one")
        elif not await agencies.offers(dossier.procedure, target):
            errors["agency"] = gettext("%(agency)s does not handle this procedure: choose an agency that does",
                                       agency=localized(target.name))
    if not reason.strip():
        errors["reason"] = gettext("Give the reason for the transfer: the citizen and the receiving agency read it")
    elif len(reason.strip()) > MAX_TEXT:
        errors["reason"] = gettext("The reason must be %(max)s characters or fewer", max=MAX_TEXT)
    return errors, (None if errors else target)


async def transfer(dossier: Dossier, official: User, to_code: str, reason: str, *, clock: Clock) -> dict[str, str]:
    """Send ``dossier`` on to the agency with code ``to_code``; errors by field, and nothing changed, when it
    cannot go there."""
    errors, target = await problems(dossier, official, to_code, reason)
    if errors or target is None:
        return errors
    from_agency_id, from_status, note = dossier.agency_id, dossier.status, reason.strip()

    async def record(conn: Any) -> None:
        await DossierTransfer.create(
            dossier_id=dossier.id, from_agency_id=from_agency_id, to_agency_id=target.id, official_id=official.id,
            reason=note, from_status=from_status, at=clock.now(), using_db=conn,
        )

    await workflow.apply(dossier, "transfer", official, clock=clock, note=note, to_agency=target, also=record)
    return {}


async def transferred_out(agency_id: int, page: int) -> Page:
    """One page of what ``agency_id`` transferred to others, newest first: code, date, target and reason only."""
    query = DossierTransfer.filter(from_agency_id=agency_id).order_by("-at", "-id")
    return await fetch_page(query, page, PAGE_SIZE, fields=(
        "at", "reason", "dossier__code", "to_agency__code", "to_agency__name"))


async def of_dossier(dossier_id: int) -> list[DossierTransfer]:
    """A dossier's transfers, oldest first, with both agencies (its pages and its public status show them)."""
    return await DossierTransfer.filter(dossier_id=dossier_id).select_related("from_agency", "to_agency").order_by(
        "id")


async def annotate(events: list[TimelineEvent]) -> list[TimelineEvent]:
    """Give each ``transfer`` row of a dossier's timeline its transfer (``event.transfer``: both agencies): the two
    are written in one transaction, so the n-th of one is the n-th of the other. No query without a transfer."""
    moves = [e for e in events if e.action == "transfer"]
    if moves:
        for event, record in zip(moves, await of_dossier(moves[0].dossier_id), strict=False):
            event.transfer = record  # for the templates only: not a column, never saved
    return events
