"""JSON shapes of the public catalogue API."""

from __future__ import annotations

from typing import Annotated, Any

from litestar.params import QueryParameter
from msgspec import Struct

from backend.catalogue.models import Agency, Procedure
from backend.core.i18n import current_locale, localized, resolve_content

# Words searched for, as the API takes them (checked at the edge: 400, and shown in the OpenAPI document).
Words = Annotated[str, QueryParameter(pattern=r"^[^\x00]*$", max_length=200)]


class ProcedureSummary(Struct):
    code: str
    title: str
    title_vi: str
    agency_code: str
    agency: str
    fee: int
    processing_days: int
    full_online: bool
    url: str
    version: int  # the live version's number (issue 18): it changes when an administrator publishes a new one


class ProcedureList(Struct):
    total: int
    limit: int
    offset: int
    items: list[ProcedureSummary]


class DocumentSpec(Struct):
    key: str
    name: str
    mandatory: bool
    types: list[str]


class ProcedureDetail(Struct):
    code: str
    title: str
    title_vi: str
    summary: str
    agency_code: str
    agency: str
    applicants: str
    documents: list[DocumentSpec]
    fee: int
    processing_days: int
    result_forms: list[str]
    full_online: bool
    legal_basis: list[str]
    life_events: list[str]
    filing_level: str  # commune | province | ministry: where it is filed
    filing_kind: str  # the kind of agency there (people_committee, police, justice...)
    agencies_url: str  # the agencies where it can be filed (GET /api/v1/agencies?procedure=...)
    version: int  # the live version's number (issue 18): a dossier keeps the version it was started on
    # The fee schedule (issue 18, catalogue.fees): amount, per copy or page, reduced or exempt groups; null: ``fee``
    fee_schedule: dict[str, Any] | None = None


def summary_of(p: Procedure) -> ProcedureSummary:
    return ProcedureSummary(
        code=p.code,
        title=localized(p.title),
        title_vi=p.title.get("vi", ""),
        agency_code=p.agency.code,
        agency=localized(p.agency.name),
        fee=p.fee,
        processing_days=p.processing_days,
        full_online=p.full_online,
        url=f"/procedures/{p.code}",
        version=p.version,
    )


def detail_of(p: Procedure) -> ProcedureDetail:
    return ProcedureDetail(
        code=p.code,
        title=localized(p.title),
        title_vi=p.title.get("vi", ""),
        summary=localized(p.summary),
        agency_code=p.agency.code,
        agency=localized(p.agency.name),
        applicants=localized(p.applicants),
        documents=[DocumentSpec(d["key"], localized(d["name"]), d["mandatory"], d["types"]) for d in p.documents],
        fee=p.fee,
        processing_days=p.processing_days,
        result_forms=p.result_forms,
        full_online=p.full_online,
        legal_basis=p.legal_basis,
        life_events=p.life_events,
        filing_level=p.filing_level,
        filing_kind=p.filing_kind,
        agencies_url=f"/api/v1/agencies?procedure={p.code}",
        version=p.version,
        fee_schedule=p.fee_schedule,
    )


class AgencyItem(Struct, omit_defaults=True):
    """One agency of the directory. ``lang``: the language ``name`` is in, given only when it is not the one asked
    for (no translation yet)."""

    code: str
    name: str
    level: str
    kind: str
    province: str | None
    parent: str | None
    address: str | None
    hours: str | None
    lang: str | None = None


class AgencyList(Struct):
    total: int
    limit: int
    offset: int
    items: list[AgencyItem]


def agency_item_of(a: Agency) -> AgencyItem:
    name, lang = resolve_content(a.name)
    return AgencyItem(
        code=a.code,
        name=name,
        level=a.level,
        kind=a.kind,
        province=a.province_code,
        parent=a.parent.code if a.parent else None,
        address=resolve_content(a.address)[0] if a.address else None,
        hours=resolve_content(a.hours)[0] if a.hours else None,
        lang=None if lang == current_locale.get() else lang,
    )
