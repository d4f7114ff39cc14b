"""The access log (issue 21): an official's look at a citizen's dossier, documents and results is written, once per
request in one insert, flagged outside the official's assignment; the citizen's own look writes nothing."""

from __future__ import annotations

import pytest

from backend.accounts.models import AgencyRole, User
from backend.audit.models import AccessEntry
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier
from tests.integration.helpers import drive, people
from tests.integration.test_staff import make_staff
from tests.support import CITIZEN, OFFICER

pytestmark = pytest.mark.integration


async def rows() -> list[tuple[str, str, str, bool]]:
    return [(row.what, row.reason, row.actor_role, row.flagged)
            for row in await AccessEntry.all().order_by("id")]


async def test_an_official_opening_a_dossier_is_logged_and_the_citizen_is_not(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.IN_PROGRESS)
        await AccessEntry.all().delete()  # the API calls that brought it here are accesses too
        assert (await citizen.get(f"/my/dossiers/{code}")).status_code == 200
        assert await rows() == []
        assert (await officer.get(f"/desk/dossiers/{code}")).status_code == 200
        entry = await AccessEntry.get()
        dossier = await Dossier.get(code=code)
        official = await User.get(phone="84" + OFFICER[1:])
        assert (entry.citizen_id, entry.actor_id, entry.dossier_id) == (dossier.applicant_id, official.id, dossier.id)
        assert (entry.what, entry.reason, entry.actor_role, entry.agency_id, entry.flagged) == (
            "dossier", "desk.dossier_page", "official", official.agency_id, False)
        assert entry.actor_name == official.full_name


@pytest.fixture
def writes(monkeypatch) -> list[str]:
    """Every insert statement the default connection runs from now on (bulk inserts go through execute_many)."""
    from tortoise import connections

    client = connections.get("default")
    seen: list[str] = []
    for name in ("execute_insert", "execute_many", "execute_query", "execute_script"):
        original = getattr(client, name)

        async def spied(query, *args, _original=original):
            seen.append(query)
            return await _original(query, *args)

        monkeypatch.setattr(client, name, spied)
    return seen


async def test_one_insert_per_request(portal, writes):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.IN_PROGRESS)
        writes.clear()
        assert (await officer.get(f"/desk/dossiers/{code}")).status_code == 200
        inserts = [sql for sql in writes if "access_log" in sql]
        assert len(inserts) == 1 and inserts[0].lstrip().upper().startswith("INSERT"), inserts


async def test_an_official_opening_a_dossier_assigned_to_another_is_flagged(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.IN_PROGRESS)
        other = await make_staff("0902100001", AgencyRole.OFFICIAL)
        await Dossier.filter(code=code).update(assignee_id=other.id)
        await AccessEntry.all().delete()
        assert (await officer.get(f"/desk/dossiers/{code}")).status_code == 200
        assert await rows() == [("dossier", "desk.dossier_page", "official", True)]
