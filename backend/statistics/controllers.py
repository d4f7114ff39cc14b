"""Public statistics, with no sign-in: the ranking page, each agency's page, and the open data (JSON and CSV)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from backend.catalogue.models import Agency
from backend.core import clock, units
from backend.core.i18n import gettext
from backend.core.paging import Page, page_number
from backend.core.web import page, parameter_refusal
from backend.statistics import display, index, services
from backend.statistics.models import Counts
from backend.statistics.rollup import month_of
from backend.statistics.schemas import AgencyFiguresList, as_csv, figures_of, source

PAGE_SIZE = 20
PeriodCode = Annotated[str | None, QueryParameter(
    pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$", description="a year (2026) or a month (2026-11); this year if empty")]
ProvinceCode = Annotated[str | None, QueryParameter(pattern=r"^[0-9]{2}$", description="GSO code, 01 for Ha Noi")]
HINTS = {
    "period": lambda: gettext("period is a year such as 2026 or a month such as 2026-11."),
    "province": lambda: gettext("province is the two-digit code of a province, 01 for Ha Noi."),
    "limit": lambda: gettext("limit is a whole number from 1 to 100."),
    "offset": lambda: gettext("offset is a whole number from 0."),
}


refuse_bad_parameters = parameter_refusal(HINTS)


def _filters(period: str | None, province: str | None) -> tuple[services.Period, str | None]:
    found = services.period_of(period)
    if found is None:
        raise ValidationException(HINTS["period"](), extra=[{"key": "period"}])
    if province and units.province(province) is None:
        raise ValidationException(gettext("There is no province with the code %(code)s.", code=province),
                                  extra=[{"key": "province"}])
    return found, province or None


async def _listing(period: str | None, province: str | None) -> tuple[services.Period, list[services.Item]]:
    chosen, area = _filters(period, province)
    return chosen, await services.agencies_ranked(chosen, area)


@get("/api/v1/statistics/agencies", tags=["statistics"],
     exception_handlers={ValidationException: refuse_bad_parameters})
async def statistics_json(
    province: ProvinceCode = None, period: PeriodCode = None,
    limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20, offset: Annotated[int, QueryParameter(ge=0)] = 0,
) -> AgencyFiguresList:
    """The Decision 766 index per agency for a period, best first: each item has the six groups (publicity,
    on_time, online_services, online_payment, digitisation, satisfaction), each with its share (0 to 1), points,
    score and figures. Counts under 5 are null. Figures come from the daily roll-up the worker keeps."""
    chosen, items = await _listing(period, province)
    updated = await services.updated_at()
    return AgencyFiguresList(
        total=len(items), limit=limit, offset=offset, period=chosen.code, since=chosen.first.isoformat(),
        until=chosen.last.isoformat(), updated_at=updated.isoformat() if updated else None,
        weights_confirmed=not index.unconfirmed(), source=source(),
        items=[figures_of(item) for item in items[offset:offset + limit]])


@get("/api/v1/statistics/agencies.csv", tags=["statistics"], media_type="text/csv",
     exception_handlers={ValidationException: refuse_bad_parameters})
async def statistics_csv(province: ProvinceCode = None, period: PeriodCode = None) -> Response[str]:
    """The same figures as ``/api/v1/statistics/agencies``, every agency of the period, one CSV line each."""
    chosen, items = await _listing(period, province)
    name = f"statistics-{chosen.code}{'-' + province if province else ''}.csv"
    return Response(as_csv(items, chosen), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def period_choices(today: date) -> list[tuple[str, date, bool]]:
    """(code, first day, is a month): this year, last year, then the last twelve months, newest first."""
    choices = [(str(today.year), date(today.year, 1, 1), False), (str(today.year - 1), date(today.year - 1, 1, 1),
                                                                 False)]
    month = month_of(today)
    for _ in range(12):
        choices.append((month.strftime("%Y-%m"), month, True))
        month = month_of(date.fromordinal(month.toordinal() - 1))
    return choices


def _context(chosen: services.Period) -> dict:
    return {"f": display.Formats(), "period": chosen, "periods": period_choices(clock.today()),
            "unconfirmed": index.unconfirmed(), "small": index.small(), "groups_blank": index.groups(Counts())}


@get("/statistics", name="statistics")
async def statistics_page(request: Request) -> Template:
    """Provinces and agencies ranked by the index, with a chart and its table each; paged, no JavaScript needed."""
    query = request.query_params
    typed, province = str(query.get("period") or "")[:7], str(query.get("province") or "")[:2]
    errors: dict[str, str] = {}
    try:
        chosen, area = _filters(typed, province)
    except ValidationException as exc:
        key = exc.extra[0]["key"] if isinstance(exc.extra, list) and exc.extra else "period"
        errors[key] = str(exc.detail)
        chosen, area = _filters(typed if key != "period" else None, province if key != "province" else None)
    ranked = await services.agencies_ranked(chosen, area)
    number = page_number(query.get("page"))
    start = (number - 1) * PAGE_SIZE
    listing = Page(ranked[start:start + PAGE_SIZE], number, PAGE_SIZE, start + PAGE_SIZE < len(ranked), len(ranked))
    provinces = await services.provinces_ranked(chosen)
    bars, height = display.rows_chart([display.Bar(p.province_name, p.score, display.Formats().score(p.score))
                                       for p in provinces])
    return page("statistics/index.html", 400 if errors else 200, errors=errors, typed=typed, province=area or "",
                listing=listing, provinces=provinces, bars=bars, chart_height=height, all_provinces=units.provinces(),
                updated=await services.updated_at(), **_context(chosen))


@get("/statistics/agencies/{code:str}", name="agency-statistics")
async def agency_statistics_page(request: Request, code: FromPath[str]) -> Template:
    """One agency: the six groups for the period, its index month by month, and its procedures."""
    agency = await Agency.get_or_none(code=code[:40])
    if agency is None:
        raise NotFoundException()
    typed = str(request.query_params.get("period") or "")[:7]
    chosen = services.period_of(typed)
    errors = {} if chosen else {"period": HINTS["period"]()}
    chosen = chosen or services.period_of(None)
    assert chosen is not None  # this year always is a period
    total = await services.agency_total(agency, chosen)
    trend = await services.agency_trend(agency, min(chosen.last, clock.today()))
    f = display.Formats()
    bars, height = display.columns_chart([display.Bar(f.short_month(m), item.score, f.score(item.score))
                                          for m, item in trend])
    return page("statistics/agency.html", 400 if errors else 200, errors=errors, typed=typed, agency=agency,
                total=total, trend=trend, bars=bars, chart_height=height,
                procedures=await services.agency_procedures(agency, chosen),
                updated=await services.updated_at(), **_context(chosen))


route_handlers = [statistics_page, agency_statistics_page]
api_route_handlers = [statistics_json, statistics_csv]
