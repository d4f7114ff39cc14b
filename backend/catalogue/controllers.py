"""Public catalogue: home page, search and browse, procedure pages, and the JSON API."""

from __future__ import annotations

from typing import Annotated

from litestar import get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Template

from backend.catalogue import services
from backend.catalogue.schemas import ProcedureDetail, ProcedureList, detail_of, summary_of
from backend.core.web import page

PAGE_SIZE = 20


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
    return page("catalogue/procedure.html", procedure=procedure, events=services.LIFE_EVENTS)


@get("/api/v1/procedures", tags=["catalogue"])
async def list_procedures(
    q: FromQuery[str] = "",
    agency: FromQuery[str | None] = None,
    event: FromQuery[str | None] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    offset: Annotated[int, QueryParameter(ge=0)] = 0,
) -> ProcedureList:
    """Search the catalogue (accents and case ignored); without ``q``, the whole catalogue, paginated."""
    results = await services.search(q, agency=agency, event=event, limit=limit, offset=offset)
    return ProcedureList(results.total, limit, offset, [summary_of(p) for p in results.items])


@get("/api/v1/procedures/{code:str}", tags=["catalogue"])
async def procedure_detail(code: FromPath[str]) -> ProcedureDetail:
    """One procedure: documents required, fee, time limit, agency, legal basis."""
    procedure = await services.get_procedure(code)
    if procedure is None:
        raise NotFoundException(f"No procedure {code}")
    return detail_of(procedure)


route_handlers = [home, procedures_page, procedure_page]
api_route_handlers = [list_procedures, procedure_detail]
