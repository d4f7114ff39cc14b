"""Working days in Viet Nam: weekends and public holidays do not count towards a time limit."""

from datetime import date, timedelta

import pytest

from backend.core.calendar import add_working_days, is_holiday, is_working_day, working_days_between

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 3, 2), 1, date(2026, 3, 3)),  # Mon -> Tue
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Fri -> Mon: the weekend is skipped
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # from a Saturday
        (date(2026, 3, 2), 5, date(2026, 3, 9)),  # a whole week
        (date(2026, 3, 2), 10, date(2026, 3, 16)),
        (date(2026, 2, 13), 1, date(2026, 2, 23)),  # Fri before Tết 2026 (14-22 Feb) -> Mon after it
        (date(2026, 2, 12), 2, date(2026, 2, 23)),
        (date(2026, 4, 24), 1, date(2026, 4, 28)),  # Fri -> Tue: Mon 27 April is Hùng Kings' day
        (date(2026, 4, 29), 1, date(2026, 5, 4)),  # Wed -> Mon: 30 April and 1 May are holidays
        (date(2026, 8, 31), 1, date(2026, 9, 3)),  # Mon -> Thu: 1 and 2 September are holidays
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # Thu -> Mon: New Year's Day, then the weekend
        (date(2026, 3, 2), 0, date(2026, 3, 2)),  # no time at all
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected
    assert is_working_day(add_working_days(start, days)) or days == 0


@pytest.mark.parametrize(
    "day",
    [date(2026, 1, 1), date(2026, 2, 14), date(2026, 2, 17), date(2026, 2, 20), date(2026, 2, 22),
     date(2026, 4, 27), date(2026, 4, 30), date(2026, 5, 1), date(2026, 9, 1), date(2026, 9, 2),
     date(2025, 1, 28), date(2027, 2, 8)],
)
def test_public_holidays_are_not_working_days(day):
    assert is_holiday(day)
    assert not is_working_day(day)


def test_weekends_are_not_working_days_and_ordinary_weekdays_are():
    monday = date(2026, 3, 2)
    assert [is_working_day(monday + timedelta(days=i)) for i in range(7)] == [True] * 5 + [False] * 2
    assert is_working_day(date(2026, 2, 13)) and is_working_day(date(2026, 2, 23))
    assert not is_holiday(date(2026, 9, 3))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 2), 0),
        (date(2026, 3, 2), date(2026, 3, 1), 0),  # backwards
        (date(2026, 3, 2), date(2026, 3, 3), 1),  # the start does not count, the end does
        (date(2026, 3, 6), date(2026, 3, 9), 1),  # Fri -> Mon
        (date(2026, 3, 6), date(2026, 3, 8), 0),  # only a weekend
        (date(2026, 2, 13), date(2026, 2, 23), 1),  # across Tết
        (date(2026, 2, 13), date(2026, 2, 22), 0),
        (date(2026, 4, 29), date(2026, 5, 4), 1),
        (date(2026, 3, 2), date(2026, 3, 30), 20),  # four weeks
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected


@pytest.mark.parametrize("start", [date(2026, 2, 10), date(2026, 4, 25), date(2026, 8, 28), date(2026, 12, 30)])
@pytest.mark.parametrize("days", [1, 3, 7, 15])
def test_the_two_functions_agree(start, days):
    assert working_days_between(start, add_working_days(start, days)) == days
