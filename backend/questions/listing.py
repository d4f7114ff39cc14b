"""Lists of questions: published ones (search without accents), a procedure's, an agency's desk list, the public
overdue board, the asker's own, and the on-time share the statistics count (issue 19, satisfaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tortoise.expressions import F, Q
from tortoise.functions import Count

from backend.accounts.models import User
from backend.catalogue.models import Procedure
from backend.core.paging import Page, fetch_page
from backend.core.text import words
from backend.questions.models import Question

PAGE_SIZE = 20
ON_PROCEDURE_PAGE = 5


def _public():
    return Question.filter(published_at__isnull=False, hidden=False)


async def published(q: str, number: int, *, procedure_id: int | None = None) -> Page:
    """Published pairs, newest first; ``q`` matches their folded words (accents and case ignored)."""
    query = _public()
    if procedure_id is not None:
        query = query.filter(procedure_id=procedure_id)
    for word in words(q)[:8]:
        query = query.filter(search_key__contains=word)
    return await fetch_page(query.order_by("-published_at", "-id").prefetch_related("procedure"), number, PAGE_SIZE)


async def on_procedure_page(procedure: Procedure) -> dict[str, Any]:
    """The procedure page's section (``catalogue.controllers.add_procedure_section``)."""
    latest = await _public().filter(procedure_id=procedure.id).order_by("-published_at", "-id").limit(
        ON_PROCEDURE_PAGE + 1).prefetch_related("procedure")
    return {"published_questions": latest[:ON_PROCEDURE_PAGE], "more_questions": len(latest) > ON_PROCEDURE_PAGE}


def _late(today: date) -> Q:
    """Not answered, not hidden, and its date passed: classification's while unclassified, else the answer's."""
    return Q(answered_on__isnull=True, hidden=False) & (
        Q(kind__isnull=True, classify_by__lt=today) | Q(kind__isnull=False, due_on__lt=today))


async def overdue(agency_id: int, today: date, number: int) -> Page:
    """The public board: what an agency has not answered in time, oldest deadline first; no text, no asker."""
    query = Question.filter(_late(today), agency_id=agency_id).order_by("due_on", "classify_by", "id")
    return await fetch_page(query.prefetch_related("procedure"), number, PAGE_SIZE,
                            total=await Question.filter(_late(today), agency_id=agency_id).count())


DESK_VIEWS = ("open", "answered")


async def for_desk(official: User, view: str, number: int) -> Page:
    """The official's agency's questions: open ones by their deadline, answered ones latest first."""
    query = Question.filter(agency_id=official.agency_id)
    if view == "answered":
        query = query.filter(answered_on__isnull=False).order_by("-answered_on", "-id")
    else:
        query = query.filter(answered_on__isnull=True, hidden=False).order_by("due_on", "classify_by", "id")
    return await fetch_page(query.prefetch_related("procedure"), number, PAGE_SIZE)


async def mine(asker: User, number: int) -> Page:
    query = Question.filter(asker_id=asker.id).order_by("-id").prefetch_related("procedure")
    return await fetch_page(query, number, PAGE_SIZE)


@dataclass(frozen=True)
class OnTime:
    """Questions of an agency due in a month: how many, and how many were answered by their due date."""

    due: int
    on_time: int

    @property
    def share(self) -> float | None:
        return self.on_time / self.due if self.due else None


def _month(month: date | str) -> tuple[date, date]:
    first = date.fromisoformat(f"{month}-01") if isinstance(month, str) else month.replace(day=1)
    following = first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)
    return first, following


async def answered_on_time(agency_id: int, month: date | str) -> OnTime:
    """For the statistics' satisfaction group: of the classified questions due in ``month`` (a ``date`` in it, or
    ``"2026-12"``) at ``agency_id``, those answered by their due date. Still unanswered counts as late; hidden
    (abuse) does not count."""
    first, following = _month(month)
    due, on_time = (await on_time_by_agency([agency_id], first, following - timedelta(days=1))).get(agency_id, (0, 0))
    return OnTime(due=due, on_time=on_time)


async def on_time_by_agency(agency_ids: list[int], first: date, last: date) -> dict[int, tuple[int, int]]:
    """``statistics.index.register_feedback_counter``'s counter: per agency, the classified questions due from
    ``first`` to ``last`` (both included) and, of them, those answered by their due date; hidden ones left out."""
    due = Question.filter(agency_id__in=agency_ids, hidden=False, due_on__gte=first, due_on__lte=last)
    on_time = due.filter(answered_on__isnull=False, answered_on__lte=F("due_on"))
    counts: dict[int, list[int]] = {}
    for index, query in enumerate((due, on_time)):
        for row in await query.annotate(n=Count("id")).group_by("agency_id").values("agency_id", "n"):
            counts.setdefault(row["agency_id"], [0, 0])[index] = row["n"]
    return {agency: (total, in_time) for agency, (total, in_time) in counts.items()}
