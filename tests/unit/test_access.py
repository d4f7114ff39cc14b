"""The one rule of who may see a dossier (``backend.dossiers.access``), case by case."""

import asyncio
from types import SimpleNamespace

import pytest

from backend.accounts.models import Role
from backend.dossiers import access
from backend.dossiers.access import Standing, may_see, standings
from backend.dossiers.constants import Status

APPLICANT, OFFICIAL = Standing.APPLICANT, Standing.OFFICIAL
WARD, POLICE = 7, 8


def dossier(status: Status = Status.SUBMITTED):
    return SimpleNamespace(applicant_id=1, agency_id=WARD, status=status)


def person(id_: int, role: Role = Role.CITIZEN, agency_id: int | None = None):
    return SimpleNamespace(id=id_, role=role, agency_id=agency_id)


@pytest.mark.parametrize(("who", "status", "expected"), [
    (person(1), Status.DRAFT, {APPLICANT}),
    (person(1), Status.APPROVED, {APPLICANT}),
    (person(2), Status.SUBMITTED, set()),  # another citizen
    (person(3, Role.OFFICER, WARD), Status.SUBMITTED, {OFFICIAL}),
    (person(3, Role.OFFICER, WARD), Status.DRAFT, set()),  # drafts stay private to the citizen
    (person(4, Role.OFFICER, POLICE), Status.SUBMITTED, set()),  # another agency
    (person(5, Role.CITIZEN, WARD), Status.SUBMITTED, set()),  # an agency id without the officer's role
    (person(6, Role.ADMIN), Status.SUBMITTED, set()),  # administrators run the portal, not its dossiers
    (person(1, Role.OFFICER, WARD), Status.SUBMITTED, {APPLICANT, OFFICIAL}),  # applied at their own agency
    (None, Status.SUBMITTED, set()),
])
def test_standings(who, status, expected):
    assert standings(dossier(status), who) == expected


def test_may_see_asks_for_the_standings_given_or_any():
    official = person(3, Role.OFFICER, WARD)
    assert may_see(dossier(), official) and may_see(dossier(), official, OFFICIAL)
    assert not may_see(dossier(), official, APPLICANT)


HELPER = Standing.HELPER


@pytest.fixture(autouse=True)
def only_these_sources(monkeypatch):
    """No source another test's app registered (``backend.assisted`` asks the database): only this module's."""
    monkeypatch.setattr(access, "_SOURCES", {})


@pytest.fixture
def helper_source():
    """A standing source as ``backend.assisted`` registers one: HELPER for person 9 only; counts its calls."""
    calls = []

    async def source(dossier, user):
        calls.append(user.id)
        return {HELPER} if user.id == 9 else set()

    access.register_standing_source("test", source)
    yield calls
    access.unregister_standing_source("test")


@pytest.mark.parametrize(("who", "as_", "expected"), [
    (person(9), (HELPER,), True),  # the source grants it where a page names HELPER
    (person(9), (APPLICANT, HELPER), True),
    (person(9), (), False),  # HELPER is not among ANYONE_CONCERNED: other pages stay closed to a helper
    (person(9), (APPLICANT,), False),
    (person(9), (OFFICIAL,), False),
    (person(2), (HELPER,), False),
    (person(1), (APPLICANT, HELPER), True),  # the applicant, from the rule itself
    (None, (HELPER,), False),
])
def test_stands_as_asks_sources_only_for_their_standings(helper_source, who, as_, expected):
    assert asyncio.run(access.stands_as(dossier(), who, *as_)) is expected


def test_sources_are_not_asked_when_the_page_names_only_the_rules_own(helper_source):
    asyncio.run(access.stands_as(dossier(), person(9)))
    asyncio.run(access.stands_as(dossier(), person(9), APPLICANT, OFFICIAL))
    asyncio.run(access.stands_as(dossier(), person(1), APPLICANT, HELPER))  # the rule answered first
    assert helper_source == []


def test_a_source_cannot_grant_the_rules_own_standings():
    async def greedy(dossier, user):
        return {APPLICANT, OFFICIAL, HELPER}

    access.register_standing_source("greedy", greedy)
    try:
        assert not asyncio.run(access.stands_as(dossier(), person(2), APPLICANT, OFFICIAL))
        assert asyncio.run(access.stands_as(dossier(), person(2), HELPER))
    finally:
        access.unregister_standing_source("greedy")
