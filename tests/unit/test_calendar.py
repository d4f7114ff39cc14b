"""Working days in Viet Nam: weekends and public holidays do not count towards a time limit."""

from datetime import date, timedelta

import pytest

from backend.core.calendar import (
    HOLIDAYS_FILE,
    HolidaysUnknown,
    add_working_days,
    announced_holidays,
    is_holiday,
    is_working_day,
    parse_holidays,
    require_years,
    working_days_between,
)

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


def test_the_holiday_table_is_data_with_one_tet_per_year():
    table = announced_holidays()
    assert announced_holidays() is table, "read once"
    assert {2025, 2026, 2027} <= set(table)
    for year, days in table.items():
        tet = sorted(d for d in days if d.month in (1, 2))
        assert 5 <= len(tet) <= 10, (year, tet)  # Tết: about a week, never a guess of a whole month
        assert all(d.year == year for d in days)


def test_startup_refuses_a_year_missing_from_the_table_and_says_which_and_where():
    last = max(announced_holidays())
    require_years(date(last - 1, 6, 1))  # this year and the next are there
    with pytest.raises(HolidaysUnknown) as refused:
        require_years(date(last, 1, 1))
    assert refused.value.years == [last + 1]
    message = str(refused.value)
    assert f"[{last + 1}]" in message and str(HOLIDAYS_FILE) in message and "holidays.toml" in message


def test_counting_working_days_past_the_table_raises_instead_of_guessing():
    last = max(announced_holidays())
    with pytest.raises(HolidaysUnknown, match=str(last + 1)):
        add_working_days(date(last, 12, 20), 30)
    with pytest.raises(HolidaysUnknown, match=str(last + 1)):
        working_days_between(date(last, 12, 20), date(last + 1, 2, 1))
    assert is_holiday(date(last + 5, 1, 1)), "the fixed solar holidays need no table"
    saturday = date(last + 5, 1, 1) + timedelta(days=(5 - date(last + 5, 1, 1).weekday()) % 7)
    assert not is_working_day(saturday), "nor do weekends"


@pytest.mark.parametrize(
    "text",
    ['[2030]\ntet = [2030-02-08, 2030-02-01]\n',  # reversed
     '[2030]\ntet = [2030-02-01, 2030-02-08]\ndays = [2031-04-01]\n'],  # a day of another year
)
def test_a_malformed_year_is_refused_when_read(text):
    with pytest.raises(ValueError, match="2030"):
        parse_holidays(text)


def test_a_year_is_read_as_its_tet_span_and_single_days():
    table = parse_holidays('[2030]\ntet = [2030-02-01, 2030-02-03]\ndays = [2030-04-12]\nannounced = false\n')
    assert table == {2030: frozenset({date(2030, 2, 1), date(2030, 2, 2), date(2030, 2, 3), date(2030, 4, 12)})}

