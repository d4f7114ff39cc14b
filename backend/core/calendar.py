"""Working days in Viet Nam: weekends and public holidays do not count towards time limits."""

from __future__ import annotations

from datetime import date, timedelta

# Fixed solar holidays (Labour Code 2019, art. 112): New Year, Reunification, Labour Day, National Day.
FIXED_HOLIDAYS = {(1, 1), (4, 30), (5, 1), (9, 2)}


def _span(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


# Lunar holidays (Tết, Hùng Kings) and the days added or moved around the fixed ones are announced
# by the government each year, so they are data: add the coming year here when it is published.
ANNOUNCED_HOLIDAYS: dict[int, set[date]] = {
    2025: _span(date(2025, 1, 25), date(2025, 2, 2)) | {date(2025, 4, 7), date(2025, 9, 1)},
    2026: _span(date(2026, 2, 14), date(2026, 2, 22)) | {date(2026, 4, 27), date(2026, 9, 1)},
    2027: _span(date(2027, 2, 5), date(2027, 2, 10)) | {date(2027, 4, 16), date(2027, 5, 3), date(2027, 9, 3)},
}


def is_holiday(day: date) -> bool:
    return (day.month, day.day) in FIXED_HOLIDAYS or day in ANNOUNCED_HOLIDAYS.get(day.year, ())


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
