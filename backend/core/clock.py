"""Time as the portal counts it: instants in UTC, calendar days in Viet Nam."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return datetime.now(VIETNAM).date()
