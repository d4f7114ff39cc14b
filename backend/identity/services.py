"""Verified identity (level 2): match an identity number and the account's phone in the population registry."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from backend.accounts.models import User
from backend.core import clock
from backend.core.i18n import gettext
from backend.identity.models import VerificationAttempt
from backend.identity.registry import Outcome, PopulationRegistry
from backend.limits.services import DAY, HOUR, Limit, Refused, give_back, per_client, take, used
from backend.settings import Settings
from backend.sms.gateway import HttpSmsGateway, SmsError

log = logging.getLogger(__name__)

TAKEN = "taken"  # matched, but another account already holds the number


class MalformedNumber(ValueError):
    """Not 12 digits: never sent to the registry."""


class TooManyAttempts(Exception):
    """The account asked the registry too often today."""


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


def _per_account(user: User, settings: Settings) -> tuple[Limit, str]:
    return Limit("identity", settings.identity_max_attempts_per_day, DAY), f"user:{user.id}"


async def attempts_left(user: User, settings: Settings) -> int:
    """Checks the account has left today (days as Viet Nam counts them)."""
    limit, key = _per_account(user, settings)
    return max(limit.allowed - await used(limit, key), 0)


async def verify(
    user: User, raw: str, registry: PopulationRegistry, settings: Settings, *, client: str | None = None,
    sms: HttpSmsGateway | None = None,
) -> Verification:
    """Check ``raw`` against the registry with the account's phone; on a match the account becomes level 2.

    The check is counted (per account, per client address and network) before the registry is asked, in one
    atomic step per counter, so that checks sent at once cannot all pass; one the registry could not answer is
    given back, or an outage would lock citizens out. The registry is asked before the portal looks for another
    account holding the number, so the answer for a stranger's number never tells whether it has an account
    here; the controller answers "taken" as it answers "no match", and the number's owner (the registry just
    confirmed this account's phone is theirs) learns why by SMS (``sms``).
    """
    number = clean_number(raw)
    per_account = _per_account(user, settings)
    checks = [*per_client(Limit("identity-ip", settings.identity_checks_per_ip_per_hour, HOUR), client,
                          settings.network_limit_factor), per_account]
    now = clock.now()
    try:
        await take(*checks, now=now)
    except Refused as exc:
        if exc.limit is per_account[0]:
            raise TooManyAttempts() from exc
        raise
    result = await registry.lookup(number, user.phone)
    outcome: str = result.outcome
    if result.outcome is Outcome.UNAVAILABLE:
        await give_back(*checks, now=now)
    elif result.outcome is Outcome.MATCHED:
        if await User.filter(identity_number=number).exclude(id=user.id).exists():
            outcome = TAKEN
        else:
            user.identity_number, user.identity_verified_at = number, clock.now()
            try:
                await user.save(update_fields=["identity_number", "identity_verified_at"])
            except IntegrityError:  # another account took it between the check and the save
                user.identity_number, user.identity_verified_at = None, None
                outcome = TAKEN
        if outcome == TAKEN and sms is not None:
            await _tell_owner(sms, user.phone)
    await VerificationAttempt.create(user=user, outcome=str(outcome))
    return Verification(str(outcome), number)


async def _tell_owner(sms: HttpSmsGateway, phone: str) -> None:
    text = gettext(
        "Your identity number is already verified on another account of the public service portal. "
        "If it is an old account of yours, sign in with its mobile number. If you do not know that account, "
        "call the help line: someone may be using your identity number."
    )
    try:
        await sms.send(phone, text)
    except SmsError:  # the page already gives the neutral answer; the owner can still call the help line
        log.warning("Could not send the identity-in-use message")
