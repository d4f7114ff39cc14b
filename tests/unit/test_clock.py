"""The portal's clock: an object handlers are given, fixed in tests of date rules."""

from datetime import UTC, date, datetime, timedelta

import pytest

from backend.core.clock import SYSTEM, VIETNAM, Clock, FixedClock

pytestmark = pytest.mark.unit


def test_the_day_is_viet_nams_whatever_the_utc_date():
    clock = FixedClock(datetime(2026, 2, 16, 20, 0, tzinfo=UTC))  # 03:00 on the 17th in Hà Nội
    assert clock.today() == date(2026, 2, 17)
    assert clock.now() == datetime(2026, 2, 16, 20, 0, tzinfo=UTC) and clock.now().tzinfo is UTC


def test_a_fixed_clock_stays_until_moved():
    clock = FixedClock.on(date(2026, 3, 10))
    assert clock.now() == clock.now() == datetime(2026, 3, 10, 9, tzinfo=VIETNAM)
    clock.advance(timedelta(days=14))
    assert clock.today() == date(2026, 3, 24)
    clock.set(datetime(2027, 1, 1, tzinfo=VIETNAM))
    assert clock.today() == date(2027, 1, 1)
    with pytest.raises(ValueError, match="aware"):
        clock.set(datetime(2027, 1, 1))  # a naive time would be read as UTC or local depending on who reads it


def test_both_clocks_are_clocks():
    assert isinstance(SYSTEM, Clock) and isinstance(FixedClock.on(date(2026, 1, 2)), Clock)
    assert abs(SYSTEM.now() - datetime.now(UTC)) < timedelta(seconds=5)
