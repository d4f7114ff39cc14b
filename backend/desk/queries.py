"""The queue's reads in plain SQL: the page every official opens first and returns to after each decision.

Two statements per view, whatever it holds: the counts of every tab (with the settled count capped and the
agency's name), and one page of rows with what the table shows. Through the ORM the same page took seven
queries, and building them cost more CPU than running them (issue 15: the desk served 0.044x the requests of
a bare Litestar app). The plans are checked on PostgreSQL by tests/integration/test_indexes.py.
"""

from __future__ import annotations

from datetime import date

from backend.core.calendar import add_working_days
from backend.core.sql import Select

DUE_SOON_WORKING_DAYS = 2

# Each view: its condition, its date column and whether its newest come first by default; ``id`` breaks ties so
# that pages never repeat or skip a dossier. ``?`` are the view's own parameters, given by ``_view_params``.
_VIEWS = {
    "new": ("d.status = 'submitted'", "d.submitted_at", False),
    "in_progress": ("d.status = 'in_progress'", "d.due_date", False),
    "supplement": ("d.status = 'supplement_requested'", "d.updated_at", False),
    "due_soon": ("d.status = 'in_progress' AND d.due_date >= ? AND d.due_date <= ?", "d.due_date", False),
    "overdue": ("d.status = 'in_progress' AND d.due_date < ?", "d.due_date", False),
    # settled_at IS NOT NULL lets idx_dossier_settled be read backwards from the newest, skipping the agency's
    # open dossiers (NULLs come first in a descending order).
    "settled": ("d.status IN ('approved', 'refused') AND d.settled_at IS NOT NULL", "d.settled_at", True),
}
ORDERS = ("oldest", "newest")
"""The order an official may choose for a view (issue 22: kept across its pages); "" is the view's own."""
_ROW = (
    "SELECT d.id, d.code, d.status, d.due_date, p.title AS procedure_title, p.fee AS procedure_fee,"
    " p.fee_options AS procedure_fee_options, u.full_name AS applicant_name, u.phone AS applicant_phone"
    ' FROM "dossier" d JOIN "procedure" p ON p.id = d.procedure_id JOIN "user_account" u ON u.id = d.applicant_id'
)
MAX_SEARCH_WORDS = 5
# Assigned to nobody who can take it: nobody, a deactivated official, or one of another agency (after a transfer).
_UNASSIGNED = "(d.assignee_id IS NULL OR NOT a.active OR a.agency_id IS NULL OR a.agency_id <> d.agency_id)"


def due_soon_limit(today: date) -> date:
    return add_working_days(today, DUE_SOON_WORKING_DAYS)


def counts_query(agency_id: int, today: date, settled_cap: int) -> Select:
    """Every tab's count and the agency's name, in one statement; the settled count stops past ``settled_cap``.
    The open counts read ``status`` and ``due_date`` only, which idx_dossier_queue holds, so PostgreSQL answers
    from the index alone (at 4 million dossiers an agency's counts took 17-19 ms reading the table, 0.8 ms
    without)."""
    return Select(
        "SELECT"
        " COUNT(CASE WHEN d.status = 'submitted' THEN 1 END) AS \"new\","
        " COUNT(CASE WHEN d.status = 'in_progress' THEN 1 END) AS \"in_progress\","
        " COUNT(CASE WHEN d.status = 'supplement_requested' THEN 1 END) AS \"supplement\","
        " COUNT(CASE WHEN d.status = 'in_progress' AND d.due_date >= ? AND d.due_date <= ? THEN 1 END)"
        " AS \"due_soon\","
        " COUNT(CASE WHEN d.status = 'in_progress' AND d.due_date < ? THEN 1 END) AS \"overdue\","
        " (SELECT COUNT(*) FROM (SELECT 1 FROM \"dossier\" s WHERE s.agency_id = ?"
        "   AND s.status IN ('approved', 'refused') LIMIT ?) AS capped) AS \"settled\","
        " (SELECT g.name FROM \"agency\" g WHERE g.id = ?) AS \"agency_name\""
        " FROM \"dossier\" d"
        " WHERE d.agency_id = ? AND d.status IN ('submitted', 'in_progress', 'supplement_requested')",
        (today, due_soon_limit(today), today, agency_id, settled_cap + 1, agency_id, agency_id),
    )


def page_query(
    agency_id: int, view: str, today: date, *, assigned: str = "", user_id: int | None = None,
    limit: int = 51, offset: int = 0, order: str = "",
) -> Select | None:
    """``limit`` rows of a view from ``offset``, with what a row shows (never a procedure's form or documents);
    ``assigned`` "me" (``user_id``'s) or "none" narrows it; ``order`` (one of ORDERS) overrides the view's own.
    None for an unknown view."""
    if view not in _VIEWS:
        return None
    condition, column, newest_first = _VIEWS[view]
    direction = " DESC" if (order == "newest" if order in ORDERS else newest_first) else ""
    params: list = [agency_id, *_view_params(view, today)]
    join = ""
    if assigned == "me":
        condition += " AND d.assignee_id = ?"
        params.append(user_id)
    elif assigned == "none":
        join = ' LEFT JOIN "user_account" a ON a.id = d.assignee_id'
        condition += f" AND {_UNASSIGNED}"
    return Select(
        _ROW + join + f" WHERE d.agency_id = ? AND {condition}"
        f" ORDER BY {column}{direction}, d.id{direction} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )


def search_query(agency_id: int, words: list[str], *, limit: int = 51, offset: int = 0) -> Select:
    """The agency's sent dossiers whose code, applicant (name, phone) or names in the answers hold every one of
    ``words`` (folded: lower case, no accents), the latest changed first. Bounded by the agency's own dossiers
    (idx_dossier_queue's agency_id), so a word inside a name needs no index of its own."""
    likes = " AND d.search_key LIKE ?" * len(words)
    return Select(
        _ROW + f" WHERE d.agency_id = ? AND d.status <> 'draft'{likes} ORDER BY d.updated_at DESC, d.id DESC"
        " LIMIT ? OFFSET ?",
        (agency_id, *(f"%{word}%" for word in words), limit, offset),
    )


def _view_params(view: str, today: date) -> tuple:
    if view == "due_soon":
        return today, due_soon_limit(today)
    if view == "overdue":
        return (today,)
    return ()
