"""Verified identity (level 2): match an identity number and the account's phone in the population registry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from tortoise.exceptions import IntegrityError

from backend.accounts.models import User
from backend.core import clock
from backend.identity.models import VerificationAttempt
from backend.identity.registry import Outcome, PopulationRegistry

TAKEN = "taken"  # matched, but another account already holds the number
# Attempts the registry answered; "unavailable" ones do not count, or an outage would lock citizens out.
_COUNTED = (Outcome.MATCHED, Outcome.MISMATCH, Outcome.UNKNOWN, TAKEN)


class MalformedNumber(ValueError):
    """Not 12 digits: never sent to the registry."""


class TooManyAttempts(Exception):
    """The account asked the registry too often in the last 24 hours."""


@dataclass(frozen=True)
class Verification:
    outcome: str  # an Outcome value, or TAKEN
    number: str


def clean_number(raw: str) -> str:
    """``001 190 012 345`` -> ``001190012345``; raises MalformedNumber unless exactly 12 digits remain."""
    number = re.sub(r"\s+", "", raw or "")
    if not re.fullmatch(r"[0-9]{12}", number):  # \d would take other scripts' digits too
        raise MalformedNumber(number)
    return number


def masked(number: str | None) -> str:
    """All but the last four digits hidden, so a page or a screenshot does not give the number away."""
    return "•" * 8 + number[-4:] if number else ""


async def attempts_left(user: User, limit: int) -> int:
    since = clock.now() - timedelta(hours=24)
    used = await VerificationAttempt.filter(
        user=user, created_at__gte=since, outcome__in=[str(o) for o in _COUNTED]
    ).count()
    return max(limit - used, 0)


async def verify(user: User, raw: str, registry: PopulationRegistry, limit: int) -> Verification:
    """Check ``raw`` against the registry with the account's phone; on a match the account becomes level 2.

    The registry is asked before the portal looks for another account holding the number, so that the
    answer for a stranger's number never tells whether it has an account here.
    """
    number = clean_number(raw)
    if await attempts_left(user, limit) <= 0:
        raise TooManyAttempts()
    result = await registry.lookup(number, user.phone)
    outcome: str = result.outcome
    if result.outcome is Outcome.MATCHED:
        if await User.filter(identity_number=number).exclude(id=user.id).exists():
            outcome = TAKEN
        else:
            user.identity_number, user.identity_verified_at = number, clock.now()
            try:
                await user.save(update_fields=["identity_number", "identity_verified_at"])
            except IntegrityError:  # another account took it between the check and the save
                user.identity_number, user.identity_verified_at = None, None
                outcome = TAKEN
    await VerificationAttempt.create(user=user, outcome=str(outcome))
    return Verification(str(outcome), number)
