"""The agency directory: where a procedure is filed, which agency to suggest, its fee and time limit there, and
the accent-free search the API and the agency pickers use.

The search runs over a compact copy of the directory in memory (backend/catalogue/agency_index.py); only the
page's rows are read from the database, in one query.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.catalogue import agency_index
from backend.catalogue.models import Agency, Procedure
from backend.core import units
from backend.core.i18n import gettext, localized
from backend.core.i18n import lazy_gettext as _

# What a procedure's filing level means in agencies: a "province" procedure goes to a province's department or
# police (or its People's Committee when that is the kind).
FILED_AT = {"commune": ("commune",), "province": ("province", "department"), "ministry": ("ministry",)}
forget = agency_index.forget  # the catalogue changed (backend/catalogue/loader.py): search the new one


def selectors(procedure: Procedure) -> list[tuple[str, str]]:
    """The (level, kind) pairs ``offered_by`` names as ``"level:kind"``: every active agency of that level and
    kind offers the procedure (a commune's procedure also filed at the province's Department of Justice)."""
    return [(lv, kind) for lv, _, kind in (s.partition(":") for s in procedure.offered_by or () if ":" in s)]


def _offers(procedure: Procedure, entry: agency_index.Entry | Agency) -> bool:
    if procedure.offered_by is not None:
        return entry.code in procedure.offered_by or f"{entry.level}:{entry.kind}" in procedure.offered_by
    return entry.level in FILED_AT.get(procedure.filing_level, ()) and entry.kind == procedure.filing_kind


async def offers(procedure: Procedure, agency: Agency) -> bool:
    """Whether ``agency`` (active) settles ``procedure``: every agency of its filing level and kind, or only those
    the catalogue lists in ``offered_by``."""
    return agency.active and _offers(procedure, agency)


async def find(
    *,
    level: str | None = None,
    province: str | None = None,
    procedure: Procedure | None = None,
    q: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[int, list[Agency]]:
    """(total, one page) of active agencies: of a level, in a province (GSO code), where ``procedure`` is filed,
    whose names contain every word of ``q`` (accents and case ignored). Ordered by province, then province
    agencies before departments and communes, then name."""
    words = [f" {word}" for word in units.fold(q or "").split()]  # each word starts a word of the name
    index = await agency_index.current()
    if procedure is not None and procedure.offered_by is not None:
        kinds = [(lv, kind) for lv, kind in selectors(procedure) if level is None or lv == level]
        listed = {index.by_code[code].id for code in procedure.offered_by if code in index.by_code}
        matched = [e for e in index.group(level).matching(words) if e.id in listed and (e.level, e.kind) not in kinds]
        matched += [e for lv, kind in kinds for e in index.group(lv, kind).matching(words)]
        if kinds:  # several groups: in the directory's order again (by province, its departments before communes)
            matched.sort(key=lambda e: (e.province_code or "", agency_index.LEVEL_ORDER.get(e.level, 9)))
    elif procedure is not None:
        levels = [lv for lv in FILED_AT.get(procedure.filing_level, ()) if level is None or lv == level]
        matched = [e for lv in levels for e in index.group(lv, procedure.filing_kind).matching(words)]
        if len(levels) > 1:
            matched.sort(key=lambda e: (e.province_code or "", agency_index.LEVEL_ORDER.get(e.level, 9)))
    else:
        matched = index.group(level).matching(words)
    if province is not None:
        matched = [e for e in matched if e.province_code == province]
    if len(words) > 1:  # the words as typed, side by side, first: "ba dinh" is Ba Đình before Đình Bảng
        phrase = "".join(words)
        matched = sorted(matched, key=lambda e: phrase not in e.search_key)
    page = [e.id for e in matched[offset : offset + limit]]
    rows = {a.id: a for a in await Agency.filter(id__in=page).select_related("parent")} if page else {}
    return len(matched), [rows[i] for i in page if i in rows]


async def filing_agencies(
    procedure: Procedure, *, province: str | None = None, q: str | None = None, limit: int = 20, offset: int = 0
) -> tuple[int, list[Agency]]:
    """(total, one page) of the agencies where ``procedure`` can be filed."""
    return await find(procedure=procedure, province=province, q=q, limit=limit, offset=offset)


async def suggested_agency(procedure: Procedure, unit_code: str | None) -> Agency | None:
    """Where someone living in ``unit_code`` (a commune's or a province's GSO code) would file ``procedure``: the
    agency of the right kind for that commune, else for its province; for a ministry's procedure, the first
    ministry agency that offers it. None when nothing fits (an unknown unit, a procedure narrowed elsewhere)."""
    index = await agency_index.current()
    if procedure.filing_level == "ministry":
        found = next((e for e in index.group("ministry").entries if _offers(procedure, e)), None)
    else:
        province = units.province_of(unit_code) if unit_code else None
        if province is None:
            return None
        here = [e for level in FILED_AT[procedure.filing_level] for e in index.group(level).entries
                if e.province_code == province and _offers(procedure, e)]
        found = next((e for e in here if e.unit_code == unit_code), None)
        if found is None and procedure.filing_level == "province":
            found = next(iter(here), None)
    return await Agency.get_or_none(id=found.id).select_related("parent") if found else None


def terms(procedure: Procedure, agency: Agency) -> tuple[int, int]:
    """(fee in VND, processing time in working days) of ``procedure`` at ``agency``: the province's own figures
    where the catalogue has them (``province_terms``), else the procedure's."""
    own = (procedure.province_terms or {}).get(agency.province_code or "", {})
    return own.get("fee", procedure.fee), own.get("processing_days", procedure.processing_days)


# What each kind of agency is called in "filed at the ... of your commune" (a generic name, no place in it).
KINDS = {
    "people_committee": _("People's Committee"),
    "police": _("police"),
    "justice": _("Department of Justice"),
    "home_affairs": _("Department of Home Affairs"),
    "construction": _("Department of Construction"),
    "agriculture_environment": _("Department of Agriculture and Environment"),
    "health": _("Department of Health"),
    "education": _("Department of Education and Training"),
    "finance": _("Department of Finance"),
    "industry_trade": _("Department of Industry and Trade"),
    "culture": _("Department of Culture, Sports and Tourism"),
    "tax": _("tax office"),
    "social_insurance": _("social security office"),
    "ministry": _("ministry"),
}


@dataclass
class WhereFiled:
    """What the procedure page says about where to file: a sentence, and how many agencies the list holds."""

    sentence: str
    total: int


async def where_filed(procedure: Procedure) -> WhereFiled:
    total, first = await filing_agencies(procedure, limit=1)
    kind = str(KINDS.get(procedure.filing_kind, procedure.filing_kind))
    also = [str(KINDS.get(kind, kind)) for lv, kind in selectors(procedure) if lv in ("province", "department")]
    if (procedure.offered_by is not None and not also) or procedure.filing_level == "ministry":
        if total == 1:
            return WhereFiled(gettext("Filed at %(agency)s.", agency=localized(first[0].name)), total)
        return WhereFiled(gettext("Filed at one of the agencies listed."), total)
    if procedure.filing_level == "commune":
        sentence = gettext("Filed at the %(kind)s of your commune, ward or special zone.", kind=kind)
    else:
        sentence = gettext("Filed at the %(kind)s of your province or centrally-run city.", kind=kind)
    for other in also:
        sentence += " " + gettext("It can also be filed at the %(kind)s of your province or centrally-run city.",
                                  kind=other)
    return WhereFiled(sentence, total)
