"""The officer desk: an agency's queue and the decisions officials take on dossiers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backend.accounts.models import User
from backend.catalogue.models import Agency
from backend.core import clock
from backend.core.calendar import add_working_days
from backend.core.i18n import gettext
from backend.core.i18n import lazy_gettext as _
from backend.dossiers import workflow
from backend.dossiers.constants import Status
from backend.dossiers.forms import MAX_TEXT, all_fields
from backend.dossiers.models import Dossier, SupplementRequest
from backend.results import services as results

DUE_SOON_WORKING_DAYS = 2

QUEUE_VIEWS = {
    "new": _("New"),
    "in_progress": _("In progress"),
    "supplement": _("Waiting for the citizen"),
    "due_soon": _("Due soon"),
    "overdue": _("Overdue"),
    "settled": _("Settled"),
}


def _view_query(agency_id: int, view: str, today: date):
    query = Dossier.filter(agency_id=agency_id)
    match view:
        case "new":
            return query.filter(status=Status.SUBMITTED).order_by("submitted_at")
        case "in_progress":
            return query.filter(status=Status.IN_PROGRESS).order_by("due_date")
        case "supplement":
            return query.filter(status=Status.SUPPLEMENT_REQUESTED).order_by("updated_at")
        case "due_soon":
            limit = add_working_days(today, DUE_SOON_WORKING_DAYS)
            return query.filter(status=Status.IN_PROGRESS, due_date__gte=today, due_date__lte=limit).order_by(
                "due_date"
            )
        case "overdue":
            return query.filter(status=Status.IN_PROGRESS, due_date__lt=today).order_by("due_date")
        case "settled":
            return query.filter(status__in=[Status.APPROVED, Status.REFUSED]).order_by("-settled_at")
    return None


@dataclass
class Queue:
    agency: Agency
    view: str
    dossiers: list[Dossier]
    counts: dict[str, int]


async def queue(officer: User, view: str = "new") -> Queue | None:
    today = clock.today()
    base = _view_query(officer.agency_id, view, today)
    if base is None:
        return None
    counts = {name: await _view_query(officer.agency_id, name, today).count() for name in QUEUE_VIEWS}
    dossiers = await base.select_related("procedure", "applicant").limit(200)
    return Queue(await Agency.get(id=officer.agency_id), view, dossiers, counts)


async def agency_dossier(code: str, officer: User) -> Dossier | None:
    """A dossier of the officer's own agency; drafts stay private to the citizen."""
    dossier = await Dossier.get_or_none(code=code, agency_id=officer.agency_id).select_related(
        "procedure", "agency", "applicant"
    )
    if dossier is None or dossier.status is Status.DRAFT:
        return None
    return dossier


async def request_supplement(
    dossier: Dossier, officer: User, documents: list[str], fields: list[str], reason: str
) -> dict[str, str]:
    """Ask the citizen for more; returns errors by field when the request would not say what to do."""
    workflow.check(dossier, "request_supplement", officer)
    known_docs = {d["key"] for d in dossier.procedure.documents}
    known_fields = {f["name"] for f in all_fields(dossier.procedure.form)}
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

    await workflow.apply(dossier, "request_supplement", officer, note=reason.strip(), also=record)
    return {}


async def decide(dossier: Dossier, action: str, officer: User, note: str, issuer: results.ResultIssuer) -> Dossier:
    """Take a decision; an approval then issues the signed result (its failure never undoes the approval)."""
    await workflow.apply(dossier, action, officer, note=note)
    if action == "approve":
        await results.issue_after_approval(dossier, issuer, officer)
    return dossier


async def supplement_history(dossier: Dossier) -> list[SupplementRequest]:
    return await SupplementRequest.filter(dossier=dossier).order_by("-id")
