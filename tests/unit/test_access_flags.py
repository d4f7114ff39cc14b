"""Which accesses the agency lead is shown flagged (``backend.audit.flags``), case by case."""

from types import SimpleNamespace

import pytest

from backend.accounts.models import AgencyRole, Role, User
from backend.audit.flags import outside_assignment
from backend.audit.log import actor_role

WARD, POLICE = 7, 8
ME, COLLEAGUE = 3, 4


def person(role: Role = Role.OFFICER, agency_id: int | None = WARD, agency_role: AgencyRole | None = None):
    """An account as the log reads it (its role in the agency worked out by ``User.role_in_agency`` itself)."""
    who = SimpleNamespace(id=ME, full_name="", role=role, agency_id=agency_id, agency_role=agency_role)
    who.role_in_agency = User.role_in_agency.fget(who)  # type: ignore[attr-defined]
    return who


@pytest.mark.parametrize(("who", "agency", "assignee", "flagged"), [
    (person(agency_role=AgencyRole.OFFICIAL), WARD, None, False),  # unassigned: any official may pick it up
    (person(agency_role=AgencyRole.OFFICIAL), WARD, ME, False),  # their own
    (person(agency_role=AgencyRole.OFFICIAL), WARD, COLLEAGUE, True),  # a colleague's
    (person(agency_role=None), WARD, COLLEAGUE, True),  # officials from before roles are officials
    (person(agency_role=AgencyRole.LEAD), WARD, COLLEAGUE, False),  # leads assign and look over
    (person(agency_role=AgencyRole.AGENCY_ADMIN), WARD, COLLEAGUE, False),
    (person(agency_role=AgencyRole.OFFICIAL), POLICE, None, True),  # another agency's dossier
    (person(agency_role=AgencyRole.LEAD), POLICE, ME, True),  # ...whoever, whatever the assignment
    (person(Role.CITIZEN, None), WARD, COLLEAGUE, False),  # a helper: their access comes from the consent
    (person(Role.ADMIN, None), POLICE, COLLEAGUE, False),
])
def test_flagged(who, agency, assignee, flagged):
    assert outside_assignment(who, agency, assignee) is flagged


@pytest.mark.parametrize(("who", "role"), [
    (person(agency_role=AgencyRole.OFFICIAL), "official"),
    (person(agency_role=None), "official"),
    (person(agency_role=AgencyRole.LEAD), "lead"),
    (person(agency_role=AgencyRole.AGENCY_ADMIN), "agency_admin"),
    (person(Role.ADMIN, None), "admin"),
    (person(Role.CITIZEN, None), "helper"),
])
def test_the_role_written_with_each_access(who, role):
    assert actor_role(who) == role
