"""A citizen's list of dossiers ("My dossiers"): paged, newest first, reading only the columns the list shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend.accounts.models import User
from backend.catalogue.models import Procedure
from backend.core import sql
from backend.core.paging import Page
from backend.core.text import fold
from backend.dossiers.constants import Status

PAGE_SIZE = 20
SEARCH_KEY_LENGTH = 500


def search_key(code: str, applicant: User, answers: dict) -> str:
    """What the desk's search finds a sent dossier by (issue 22): its code, the applicant's name and phone, and
    every name the answers give (fields named ``*name``: the child, the mother...), folded as people type them."""
    phone = applicant.phone
    names = [value for key, value in answers.items() if key.endswith("name") and isinstance(value, str)]
    parts = [code, applicant.full_name, phone, "0" + phone[2:] if phone.startswith("84") else "", *names]
    return fold(" ".join(parts))[:SEARCH_KEY_LENGTH]


@dataclass(frozen=True)
class DossierRow:
    code: str
    status: Status
    updated_at: datetime | None
    title: dict
    first_page: str | None  # drafts only: where their form starts
    created_at: datetime | None = None  # a draft is named by its procedure and the day it was started

    @property
    def is_draft(self) -> bool:
        return self.status is Status.DRAFT


async def citizen_page(user: User, number: int = 1) -> Page:
    """Page ``number`` of ``user``'s dossiers, most recently changed first (idx_dossier_applicant, read
    backwards), in plain SQL (the ORM's datetime parsing and query building were a quarter of the page's time).
    The total is exact: a first page that is also the last holds them all (most citizens: no COUNT query);
    otherwise it counts index entries of one citizen only."""
    offset = (number - 1) * PAGE_SIZE
    rows = await citizen_query(user.id, limit=PAGE_SIZE + 1, offset=offset).rows()
    page = Page(rows[:PAGE_SIZE], number, PAGE_SIZE, len(rows) > PAGE_SIZE)
    if page.number == 1 and not page.has_next:
        page.total = len(page.items)
    else:
        counted = await sql.fetch('SELECT COUNT(*) AS n FROM "dossier" WHERE applicant_id = ?', user.id)
        page.total = int(counted[0]["n"])
    page.items = await _rows(page.items)
    return page


def citizen_query(user_id: int, *, limit: int, offset: int = 0) -> sql.Select:
    return sql.Select(
        'SELECT d.code, d.status, d.updated_at, d.created_at, d.procedure_id, p.title FROM "dossier" d'
        ' JOIN "procedure" p ON p.id = d.procedure_id WHERE d.applicant_id = ?'
        " ORDER BY d.updated_at DESC, d.id DESC LIMIT ? OFFSET ?",
        (user_id, limit, offset),
    )


async def _rows(values: list[dict]) -> list[DossierRow]:
    """A draft links to its form's first page, so only drafts' procedures have their form read, once each."""
    drafts = {row["procedure_id"] for row in values if Status(row["status"]) is Status.DRAFT}
    first_pages = {}
    if drafts:
        for procedure_id, form in await Procedure.filter(id__in=drafts).values_list("id", "form"):
            first_pages[procedure_id] = form[0]["key"] if form else None
    return [
        DossierRow(row["code"], Status(row["status"]), sql.as_datetime(row["updated_at"]), sql.as_json(row["title"]),
                   first_pages.get(row["procedure_id"]), sql.as_datetime(row["created_at"]))
        for row in values
    ]
