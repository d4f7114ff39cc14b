"""The one rule of who may see a dossier (``backend.dossiers.access``), case by case."""

from types import SimpleNamespace

import pytest

from backend.accounts.models import Role
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
