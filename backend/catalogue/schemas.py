"""JSON shapes of the public catalogue API."""

from __future__ import annotations

from msgspec import Struct

from backend.catalogue.models import Procedure
from backend.core.i18n import localized


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
    )
