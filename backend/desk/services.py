"""The officer desk: an agency's queue and the decisions officials take on dossiers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from backend.accounts.models import User
from backend.core import sql
from backend.core.clock import Clock
from backend.core.i18n import gettext
from backend.core.i18n import lazy_gettext as _
from backend.core.paging import Page
from backend.core.text import fold
from backend.desk import queries
from backend.dossiers import access, workflow
from backend.dossiers.access import Standing, visible_dossier, with_procedure
from backend.dossiers.constants import Status
from backend.dossiers.forms import MAX_TEXT, visible_fields
from backend.dossiers.models import Dossier, SupplementRequest
from backend.results import services as results
from backend.results.template import check_official
from backend.staff import services as staff

QUEUE_VIEWS = {
    "new": _("New"),
    "in_progress": _("In progress"),
    "supplement": _("Waiting for the citizen"),
    "due_soon": _("Due soon"),
    "overdue": _("Overdue"),
    "settled": _("Settled"),
}


PAGE_SIZE = 50
SETTLED_COUNT_CAP = 1000
"""Open queues are counted exactly; the settled one only up to this, then shown as "over 1,000": counting every
dossier an agency ever settled reads its whole history on each page view."""
ASSIGNED_FILTERS = {"": _("All"), "me": _("Assigned to me"), "none": _("Unassigned")}


async def queue_counts(agency_id: int, today: date) -> tuple[dict[str, int], dict]:
    """Every tab's count (the settled one capped), and the agency's name."""
    row = (await queries.counts_query(agency_id, today, SETTLED_COUNT_CAP).rows())[0]
    return {name: int(row[name] or 0) for name in QUEUE_VIEWS}, sql.as_json(row["agency_name"]) or {}


@dataclass(frozen=True)
class ProcedureSummary:
    title: dict
    fee: int
    fee_options: list | None


@dataclass(frozen=True)
class ApplicantSummary:
    full_name: str
    phone: str


@dataclass(frozen=True)
class QueueRow:
    """A dossier as its queue shows it."""

    id: int
    code: str
    status: Status
    due_date: date | None
    procedure: ProcedureSummary
    applicant: ApplicantSummary

    @classmethod
    def from_row(cls, row: dict) -> QueueRow:
        return cls(
            row["id"], row["code"], Status(row["status"]), sql.as_date(row["due_date"]),
            ProcedureSummary(sql.as_json(row["procedure_title"]), row["procedure_fee"],
                             sql.as_json(row["procedure_fee_options"])),
            ApplicantSummary(row["applicant_name"], row["applicant_phone"]),
        )


ORDER_LABELS = {"": _("The queue's own order"), "oldest": _("Oldest first"), "newest": _("Newest first")}


@dataclass
class Queue:
    agency_name: dict  # {language: name}
    view: str
    page: Page  # of QueueRow
    counts: dict[str, int]  # of the whole agency's views: the assignment filter narrows the page, not the counts
    cap: int
    assigned: str = ""
    order: str = ""

    @property
    def dossiers(self) -> list[QueueRow]:
        return self.page.items

    def capped(self, view: str) -> bool:
        return view == "settled" and self.counts[view] > self.cap


async def queue(
    officer: User, view: str = "new", page: int = 1, *, today: date, assigned: str = "", order: str = ""
) -> Queue | None:
    """One page of a queue view; ``today`` decides what is due soon or overdue; ``assigned`` (a key of
    ASSIGNED_FILTERS) narrows it; ``order`` (a key of ORDER_LABELS) is the official's choice of order."""
    agency_id = officer.agency_id
    if agency_id is None:  # officer_only lets officials of an agency in, no one else
        return None
    assigned = assigned if assigned in ASSIGNED_FILTERS else ""
    order = order if order in queries.ORDERS else ""
    query = queries.page_query(agency_id, view, today, assigned=assigned, user_id=officer.id,
                               limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE, order=order)
    if query is None:
        return None
    counts, agency_name = await queue_counts(agency_id, today)
    total = None if (view == "settled" and counts[view] > SETTLED_COUNT_CAP) or assigned else counts[view]
    rows = [QueueRow.from_row(row) for row in await query.rows()]
    listed = Page(rows[:PAGE_SIZE], page, PAGE_SIZE, len(rows) > PAGE_SIZE, total)
    return Queue(agency_name, view, listed, counts, SETTLED_COUNT_CAP, assigned, order)


async def search(officer: User, text: str, page: int = 1) -> Page | None:
    """The officer's agency's sent dossiers found by code, applicant's name or phone, or a name in the answers;
    None when ``text`` holds no word to look for."""
    words = [word.replace("_", "") for word in fold(text).split()][:queries.MAX_SEARCH_WORDS]
    words = [word for word in words if word]
    if officer.agency_id is None or not words:
        return None
    query = queries.search_query(officer.agency_id, words, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    rows = [QueueRow.from_row(row) for row in await query.rows()]
    await access.listed([row.id for row in rows[:PAGE_SIZE]], officer)  # a look-up of a person: logged (issue 21)
    return Page(rows[:PAGE_SIZE], page, PAGE_SIZE, len(rows) > PAGE_SIZE, None)


async def agency_dossier(code: str, officer: User) -> Dossier | None:
    """A dossier of the officer's own agency; drafts stay private to the citizen."""
    return await visible_dossier(code, officer, Standing.OFFICIAL, related=("procedure", "agency", "applicant"))


async def request_supplement(
    dossier: Dossier, officer: User, documents: list[str], fields: list[str], reason: str, *, clock: Clock
) -> dict[str, str]:
    """Ask the citizen for more; returns errors by field when the request would not say what to do."""
    workflow.check(dossier, "request_supplement", officer)
    known_docs = {d["key"] for d in dossier.procedure.documents}
    known_fields = {f["name"] for f in visible_fields(dossier.procedure.form, dossier.answers)}
    documents = [d for d in documents if d in known_docs]
    fields = [f for f in fields if f in known_fields]
    errors: dict[str, str] = {}
    if not documents and not fields:
        errors["items"] = gettext("Select at least one document or answer the citizen must fix")
    if not reason.strip():
        errors["reason"] = gettext("Explain in plain words what is wrong and what to do")
    elif len(reason.strip()) > MAX_TEXT:
        errors["reason"] = gettext("The explanation must be %(max)s characters or fewer", max=MAX_TEXT)
    if errors:
        return errors
    from_status = dossier.status

    async def record(conn) -> None:
        await SupplementRequest.create(
            dossier=dossier,
            documents=documents,
            fields_to_fix=fields,
            reason=reason.strip(),
            from_status=from_status,
            created_by=officer,
            using_db=conn,
        )

    await workflow.apply(dossier, "request_supplement", officer, clock=clock, note=reason.strip(), also=record)
    return {}


async def decide(
    dossier: Dossier, action: str, officer: User, note: str, issuer: results.ResultIssuer, *, clock: Clock,
    result_fields: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """Take a decision; an approval then issues the signed result (its failure never undoes the approval).

    ``result_fields``: the approve form, with what the procedure's result template asks the official to fill
    (registration number, book, page); errors by input name, and nothing done, when a required one is empty.
    Without it the result carries the answers alone."""
    official_values: dict[str, str] = {}
    if action == "approve" and result_fields is not None:
        workflow.check(dossier, action, officer)  # who may, and when, is said before what is missing
        await with_procedure(dossier)  # its version's result template
        official_values, errors = check_official(dossier.procedure.result_template, result_fields)
        if errors:
            return errors
    await workflow.apply(dossier, action, officer, clock=clock, note=note)
    if action == "approve":
        await results.issue_after_approval(dossier, issuer, officer, official_values)
    return {}


@dataclass(frozen=True)
class Assignment:
    """Who holds a dossier, and whom the signed-in lead may give it to (empty for anyone else)."""

    assignee: User | None
    choices: list[User]
    stale: bool = False
    """Assigned to someone who can no longer take it: deactivated, or of the agency it was transferred from (the
    desk's "unassigned" filter lists it)."""


async def assignment(dossier: Dossier, officer: User) -> Assignment:
    assignee = await User.get_or_none(id=dossier.assignee_id) if dossier.assignee_id else None
    stale = assignee is not None and (not assignee.active or assignee.agency_id != dossier.agency_id)
    choices = await staff.assignable(dossier.agency_id) if staff.may_assign(officer) else []
    return Assignment(assignee, choices, stale)


async def assign(dossier: Dossier, lead: User, raw: str) -> dict[str, str]:
    """A lead gives the dossier to an active official of its agency (or to nobody: ``raw`` empty)."""
    if not staff.may_assign(lead):
        return {"assignee": gettext("Only a lead of this agency can assign dossiers")}
    assignee, error = await staff.assignee_error(dossier.agency_id, raw)
    if error:
        return {"assignee": error}
    # Conditional on the agency: a dossier transferred meanwhile is not assigned to the agency it left.
    await Dossier.filter(id=dossier.id, agency_id=dossier.agency_id).update(
        assignee_id=assignee.id if assignee else None)
    dossier.assignee_id = assignee.id if assignee else None
    return {}


async def supplement_history(dossier: Dossier) -> list[SupplementRequest]:
    return await SupplementRequest.filter(dossier=dossier).order_by("-id")
