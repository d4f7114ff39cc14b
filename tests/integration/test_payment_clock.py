"""A payment attempt expires by the portal's clock (the injected one), not by the machine's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backend.core.clock import FixedClock
from backend.payments.models import Payment
from backend.payments.services import PAYMENT_TTL
from tests.integration.payment_steps import params_of, start_paying
from tests.integration.test_payments import ID_CARD
from tests.support import CITIZEN, fill_draft

pytestmark = pytest.mark.integration


@pytest.fixture
def clock() -> FixedClock:
    """The portal's time (tests/conftest.py's ``portal`` starts the app with it): a Tuesday in March 2026."""
    return FixedClock.on(date(2026, 3, 10))


async def test_an_attempt_stays_open_for_its_time_on_the_portals_clock(portal, clock):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    first = await start_paying(portal, code, ID_CARD)
    attempt = await Payment.get(dossier__code=code)
    assert attempt.expires_at == clock.now() + PAYMENT_TTL
    assert params_of(first)["vnp_TxnRef"].startswith("260310"), "the reference is dated by the same clock"

    clock.advance(PAYMENT_TTL - timedelta(seconds=1))
    assert await start_paying(portal, code, ID_CARD) == first, "still open: the same attempt, the same page"
    clock.advance(timedelta(seconds=2))
    later = await start_paying(portal, code, ID_CARD)
    assert params_of(later)["vnp_TxnRef"] != params_of(first)["vnp_TxnRef"], "expired: a new attempt"
    assert await Payment.filter(dossier__code=code).count() == 2
