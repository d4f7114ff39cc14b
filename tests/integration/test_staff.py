"""Staff administration (issue 17): agency administrators, officials and leads, deactivation, the audit log,
assignment and the desk's assignment filters; every bad input refused with nothing changed."""

from __future__ import annotations

import pytest

from backend.accounts.models import AgencyRole, Role, User
from backend.catalogue.models import Agency
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier
from backend.staff.models import StaffAction, StaffChange
from tests.integration.helpers import drive, people
from tests.integration.test_passkeys import add_passkey, passkey_sign_in
from tests.softauthn import SoftAuthenticator
from tests.support import CITIZEN, OFFICER, OTHER_OFFICER

pytestmark = pytest.mark.integration

ADMIN = "0900000000"
HOANKIEM = "P01-W-HOANKIEM"
AGENCY_ADMIN = "0902000001"
NEW_OFFICIAL = "0902000002"


def e164(phone: str) -> str:
    return "84" + phone[1:]


async def user(phone: str) -> User:
    return await User.get(phone=e164(phone))


async def make_staff(phone: str, role: AgencyRole, agency: str = HOANKIEM, name: str = "") -> User:
    """An officer of ``agency`` with ``role``, as the pages would leave them (demo officials are plain officials)."""
    found, _ = await User.update_or_create(
        phone=e164(phone),
        defaults={"full_name": name or f"Staff {phone}", "role": Role.OFFICER, "agency_role": role,
                  "agency": await Agency.get(code=agency)},
    )
    return found


async def changes() -> list[tuple[str, str, str]]:
    rows = await StaffChange.all().order_by("id").select_related("actor", "target", "agency")
    return [(row.actor.phone, row.target.phone, row.action.value) for row in rows]


async def test_the_portal_administrator_names_an_agency_administrator(portal):
    async with people(portal, ADMIN) as (admin,):
        search = await admin.get("/staff?q=hoàn kiếm")
        assert search.status_code == 200 and f"/en/staff/{HOANKIEM}" in search.text
        assert f"/en/staff/{HOANKIEM}" in (await admin.get("/staff?q=hoan kiem")).text  # accents not needed
        assert (await admin.get(f"/staff/{HOANKIEM}")).status_code == 200
        response = await admin.post_form(f"/staff/{HOANKIEM}", {
            "phone": "0902 000 001", "full_name": "Đỗ Minh Châu", "agency_role": "agency_admin"})
        assert response.status_code in (302, 303), response.text
        page = await admin.get(f"/staff/{HOANKIEM}")
        assert "Đỗ Minh Châu" in page.text and "Added." in page.text
    named = await user(AGENCY_ADMIN)
    assert (named.role, named.agency_role, named.active) == (Role.OFFICER, AgencyRole.AGENCY_ADMIN, True)
    assert named.agency_id == (await Agency.get(code=HOANKIEM)).id
    row = await StaffChange.get(target_id=named.id)
    assert row.action is StaffAction.ADDED and row.before is None
    assert row.after["agency_role"] == "agency_admin" and row.after["active"] is True
    assert row.actor_id == (await user(ADMIN)).id and row.agency_id == named.agency_id


async def test_an_agency_administrator_runs_the_agencys_officials(portal):
    await make_staff(AGENCY_ADMIN, AgencyRole.AGENCY_ADMIN)
    async with people(portal, AGENCY_ADMIN) as (boss,):
        assert 'href="/en/staff"' in (await boss.get("/desk")).text  # the main menu leads there
        start = await boss.get("/staff")
        assert start.status_code in (302, 303) and start.headers["location"].endswith(f"/staff/{HOANKIEM}")
        added = await boss.post_form(f"/staff/{HOANKIEM}", {
            "phone": NEW_OFFICIAL, "full_name": "Vũ Thị Hằng", "agency_role": "lead"})
        assert added.status_code in (302, 303), added.text
        target = await user(NEW_OFFICIAL)
        assert target.agency_role is AgencyRole.LEAD
        assert (await boss.post_form(f"/staff/{HOANKIEM}/{target.id}/role", {"agency_role": "official"})
                ).status_code in (302, 303)
        assert (await boss.post_form(f"/staff/{HOANKIEM}/{target.id}/deactivate")).status_code in (302, 303)
        target = await user(NEW_OFFICIAL)
        assert (target.agency_role, target.active) == (AgencyRole.OFFICIAL, False)
        assert target.deactivated_at is not None
        assert (await boss.post_form(f"/staff/{HOANKIEM}/{target.id}/reactivate")).status_code in (302, 303)
        target = await user(NEW_OFFICIAL)
        assert target.active and target.deactivated_at is None
        log = await boss.get(f"/staff/{HOANKIEM}/audit")
        assert log.status_code == 200
        for text in ("Added", "Role changed", "Deactivated", "Reactivated", "Vũ Thị Hằng"):
            assert text in log.text
    boss_phone, target_phone = e164(AGENCY_ADMIN), e164(NEW_OFFICIAL)
    assert await changes() == [
        (boss_phone, target_phone, "added"), (boss_phone, target_phone, "role_changed"),
        (boss_phone, target_phone, "deactivated"), (boss_phone, target_phone, "reactivated"),
    ]
    rows = await StaffChange.all().order_by("id")
    assert rows[1].before["agency_role"] == "lead" and rows[1].after["agency_role"] == "official"
    assert rows[2].before["active"] is True and rows[2].after["active"] is False
    assert rows[3].before["active"] is False and rows[3].after["active"] is True
    with pytest.raises(Exception, match="append-only"):  # noqa: PT011  # the database itself keeps the log as written
        await StaffChange.filter(id=rows[0].id).update(action=StaffAction.REACTIVATED)


async def test_a_deactivated_officials_sessions_end_at_once_and_they_cannot_sign_in(portal):
    await make_staff(AGENCY_ADMIN, AgencyRole.AGENCY_ADMIN)
    async with people(portal, AGENCY_ADMIN, OFFICER) as (boss, official):
        assert (await official.get("/desk")).status_code == 200
        target = await user(OFFICER)
        assert (await boss.post_form(f"/staff/{HOANKIEM}/{target.id}/deactivate")).status_code in (302, 303)
        gone = await official.get("/desk")  # the same browser, the very next request
        assert gone.status_code in (302, 303) and "/sign-in" in gone.headers["location"]
        await official.sign_out()
        assert (await official.post_form("/sign-in", {"phone": OFFICER})).status_code in (302, 303)
        refused = await official.post_form("/sign-in/code", {"code": await official.last_code(OFFICER)})
        assert refused.status_code == 400 and "has been deactivated" in refused.text
        assert (await official.get("/desk")).status_code in (302, 303)
        assert (await boss.post_form(f"/staff/{HOANKIEM}/{target.id}/reactivate")).status_code in (302, 303)
        await official.sign_in(OFFICER)
        assert (await official.get("/desk")).status_code == 200


async def test_a_deactivated_official_cannot_sign_in_with_a_passkey_either(portal):
    await portal.sign_in(OFFICER)
    authenticator = SoftAuthenticator()
    assert (await add_passkey(portal, authenticator)).status_code == 200
    await portal.sign_out()
    await User.filter(phone=e164(OFFICER)).update(active=False)
    refused = await passkey_sign_in(portal, authenticator)
    assert refused.status_code == 400 and "has been deactivated" in refused.json()["error"]
    assert (await portal.get("/desk")).status_code in (302, 303)
    await User.filter(phone=e164(OFFICER)).update(active=True)
    assert (await passkey_sign_in(portal, authenticator)).json() == {"redirect": "/en/desk"}


@pytest.mark.parametrize("phone", [CITIZEN, OFFICER])
async def test_the_staff_pages_are_for_administrators_only(portal, phone):
    await make_staff(OFFICER, AgencyRole.LEAD)  # a lead is not an administrator
    async with people(portal, phone) as (someone,):
        for url in ("/staff", f"/staff/{HOANKIEM}", f"/staff/{HOANKIEM}/audit"):
            assert (await someone.get(url)).status_code == 403, url
        refused = await someone.post_form(f"/staff/{HOANKIEM}", {
            "phone": NEW_OFFICIAL, "full_name": "X", "agency_role": "official"})
        assert refused.status_code == 403 and "You cannot do this" in refused.text
    assert not await User.exists(phone=e164(NEW_OFFICIAL))
    assert await StaffChange.all().count() == 0


async def test_an_agency_administrator_cannot_act_on_another_agency(portal):
    await make_staff(AGENCY_ADMIN, AgencyRole.AGENCY_ADMIN)
    other = await user(OTHER_OFFICER)
    async with people(portal, AGENCY_ADMIN) as (boss,):
        assert (await boss.get("/staff/P01-CA")).status_code == 403
        posted = await boss.post_form("/staff/P01-CA", {"phone": NEW_OFFICIAL, "full_name": "X",
                                                         "agency_role": "official"})
        assert posted.status_code == 403 and "your own agency" in posted.text
        assert (await boss.post_form(f"/staff/P01-CA/{other.id}/deactivate")).status_code == 403
        # Through their own agency's address, naming the other agency's official: refused on the page.
        for action, data in (("deactivate", {}), ("role", {"agency_role": "lead"})):
            refused = await boss.post_form(f"/staff/{HOANKIEM}/{other.id}/{action}", data)
            assert refused.status_code == 400, action
            assert "not on your agency&#39;s staff" in refused.text or "not on your agency's staff" in refused.text
    after = await user(OTHER_OFFICER)
    assert (after.active, after.agency_role, after.session_epoch) == (True, other.agency_role, other.session_epoch)
    assert not await User.exists(phone=e164(NEW_OFFICIAL))
    assert await StaffChange.all().count() == 0


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"phone": CITIZEN, "full_name": "Typed name", "agency_role": "official"}, "phone", "already has an account"),
    ({"phone": "12345", "full_name": "Typed name", "agency_role": "official"}, "phone", "Vietnamese mobile number"),
    ({"phone": NEW_OFFICIAL, "full_name": "  ", "agency_role": "official"}, "full_name", "full name"),
    ({"phone": NEW_OFFICIAL, "full_name": "Typed name", "agency_role": "agency_admin"}, "agency_role",
     "Choose official or lead"),
    ({"phone": NEW_OFFICIAL, "full_name": "Typed name"}, "agency_role", "Choose official or lead"),
])
async def test_adding_refuses_bad_input_and_keeps_what_was_typed(portal, data, field, message):
    await make_staff(AGENCY_ADMIN, AgencyRole.AGENCY_ADMIN)
    before = await User.all().count()
    async with people(portal, AGENCY_ADMIN) as (boss,):
        refused = await boss.post_form(f"/staff/{HOANKIEM}", data)
    assert refused.status_code == 400
    assert message in refused.text and 'class="error-summary"' in refused.text
    assert f'id="{field}-error"' in refused.text
    if data["full_name"].strip():
        assert 'value="Typed name"' in refused.text
    assert await User.all().count() == before
    assert await StaffChange.all().count() == 0


async def test_nobody_deactivates_themselves_or_a_fellow_administrator(portal):
    boss = await make_staff(AGENCY_ADMIN, AgencyRole.AGENCY_ADMIN)
    peer = await make_staff(NEW_OFFICIAL, AgencyRole.AGENCY_ADMIN)
    async with people(portal, AGENCY_ADMIN) as (browser,):
        own = await browser.post_form(f"/staff/{HOANKIEM}/{boss.id}/deactivate")
        assert own.status_code == 400 and "your own account" in own.text
        fellow = await browser.post_form(f"/staff/{HOANKIEM}/{peer.id}/deactivate")
        assert fellow.status_code == 400 and "Only the portal administrator" in fellow.text
        role = await browser.post_form(f"/staff/{HOANKIEM}/{boss.id}/role", {"agency_role": "official"})
        assert role.status_code == 400
    assert (await user(AGENCY_ADMIN)).active and (await user(NEW_OFFICIAL)).active
    assert (await user(AGENCY_ADMIN)).agency_role is AgencyRole.AGENCY_ADMIN
    assert await StaffChange.all().count() == 0


async def test_a_lead_assigns_and_the_desk_filters_by_assignment(portal):
    await make_staff(OFFICER, AgencyRole.LEAD)
    official = await make_staff(NEW_OFFICIAL, AgencyRole.OFFICIAL, name="Vũ Thị Hằng")
    async with people(portal, CITIZEN, OFFICER, NEW_OFFICIAL) as (citizen, lead, colleague):
        given = await drive(citizen, lead, Status.SUBMITTED)
        left = await drive(citizen, lead, Status.SUBMITTED)
        page = await lead.get(f"/desk/dossiers/{given}")
        assert 'id="assignee"' in page.text and "Vũ Thị Hằng" in page.text
        assert 'id="assignee"' not in (await colleague.get(f"/desk/dossiers/{given}")).text  # not a lead
        done = await lead.post_form(f"/desk/dossiers/{given}/assign", {"assignee": str(official.id)})
        assert done.status_code in (302, 303), done.text
        assert (await Dossier.get(code=given)).assignee_id == official.id

        mine = await colleague.get("/desk?view=new&assigned=me")
        assert given in mine.text and left not in mine.text and 'aria-current="page">Assigned to me' in mine.text
        unassigned = await lead.get("/desk?view=new&assigned=none")
        assert left in unassigned.text and given not in unassigned.text
        assert "view=in_progress&amp;assigned=none" in unassigned.text  # the filter stays across the views
        everything = await lead.get("/desk?view=new")
        assert given in everything.text and left in everything.text
        assert given not in (await colleague.get("/desk?view=in_progress&assigned=me")).text
        # Its official deactivated: the dossier is back among the unassigned, and the page says why.
        await User.filter(id=official.id).update(active=False)
        assert given in (await lead.get("/desk?view=new&assigned=none")).text
        assert "was deactivated or works for another agency" in (await lead.get(f"/desk/dossiers/{given}")).text
        await User.filter(id=official.id).update(active=True)
        assert given not in (await lead.get("/desk?view=new&assigned=none")).text
        # Taking it back: nobody.
        assert (await lead.post_form(f"/desk/dossiers/{given}/assign", {"assignee": ""})).status_code in (302, 303)
        assert (await Dossier.get(code=given)).assignee_id is None


async def test_assigning_refuses_another_agency_a_deactivated_official_and_non_leads(portal):
    await make_staff(OFFICER, AgencyRole.LEAD)
    official = await make_staff(NEW_OFFICIAL, AgencyRole.OFFICIAL, name="Vũ Thị Hằng")
    stranger = await user(OTHER_OFFICER)
    sleeper = await make_staff("0902000003", AgencyRole.OFFICIAL, name="Hồ Văn Nghỉ")
    await User.filter(id=sleeper.id).update(active=False)
    async with people(portal, CITIZEN, OFFICER, NEW_OFFICIAL) as (citizen, lead, colleague):
        code = await drive(citizen, lead, Status.SUBMITTED)
        other = await lead.post_form(f"/desk/dossiers/{code}/assign", {"assignee": str(stranger.id)})
        assert other.status_code == 400 and "does not work here" in other.text
        assert 'class="error-summary"' in other.text and 'href="#assignee"' in other.text
        asleep = await lead.post_form(f"/desk/dossiers/{code}/assign", {"assignee": str(sleeper.id)})
        assert asleep.status_code == 400 and "has been deactivated" in asleep.text
        assert "Hồ Văn Nghỉ" not in (await lead.get(f"/desk/dossiers/{code}")).text  # not offered either
        junk = await lead.post_form(f"/desk/dossiers/{code}/assign", {"assignee": "not-a-number"})
        assert junk.status_code == 400
        not_lead = await colleague.post_form(f"/desk/dossiers/{code}/assign", {"assignee": str(official.id)})
        assert not_lead.status_code == 400 and "Only a lead" in not_lead.text
    assert (await Dossier.get(code=code)).assignee_id is None


async def test_a_dossier_moved_to_another_agency_is_unassigned_there(portal):
    await make_staff(OFFICER, AgencyRole.LEAD)
    official = await make_staff(NEW_OFFICIAL, AgencyRole.OFFICIAL)
    async with people(portal, CITIZEN, OFFICER, OTHER_OFFICER) as (citizen, lead, elsewhere):
        code = await drive(citizen, lead, Status.SUBMITTED)
        assert (await lead.post_form(f"/desk/dossiers/{code}/assign", {"assignee": str(official.id)})
                ).status_code in (302, 303)
        # As a transfer leaves it: the dossier now belongs to the police, its assignee to the ward.
        await Dossier.filter(code=code).update(agency_id=(await Agency.get(code="P01-CA")).id)
        assert code in (await elsewhere.get("/desk?view=new&assigned=none")).text
        assert code not in (await elsewhere.get("/desk?view=new&assigned=me")).text
        assert "works for another agency" in (await elsewhere.get(f"/desk/dossiers/{code}")).text
