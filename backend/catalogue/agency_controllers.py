"""The agency directory on the web: ``GET /api/v1/agencies`` and the public list page ``/agencies``, both searched
accent-free and filtered by level, province and the procedure filed there."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Request, get
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import QueryParameter
from litestar.response import Template

from backend.catalogue import agencies
from backend.catalogue.models import Procedure
from backend.catalogue.schemas import AgencyList, Words, agency_item_of
from backend.core import units
from backend.core.i18n import gettext
from backend.core.paging import Page, page_number
from backend.core.web import page, parameter_refusal

PAGE_SIZE = 20
Level = Annotated[Literal["ministry", "province", "department", "commune"] | None, QueryParameter()]
ProvinceCode = Annotated[str | None, QueryParameter(pattern=r"^[0-9]{2}$", description="GSO code, 01 for Ha Noi")]
ProcedureFiled = Annotated[
    str | None, QueryParameter(pattern=r"^[A-Za-z0-9.-]+$", max_length=40, description="where this is filed")
]
HINTS = {  # what each parameter takes, named in the refusal of a bad one
    "level": lambda: gettext("level is one of ministry, province, department, commune."),
    "province": lambda: gettext("province is the two-digit code of a province, 01 for Ha Noi."),
    "procedure": lambda: gettext("procedure is the code of a procedure in the catalogue, such as 1.001193."),
    "q": lambda: gettext("q is at most 200 characters."),
    "limit": lambda: gettext("limit is a whole number from 1 to 100."),
    "offset": lambda: gettext("offset is a whole number from 0."),
}


refuse_bad_parameters = parameter_refusal(HINTS)


def _province(code: str | None) -> str | None:
    if code and units.province(code) is None:
        raise ValidationException(gettext("There is no province with the code %(code)s.", code=code))
    return code or None


async def _procedure(code: str | None) -> Procedure | None:
    found = await Procedure.get_or_none(code=code, published=True) if code else None  # its filing fields only
    if code and found is None:
        raise ValidationException(gettext("There is no procedure with the code %(code)s.", code=code))
    return found


@get("/api/v1/agencies", tags=["catalogue"], exception_handlers={ValidationException: refuse_bad_parameters})
async def list_agencies(
    level: Level = None,
    province: ProvinceCode = None,
    procedure: ProcedureFiled = None,
    q: Words = "",
    limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    offset: Annotated[int, QueryParameter(ge=0)] = 0,
) -> AgencyList:
    """The agency directory: ministries, provinces and their departments, communes and wards. ``q`` matches
    names without accents ("hoan kiem"); ``procedure`` keeps the agencies where that procedure is filed. An item
    carries ``lang`` when its name is in another language than the one asked for."""
    area, filed = _province(province), await _procedure(procedure)
    total, rows = await agencies.find(level=level, province=area, procedure=filed, q=q, limit=limit, offset=offset)
    return AgencyList(total, limit, offset, [agency_item_of(a) for a in rows])


@get("/agencies", name="agencies")
async def agencies_page(request: Request) -> Template:
    """Where to file: the list a procedure page links to, searchable and paged, with JavaScript or without."""
    query = request.query_params
    q = str(query.get("q") or "")[:200]
    code = str(query.get("procedure") or "")[:40]
    try:
        filed = await _procedure(code)
    except ValidationException as exc:  # a broken link: no such page
        raise NotFoundException() from exc
    province, error = str(query.get("province") or ""), None
    try:
        _province(province)
    except ValidationException as exc:
        province, error = "", exc.detail
    number = page_number(query.get("page"))
    total, rows = await agencies.find(
        province=province or None, procedure=filed, q=q, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
    )
    listing = Page(rows, number, PAGE_SIZE, number * PAGE_SIZE < total, total)
    return page(
        "catalogue/agencies.html", 400 if error else 200, q=q, province=province, procedure=filed,
        listing=listing, error=error, provinces=units.provinces(),
    )


route_handlers = [agencies_page]
api_route_handlers = [list_agencies]
