"""A citizen's list of dossiers ("My dossiers"): paged, newest first, reading only the columns the list shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend.accounts.models import User
from backend.catalogue.models import Procedure
from backend.core.paging import Page, fetch_page
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier

PAGE_SIZE = 20
# Never the procedure's form, documents or FAQ (JSON of about 10 KB each), for every row.
FIELDS = ("code", "status", "updated_at", "procedure_id", "procedure__title")


@dataclass(frozen=True)
class DossierRow:
    code: str
    status: Status
    updated_at: datetime
    title: dict
    first_page: str | None  # drafts only: where their form starts

    @property
    def is_draft(self) -> bool:
        return self.status is Status.DRAFT


async def citizen_page(user: User, number: int = 1) -> Page:
    """Page ``number`` of ``user``'s dossiers, most recently changed first (idx_dossier_applicant, read
    backwards). The total is exact: a first page that is also the last holds them all (most citizens: no
    COUNT query); otherwise it counts index entries of one citizen only."""
    page = await fetch_page(citizen_query(user.id), number, PAGE_SIZE, fields=FIELDS)
    if page.number == 1 and not page.has_next:
        page.total = len(page.items)
    else:
        page.total = await Dossier.filter(applicant_id=user.id).count()
    page.items = await _rows(page.items)
    return page


def citizen_query(user_id: int):
    return Dossier.filter(applicant_id=user_id).order_by("-updated_at", "-id")


async def _rows(values: list[dict]) -> list[DossierRow]:
    """A draft links to its form's first page, so only drafts' procedures have their form read, once each."""
    drafts = {row["procedure_id"] for row in values if Status(row["status"]) is Status.DRAFT}
    first_pages = {}
    if drafts:
        for procedure_id, form in await Procedure.filter(id__in=drafts).values_list("id", "form"):
            first_pages[procedure_id] = form[0]["key"] if form else None
    return [
        DossierRow(row["code"], Status(row["status"]), row["updated_at"], row["procedure__title"],
                   first_pages.get(row["procedure_id"]))
        for row in values
    ]
