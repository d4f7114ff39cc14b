"""Working days in Viet Nam: weekends and public holidays do not count towards time limits.

The holidays that move (Tết, Hùng Kings' day, the days added around the fixed ones) are data, one table per year
in ``holidays.toml``, read once. A year missing from it is an error, never a guess: ``require_years`` refuses at
startup, and a computation that runs past the last year raises ``HolidaysUnknown``.
"""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from functools import cache
from pathlib import Path

HOLIDAYS_FILE = Path(__file__).with_name("holidays.toml")

# Fixed solar holidays (Labour Code 2019, art. 112): New Year, Reunification, Labour Day, National Day.
FIXED_HOLIDAYS = {(1, 1), (4, 30), (5, 1), (9, 2)}


class HolidaysUnknown(RuntimeError):
    """The holiday table has no entry for a year the portal needs."""

    def __init__(self, years: list[int], needed_for: str) -> None:
        self.years = years
        listed = ", ".join(str(y) for y in years)
        super().__init__(
            f"The working-day calendar has no public holidays for {listed} ({needed_for}). "
            f"Add a [{years[0]}] table to {HOLIDAYS_FILE} with that year's Tết span and other days off "
            "(the lunar dates are known years ahead; see the notes at the top of the file), then restart."
        )


def _span(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


def parse_holidays(text: str) -> dict[int, frozenset[date]]:
    """The announced holidays per year from the TOML text of ``holidays.toml``."""
    table: dict[int, frozenset[date]] = {}
    for key, entry in tomllib.loads(text).items():
        year = int(key)
        first, last = entry["tet"]
        days = _span(first, last) | set(entry.get("days", []))
        if last < first or any(not isinstance(d, date) or d.year != year for d in days):
            raise ValueError(f"{HOLIDAYS_FILE.name} [{year}]: a date outside {year}, or the Tết span reversed")
        table[year] = frozenset(days)
    return table


@cache
def announced_holidays() -> dict[int, frozenset[date]]:
    """Read once per process."""
    return parse_holidays(HOLIDAYS_FILE.read_text(encoding="utf-8"))


def known_years() -> set[int]:
    return set(announced_holidays())


def require_years(today: date) -> None:
    """Refuse (``HolidaysUnknown``) unless this year and the next are in the table: due dates reach into the next."""
    missing = sorted({today.year, today.year + 1} - known_years())
    if missing:
        raise HolidaysUnknown(missing, f"needed from {today.isoformat()}: due dates run into the next year")


def is_holiday(day: date) -> bool:
    if (day.month, day.day) in FIXED_HOLIDAYS:
        return True
    table = announced_holidays()
    if day.year not in table:
        raise HolidaysUnknown([day.year], f"asked about {day.isoformat()}")
    return day in table[day.year]


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
