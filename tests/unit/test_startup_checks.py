"""What the portal checks before it starts: refusing is better than counting time limits wrong."""

from datetime import date

import pytest

from backend.app import create_app
from backend.core.calendar import HolidaysUnknown, announced_holidays
from backend.core.clock import FixedClock
from backend.settings import Settings

pytestmark = pytest.mark.unit


def test_create_app_refuses_to_build_a_portal_whose_next_year_has_no_holidays(tmp_path):
    last = max(announced_holidays())
    settings = Settings(database_url="sqlite://:memory:", data_dir=tmp_path, demo_mode=True, secret_key="test")
    with pytest.raises(HolidaysUnknown, match=rf"\[{last + 1}\]"):
        create_app(settings, clock=FixedClock.on(date(last, 3, 2)))
    create_app(settings, clock=FixedClock.on(date(last - 1, 3, 2)))  # built, not started: no database needed
