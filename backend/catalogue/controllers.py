"""Public catalogue: home page, search and browse, procedure pages, and the JSON API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from litestar import get
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, PathParameter, QueryParameter
from litestar.response import Template

from backend.catalogue import agencies, agency_controllers, document, services
from backend.catalogue.models import Procedure
from backend.catalogue.schemas import ProcedureDetail, ProcedureList, Words, detail_of, summary_of
from backend.core.web import page

PAGE_SIZE = 20
# The API's identifiers and words, checked at the edge (400) and shown in the OpenAPI document.
ProcedureCode = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9.-]+$", min_length=1, max_length=40)]
AgencyCode = Annotated[str | None, QueryParameter(pattern=r"^[A-Za-z0-9-]*$", max_length=40)]
LifeEvent = Annotated[str | None, QueryParameter(pattern=r"^[a-z_]*$", max_length=40)]


ProcedureSection = Callable[[Procedure], Awaitable[dict[str, Any]]]
_procedure_sections: list[ProcedureSection] = []


def add_procedure_section(section: ProcedureSection) -> None:
    """A domain above the catalogue adds to the procedure page (its published questions): ``section`` gives the
    template's variables. Called at startup; adding the same one twice keeps one."""
    if section not in _procedure_sections:
        _procedure_sections.append(section)


@get("/", name="home")
async def home() -> Template:
    return page("catalogue/home.html", events=services.LIFE_EVENTS, featured=(await services.search(limit=8)).items)


@get("/procedures", name="procedures")
async def procedures_page(
    q: FromQuery[str] = "",
    agency: FromQuery[str | None] = None,
    event: FromQuery[str | None] = None,
    page_number: Annotated[int, QueryParameter(name="page", ge=1, le=1000)] = 1,
) -> Template:
    results = await services.search(
        q, agency=agency or None, event=event or None, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE
    )
    return page(
        "catalogue/results.html",
        q=q,
        agency=agency or "",
        event=event or "",
        results=results,
        page_number=page_number,
        pages=max(1, -(-results.total // PAGE_SIZE)),
        events=services.LIFE_EVENTS,
        agencies=await services.agencies_with_procedures(),
    )


@get("/procedures/{code:str}", name="procedure")
async def procedure_page(code: FromPath[str]) -> Template:
    procedure = await services.get_procedure(code)
    if procedure is None:
        raise NotFoundException()
    extra: dict[str, Any] = {}
    for section in _procedure_sections:
        extra.update(await section(procedure))
    return page("catalogue/procedure.html", procedure=procedure, events=services.LIFE_EVENTS,
                filing=await agencies.where_filed(procedure), **extra)


@get("/api/v1/procedures", tags=["catalogue"])
async def list_procedures(
    q: Words = "",
    agency: AgencyCode = None,
    event: LifeEvent = None,
    limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    offset: Annotated[int, QueryParameter(ge=0)] = 0,
) -> ProcedureList:
    """Search the catalogue (accents and case ignored); without ``q``, the whole catalogue, paginated."""
    results = await services.search(q, agency=agency, event=event, limit=limit, offset=offset)
    return ProcedureList(results.total, limit, offset, [summary_of(p) for p in results.items])


@get(document.SCHEMA_URL, tags=["catalogue"], cache_control=CacheControlHeader(public=True, max_age=3600))
async def procedure_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a procedure document: the format administrators import and export."""
    return document.schema()


@get("/api/v1/procedures/{code:str}", tags=["catalogue"], raises=[NotFoundException])
async def procedure_detail(code: ProcedureCode) -> ProcedureDetail:
    """One procedure: documents required, fee, time limit, agency, legal basis."""
    procedure = await services.get_procedure(code)
    if procedure is None:
        raise NotFoundException(f"No procedure {code}")
    return detail_of(procedure)


route_handlers = [home, procedures_page, procedure_page, *agency_controllers.route_handlers]
api_route_handlers = [list_procedures, procedure_schema, procedure_detail, *agency_controllers.api_route_handlers]
