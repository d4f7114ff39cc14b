"""The procedure editor's queries and changes: who may edit what, the list of procedures, the document being edited
(the newest draft, else the live version), and saving a section through ``catalogue.versions`` with the problems of a
refused document placed next to the inputs that caused them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from tortoise import connections
from tortoise.expressions import Q
from tortoise.functions import Max

from backend.accounts.models import AgencyRole, Role, User
from backend.catalogue import versions
from backend.catalogue.loader import DATA_DIR
from backend.catalogue.models import Agency, Procedure, ProcedureVersion
from backend.core.i18n import gettext
from backend.core.i18n import lazy_gettext as _
from backend.core.paging import Page, fetch_page
from backend.core.sql import fetch
from backend.core.units import fold
from backend.publisher.forms import Built

PAGE_SIZE = 20
HISTORY_PAGE_SIZE = 20
LEVEL_LABELS = {"commune": _("Commune, ward or special zone"), "province": _("Province (one of its departments)"),
                "ministry": _("Ministry")}
STATE_LABELS = {"draft": _("Draft"), "published": _("Live"), "archived": _("Archived")}
SOURCE_LABELS = {"file": _("Catalogue file"), "editor": _("Editor"), "import": _("Import"), "restore": _("Restored")}


def may_edit(user: User) -> bool:
    """The portal administrator edits every procedure; an agency administrator those their agency owns."""
    return user.role is Role.ADMIN or (user.role is Role.OFFICER and user.active and user.agency_id is not None
                                       and user.role_in_agency is AgencyRole.AGENCY_ADMIN)


def may_edit_procedure(user: User, procedure: Procedure) -> bool:
    return user.role is Role.ADMIN or (may_edit(user) and procedure.agency_id == user.agency_id)


@cache
def filing_kinds() -> tuple[str, ...]:
    """The kinds of agency the directory generates (``data/departments.json``), in its order."""
    data = json.loads((DATA_DIR / "departments.json").read_text(encoding="utf-8"))
    templates = [data["province"], *data["departments"], *data["communes"]]
    return tuple(dict.fromkeys(t["kind"] for t in templates))


# --- the list -------------------------------------------------------------------------------------------------

@dataclass
class Row:
    procedure: Procedure
    draft: int | None  # the number of a draft newer than the live version
    to_check: bool


async def procedures_page(user: User, q: str, number: int) -> Page:
    """A page of procedures (by code), found by code or title words; an agency administrator sees their agency's."""
    query = Procedure.all().select_related("agency")
    if user.role is not Role.ADMIN:
        query = query.filter(agency_id=user.agency_id)
    if q.strip():
        query = query.filter(Q(code__icontains=q.strip()) | Q(search_text__contains=fold(q.strip())))
    found = await fetch_page(query.order_by("code"), number, PAGE_SIZE)
    newest = await _newest_versions([p.code for p in found.items])
    found.items = [Row(p, v.number if v and v.state == versions.DRAFT else None,
                       bool(v and v.document.get("to_check"))) for p in found.items
                   for v in [newest.get(p.code)]]
    return found


async def _newest_versions(codes: list[str]) -> dict[str, ProcedureVersion]:
    """The newest version of each code (only those: two small queries for a page of the list)."""
    if not codes:
        return {}
    tops = await (ProcedureVersion.filter(procedure_code__in=codes).annotate(top=Max("number"))
                  .group_by("procedure_code").values("procedure_code", "top"))
    wanted = Q(*(Q(procedure_code=row["procedure_code"], number=row["top"]) for row in tops), join_type="OR")
    return {v.procedure_code: v for v in await ProcedureVersion.filter(wanted)} if tops else {}


async def to_check_count(user: User) -> int:
    """How many procedures' newest version says ``to_check`` (the JSON read by the database, not here)."""
    postgres = connections.get("default").capabilities.dialect == "postgres"
    flag = "(v.document->>'to_check') = 'true'" if postgres else "json_extract(v.document, '$.to_check') = 1"
    mine = "" if user.role is Role.ADMIN else " AND p.agency_id = ?"
    rows = await fetch(
        "SELECT count(*) AS n FROM procedure_version v JOIN procedure p ON p.code = v.procedure_code"
        " WHERE v.number = (SELECT max(w.number) FROM procedure_version w WHERE w.procedure_code = v.procedure_code)"
        f" AND {flag}{mine}", *(() if user.role is Role.ADMIN else (user.agency_id,)))
    return int(rows[0]["n"])


# --- the document being edited ----------------------------------------------------------------------------------

@dataclass
class Editing:
    procedure: Procedure
    document: dict[str, Any]
    draft: ProcedureVersion | None  # the newest draft, when there is one
    live: int | None  # the live version's number; None before the first publish


async def editing(code: str) -> Editing | None:
    procedure = await Procedure.get_or_none(code=code).select_related("agency")
    if procedure is None:
        return None
    draft = await versions.latest_draft(code)
    live = await versions.live_version(code)
    shown = draft or live
    if shown is None:
        return None
    return Editing(procedure, shown.document, draft, live.number if live else None)


async def check_owner(built: Built, user: User, new: bool = False) -> None:
    """The agency exists (and is the agency administrator's own); a new procedure's code is given and not taken."""
    code = built.document.get("agency") or ""
    agency = await Agency.get_or_none(code=code) if code else None
    if agency is None:
        built.errors["agency"] = gettext("Enter the code of an agency in the directory, for example P01-W-HOANKIEM")
    elif user.role is not Role.ADMIN and agency.id != user.agency_id:
        built.errors["agency"] = gettext("You can only give procedures to your own agency")
    if not new:
        return
    if not built.document.get("code"):
        built.errors["code"] = gettext("Enter the procedure's code from the national database, for example 1.001193")
    elif await Procedure.filter(code=built.document["code"]).exists():
        built.errors["code"] = gettext("A procedure with code %(code)s already exists", code=built.document["code"])


@dataclass
class Saved:
    errors: dict[str, str] = field(default_factory=dict)
    hrefs: dict[str, str] = field(default_factory=dict)  # where the error summary leads for each error
    version: ProcedureVersion | None = None


async def save(code: str, built: Built, user: User, fallback: str, note: str = "") -> Saved:
    """Save the section's document as the draft; nothing is saved while the inputs or the document have problems.
    ``fallback``: the input a problem leads to when none of this section's inputs wrote its place."""
    if built.errors:
        return Saved(dict(built.errors))
    try:
        return Saved(version=await versions.save_draft(code, built.document, user, note=note))
    except versions.DocumentRefused as refused:
        return placed(refused.problems, built.pointers, fallback)


def placed(problems: list[Any], pointers: dict[str, str], fallback: str) -> Saved:
    """Each problem next to the input that wrote its pointer (or the nearest: the list it is in, the row...)."""
    saved = Saved()
    for problem in problems:
        name = _input_for(str(problem.pointer), pointers) or fallback
        message = str(problem.message)
        saved.errors[name] = f"{saved.errors[name]} {message}" if name in saved.errors else message
        saved.hrefs[name] = f"#{name}"
    return saved


def _input_for(pointer: str, pointers: dict[str, str]) -> str | None:
    exact = [name for name, there in pointers.items() if there == pointer]
    if exact:
        return exact[0]
    inside = [(len(there), name) for name, there in pointers.items() if pointer.startswith(there + "/")]
    if inside:
        return max(inside)[1]
    below = [name for name, there in pointers.items() if there.startswith(pointer + "/")]
    return below[0] if below else None


# --- versions -------------------------------------------------------------------------------------------------

async def history_page(code: str, number: int) -> Page:
    query = ProcedureVersion.filter(procedure_code=code).select_related("created_by").order_by("-number")
    return await fetch_page(query, number, HISTORY_PAGE_SIZE, await ProcedureVersion.filter(
        procedure_code=code).count())


async def numbers(code: str) -> list[int]:
    """Every version's number, newest first (the diff page's choices: numbers only, not documents)."""
    return [v.number for v in await ProcedureVersion.filter(procedure_code=code).order_by("-number").only(
        "id", "number")]


def paged(items: list[Any], number: int, size: int = 50) -> Page:
    """A page of a list already in memory (a diff's changes)."""
    start = (number - 1) * size
    return Page(items[start:start + size], number, size, len(items) > start + size, len(items))


async def changes(code: str, old: int, new: int) -> list[versions.Change] | None:
    before, after = await versions.version(code, old), await versions.version(code, new)
    if before is None or after is None:
        return None
    return versions.diff(before.document, after.document)
