"""Time as the portal counts it: instants in UTC, calendar days in Viet Nam.

The clock is an object. ``create_app`` provides one to handlers under the dependency name ``clock``
(``Provide``); handlers pass it to the services whose rules depend on the date (due dates, working days,
payment expiries, codes stamped with the day), so a test can fix the date with a ``FixedClock``.
Rate limits and leases keep their monotonic or database time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        ...

    def today(self) -> date:
        """The calendar day in Viet Nam (what time limits count)."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(VIETNAM).date()


class FixedClock:
    """A clock that stays where it is put: ``FixedClock(datetime(2026, 2, 10, 9, tzinfo=VIETNAM))``."""

    def __init__(self, at: datetime) -> None:
        self.set(at)

    @classmethod
    def on(cls, day: date, hour: int = 9) -> FixedClock:
        """Working hours on ``day`` in Viet Nam."""
        return cls(datetime(day.year, day.month, day.day, hour, tzinfo=VIETNAM))

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a fixed clock needs an aware datetime (tzinfo=VIETNAM or UTC)")
        self._at = at.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._at += delta

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return self._at.astimezone(VIETNAM).date()


SYSTEM = SystemClock()


def now() -> datetime:
    """The system clock's instant, for timestamps that no rule reads back (created_at, last used)."""
    return SYSTEM.now()


def today() -> date:
    """The system clock's day. Rules that depend on the date take a ``Clock`` instead."""
    return SYSTEM.today()
