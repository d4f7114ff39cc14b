"""What the pages and the open data read: sums of the roll-up tables for a period, scored (``index``).

A ranking sums ``stat_monthly`` (one row per agency and month) and is kept in memory until the worker's next
roll-up (its watermark's time is the key), so a busy statistics page costs one small query per request.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tortoise import connections

from backend.catalogue.models import Agency, Procedure
from backend.core import clock, units
from backend.statistics import index
from backend.statistics.models import COUNTERS, Counts
from backend.statistics.rollup import WATERMARK, as_date, day_value, month_of, next_month, sql

PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?$")
TREND_MONTHS = 12
_rankings: dict[tuple, list[Item]] = {}


@dataclass(frozen=True)
class Period:
    first: date  # its first month's first day
    end: date  # the first day after it
    code: str  # "2026" or "2026-11"

    @property
    def last(self) -> date:
        return min(date.fromordinal(self.end.toordinal() - 1), clock.today())

    @property
    def is_month(self) -> bool:
        return "-" in self.code


def period_of(code: str | None) -> Period | None:
    """``2026`` (a year), ``2026-11`` (a month) or nothing (this year); None when it is neither."""
    code = code or str(clock.today().year)
    found = PERIOD.match(code)
    if not found:
        return None
    year, month = int(found.group(1)), found.group(2)
    if not 2000 <= year <= 2100:
        return None
    if month:
        first = date(year, int(month), 1)
        return Period(first, next_month(first), code)
    return Period(date(year, 1, 1), date(year + 1, 1, 1), code)


@dataclass
class Item:
    """One agency's (or province's) figures for a period."""

    key: str  # the agency's code, or the province's GSO code
    name: dict[str, str] | str
    province: str | None
    counts: Counts
    groups: list[index.Group] = field(default_factory=list)
    agency_id: int | None = None

    @property
    def score(self) -> float | None:
        return index.total(self.groups)

    @property
    def province_name(self) -> str:
        found = units.province(self.province) if self.province else None
        return found.name if found else ""


async def updated_at() -> datetime | None:
    """When the worker last rolled the figures up (None: never)."""
    conn = connections.get("default")
    rows = await conn.execute_query_dict(sql(conn, 'SELECT "run_at" FROM "stat_watermark" WHERE "name" = ?'),
                                         [WATERMARK])
    return datetime.fromisoformat(rows[0]["run_at"]) if rows and rows[0]["run_at"] else None


def _sums(alias: str = "") -> str:
    return ", ".join(f'SUM({alias}"{n}") AS "{n}"' for n in COUNTERS)


async def _backlog(group: str) -> dict[Any, int]:
    """Overdue open dossiers now, per agency id or per province."""
    conn = connections.get("default")
    if group == "agency":
        query = 'SELECT "agency_id" AS k, SUM("overdue_open") AS n FROM "stat_backlog" GROUP BY "agency_id"'
    else:
        query = ('SELECT a."province_code" AS k, SUM(b."overdue_open") AS n FROM "stat_backlog" b'
                 ' JOIN "agency" a ON a."id" = b."agency_id" GROUP BY a."province_code"')
    return {row["k"]: int(row["n"] or 0) for row in await conn.execute_query_dict(query)}


def _rank(items: list[Item]) -> list[Item]:
    for item in items:
        item.groups = index.groups(item.counts)
    return sorted(items, key=lambda i: (i.score is None, -(i.score or 0), -i.counts.received, i.key))


async def _kept(key: tuple, compute: Callable[[], Awaitable[list[Item]]]) -> list[Item]:
    """``compute()``, kept until the worker's next roll-up (or the next day: "overdue now" moves with it)."""
    full_key = (*key, await updated_at(), clock.today())
    if full_key not in _rankings:
        if len(_rankings) > 256:  # periods and provinces are few; forget everything rather than grow
            _rankings.clear()
        _rankings[full_key] = await compute()
    return _rankings[full_key]


async def agencies_ranked(period: Period, province: str | None) -> list[Item]:
    """Every agency with figures in ``period`` (in ``province``), best index first."""
    return await _kept(("agencies", period.code, province), lambda: _agencies_ranked(period, province))


async def _agencies_ranked(period: Period, province: str | None) -> list[Item]:
    conn = connections.get("default")
    where, values = '"month" >= ? AND "month" < ?', [day_value(conn, period.first), day_value(conn, period.end)]
    if province:
        where, values = f'{where} AND "province_code" = ?', [*values, province]
    rows = await conn.execute_query_dict(sql(conn, (
        f'SELECT "agency_id", {_sums()} FROM "stat_monthly" WHERE {where} GROUP BY "agency_id"')), values)
    overdue = await _backlog("agency")
    feedback = await index.feedback_on_time([r["agency_id"] for r in rows], period.first, period.last)
    agencies = {a["id"]: a for a in await Agency.filter(id__in=[r["agency_id"] for r in rows]).values(
        "id", "code", "name", "province_code")} if rows else {}
    items = []
    for row in rows:
        agency = agencies.get(row["agency_id"])
        if agency is None:
            continue
        counts = Counts.of({**row, "overdue_open": overdue.get(row["agency_id"], 0)})
        if feedback is not None:  # public questions count (issue 19, item 5) once their counter is registered
            counts.extra["feedback"] = feedback.get(row["agency_id"], (0, 0))
        items.append(Item(agency["code"], agency["name"], agency["province_code"], counts, agency_id=agency["id"]))
    return _rank(items)


async def provinces_ranked(period: Period) -> list[Item]:
    """The 34 provinces' figures in ``period`` (their agencies summed; ministries have none), best first."""
    return await _kept(("provinces", period.code), lambda: _provinces_ranked(period))


async def _provinces_ranked(period: Period) -> list[Item]:
    conn = connections.get("default")
    rows = await conn.execute_query_dict(sql(conn, (
        f'SELECT "province_code", {_sums()} FROM "stat_monthly" WHERE "month" >= ? AND "month" < ?'
        ' AND "province_code" IS NOT NULL GROUP BY "province_code"')),
        [day_value(conn, period.first), day_value(conn, period.end)])
    overdue = await _backlog("province")
    items = []
    for row in rows:
        found = units.province(row["province_code"])
        counts = Counts.of({**row, "overdue_open": overdue.get(row["province_code"], 0)})
        items.append(Item(row["province_code"], found.name if found else row["province_code"],
                          row["province_code"], counts))
    return _rank(items)


async def agency_trend(agency: Agency, until: date) -> list[tuple[date, Item]]:
    """The agency's figures month by month, the ``TREND_MONTHS`` months up to ``until``'s, oldest first."""
    last = month_of(until)
    first = last
    for _ in range(TREND_MONTHS - 1):
        first = month_of(date.fromordinal(first.toordinal() - 1))
    conn = connections.get("default")
    rows = await conn.execute_query_dict(sql(conn, (
        f'SELECT "month", {_sums()} FROM "stat_monthly" WHERE "agency_id" = ? AND "month" >= ? AND "month" <= ?'
        ' GROUP BY "month"')), [agency.id, day_value(conn, first), day_value(conn, last)])
    found = {as_date(r["month"]): r for r in rows}
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    trend = []
    for month in months:
        item = Item(agency.code, agency.name, agency.province_code, Counts.of(found.get(month, {})))
        item.groups = index.groups(item.counts)
        trend.append((month, item))
    return trend


async def agency_procedures(agency: Agency, period: Period) -> list[Item]:
    """The agency's figures per procedure in ``period`` (from ``stat_daily``), most dossiers first."""
    conn = connections.get("default")
    rows = await conn.execute_query_dict(sql(conn, (
        f'SELECT "procedure_id", {_sums()} FROM "stat_daily" WHERE "agency_id" = ? AND "day" >= ? AND "day" < ?'
        ' GROUP BY "procedure_id"')), [agency.id, day_value(conn, period.first), day_value(conn, period.end)])
    titles = {p["id"]: p for p in await Procedure.filter(id__in=[r["procedure_id"] for r in rows]).values(
        "id", "code", "title")} if rows else {}
    items = [Item(titles[r["procedure_id"]]["code"], titles[r["procedure_id"]]["title"], agency.province_code,
                  Counts.of(r)) for r in rows if r["procedure_id"] in titles]
    for item in items:
        item.groups = index.groups(item.counts)
    return sorted(items, key=lambda i: (-i.counts.received, i.key))


async def agency_total(agency: Agency, period: Period) -> Item:
    """One agency's figures for ``period``, from its ranking (the same cached sums)."""
    for item in await agencies_ranked(period, agency.province_code):
        if item.agency_id == agency.id:
            return item
    item = Item(agency.code, agency.name, agency.province_code, Counts())
    item.groups = index.groups(item.counts)
    return item
