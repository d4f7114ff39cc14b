"""Transfer of a dossier to the agency found competent (issue 17, item 5), through the desk's form and the API.

The ward that received a birth registration transfers it to another ward: the dossier leaves the first ward's
desk (its officials meet the same 404 as any other agency's, on the desk, the API and the downloads) and stays in
its "Transferred out" list; it waits in the new ward's "New" queue with no due date until that ward receives it;
the citizen sees the transfer on their page, on /track, and is told by push (or SMS). Every bad input is refused
with its reason, nothing changed and the reason typed kept.
"""

from __future__ import annotations

import asyncio
import dataclasses
import html
import re

import pytest

from backend.accounts.models import Role, User
from backend.catalogue.agencies import forget
from backend.catalogue.models import Agency
from backend.core.calendar import add_working_days
from backend.core.clock import FixedClock
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument, DossierTransfer, NotificationOutbox, TimelineEvent
from backend.notifications.messages import NEWS
from backend.sandboxes.models import SandboxSms
from tests.integration.helpers import act, drive, people, snapshot
from tests.integration.test_push import drain, receiver, subscribe, worker_for  # noqa: F401  (fixtures)
from tests.integration.test_workflow import ORDINARY_DAY
from tests.support import CITIZEN, OFFICER, OTHER_OFFICER, Portal

pytestmark = pytest.mark.integration

WARD = "P01-W-HOANKIEM"  # where the demo's birth registrations are filed (OFFICER's agency)
OTHER_WARD = "P01-W-BADINH"  # another ward of Hà Nội: it registers births too
POLICE = "P01-CA"  # Hà Nội police (OTHER_OFFICER's): it does not register births
OTHER_WARD_OFFICER = "0901000077"
REASON = "The child's parents live in Ba Đình ward: that ward registers the birth."


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock.on(ORDINARY_DAY)


@pytest.fixture
def settings(settings, receiver):  # noqa: F811  (test_push's receiver)
    """The demo portal pushes to its sandbox push service only: here, the receiver of test_push."""
    return dataclasses.replace(settings, sandbox_push_url=f"{receiver.base_url}/push/")


async def other_ward_official() -> None:
    await User.get_or_create(phone="84" + OTHER_WARD_OFFICER[1:], defaults={
        "full_name": "Đỗ Minh Châu (Ba Đình ward)", "role": Role.OFFICER,
        "agency": await Agency.get(code=OTHER_WARD)})


async def post_transfer(officer: Portal, code: str, agency: str = OTHER_WARD, reason: str = REASON, **extra):
    return await officer.post_form(f"/desk/dossiers/{code}/transfer",
                                   {"step": "transfer", "transfer_agency": agency, "transfer_reason": reason, **extra})


def error_summary(page: str) -> str:
    found = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    return html.unescape(found.group(0)) if found else ""


def reason_kept(page: str, reason: str) -> bool:
    box = re.search(r'<textarea id="transfer_reason"[^>]*>(.*?)</textarea>', page, re.S)
    return box is not None and html.unescape(box.group(1)) == reason


async def test_a_ward_transfers_a_dossier_to_the_competent_ward(portal, receiver, clock):  # noqa: F811
    await other_ward_official()
    async with people(portal, CITIZEN, OFFICER, OTHER_WARD_OFFICER) as (citizen, ward, other):
        await subscribe(citizen, receiver, "lan-phone")
        code = await drive(citizen, ward, Status.IN_PROGRESS)
        assert (await Dossier.get(code=code)).due_date is not None

        # The form: its search finds the other ward without accents, and keeps what was typed.
        page = (await ward.get(f"/desk/dossiers/{code}")).text
        assert 'id="transfer"' in page and "Transfer the dossier" in page
        found = await ward.post_form(f"/desk/dossiers/{code}/transfer", {
            "step": "search", "transfer_q": "ba dinh", "transfer_province": "01", "transfer_reason": REASON})
        assert found.status_code == 200
        assert f'value="{OTHER_WARD}"' in found.text and f'value="{WARD}"' not in found.text
        assert reason_kept(found.text, REASON)
        assert (await Dossier.get(code=code)).agency_id == (await Agency.get(code=WARD)).id, "a search moves nothing"

        official = await User.get(phone="84" + OFFICER[1:])
        await Dossier.filter(code=code).update(assignee_id=official.id)  # assigned at the first ward
        response = await post_transfer(ward, code)
        assert response.status_code in (302, 303), response.text
        assert response.headers["location"].endswith(f"/desk/transferred?done={code}")

        dossier = await Dossier.get(code=code).select_related("agency")
        assert dossier.agency.code == OTHER_WARD and dossier.status is Status.SUBMITTED
        assert (dossier.due_date, dossier.received_at, dossier.paused_since, dossier.assignee_id) == (
            None, None, None, None)
        record = await DossierTransfer.get(dossier=dossier).select_related("from_agency", "to_agency", "official")
        assert (record.from_agency.code, record.to_agency.code, record.reason, record.from_status) == (
            WARD, OTHER_WARD, REASON, Status.IN_PROGRESS)
        assert record.official_id == official.id
        event = await TimelineEvent.filter(dossier=dossier).order_by("-id").first()
        assert (event.kind, event.action, event.from_status, event.to_status, event.note) == (
            "status", "transfer", "in_progress", "submitted", REASON)
        news = await NotificationOutbox.filter(dossier=dossier).order_by("-id").first()
        assert (news.event, news.recipient_id, news.payload) == (
            "transfer", dossier.applicant_id, {"code": code, "status": "submitted"})

        # The first ward: its list keeps the record; the dossier itself is unknown there now.
        name = (await Agency.get(code=OTHER_WARD)).name["en"]  # the tests read English
        transferred = html.unescape((await ward.get(f"/desk/transferred?done={code}")).text)
        assert f"Done. Dossier {code} is transferred to {name}" in transferred
        assert code in transferred and REASON in transferred
        assert f"/desk/dossiers/{code}" not in transferred, "a record, not a way back in"
        doc = (await DossierDocument.filter(dossier=dossier).first()).id
        assert (await ward.get(f"/desk/dossiers/{code}")).status_code == 404
        assert (await ward.get(f"/dossiers/{code}/files/{doc}")).status_code == 404
        assert (await act(ward, code, "receive")).status_code == 404
        assert (await ward.post_form(f"/desk/dossiers/{code}/receive")).status_code == 404
        assert (await post_transfer(ward, code, WARD)).status_code == 404
        for view in ("new", "in_progress"):
            assert code not in (await ward.get("/desk", params={"view": view})).text
        assert "/desk/transferred" in (await ward.get("/desk")).text

        # The new ward: in its New queue, the transfer and its reason on the page; its own clock on receipt.
        assert code in (await other.get("/desk", params={"view": "new"})).text
        desk_page = html.unescape((await other.get(f"/desk/dossiers/{code}")).text)
        assert "Transferred by" in desk_page and REASON in desk_page
        assert (await other.get(f"/dossiers/{code}/files/{doc}")).status_code == 200
        assert (await act(other, code, "receive")).status_code == 200
        received = await Dossier.get(code=code).select_related("procedure")
        assert received.due_date == add_working_days(ORDINARY_DAY, received.procedure.processing_days)

        # The citizen: the new agency and the transfer on their page and on /track.
        own = html.unescape((await citizen.get(f"/my/dossiers/{code}")).text)
        assert f"Transferred by {(await Agency.get(code=WARD)).name['en']} to {name}" in own and REASON in own
        track = html.unescape((await citizen.get("/track", params={"code": code})).text)
        assert "Transferred on" in track and name in track and REASON not in track, "never the reason"
        assert (await citizen.get(f"/api/v1/dossiers/{code}/status")).json()["agency"] == name

        async with worker_for(portal) as worker:
            await drain(worker)
    bodies = [m.payload["body"] for m in receiver.inbox.received]
    assert NEWS["transfer"] in bodies and bodies[-1] == NEWS["receive"]


async def test_without_a_device_the_citizen_is_told_by_sms(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, ward):
        code = await drive(citizen, ward, Status.SUBMITTED)
        assert (await post_transfer(ward, code)).status_code in (302, 303)
        async with worker_for(portal) as worker:
            await drain(worker)
    texts = await SandboxSms.filter(to="84" + CITIZEN[1:], text__contains=code).values_list("text", flat=True)
    assert any("transferred" in text for text in texts), texts


async def inactive_ward() -> Agency:
    """A ward that registers births, closed for the test (``active`` back on afterwards)."""
    agency = await Agency.filter(level="commune", kind="people_committee", province_code="01").exclude(
        code__in=[WARD, OTHER_WARD]).first()
    assert agency is not None
    agency.active = False
    await agency.save(update_fields=["active"])
    forget()
    return agency


BAD = {
    "same agency": (WARD, REASON, "already at this agency"),
    "not offered": (POLICE, REASON, "does not handle this procedure"),
    "unknown": ("P01-NO-SUCH-AGENCY", REASON, "unknown or no longer active"),
    "none chosen": ("", REASON, "Choose the agency"),
    "inactive": (None, REASON, "unknown or no longer active"),
    "empty reason": (OTHER_WARD, "   ", "Give the reason for the transfer"),
    "reason too long": (OTHER_WARD, "x" * 2001, "2000 characters or fewer"),
}


@pytest.mark.parametrize("case", list(BAD))
async def test_a_bad_transfer_is_refused_with_its_reason_and_changes_nothing(portal, case):
    target, reason, message = BAD[case]
    async with people(portal, CITIZEN, OFFICER) as (citizen, ward):
        code = await drive(citizen, ward, Status.IN_PROGRESS)
        closed = await inactive_ward() if target is None else None
        try:
            before = await snapshot(code)
            page = await post_transfer(ward, code, closed.code if closed else target, reason)
            api = await act(ward, code, "transfer", agency=closed.code if closed else target, note=reason)
        finally:
            if closed is not None:
                closed.active = True
                await closed.save(update_fields=["active"])
                forget()
        assert page.status_code == 400, page.text
        assert message in error_summary(page.text), error_summary(page.text)
        assert reason_kept(page.text, reason), "the reason typed is kept"
        assert api.status_code == 400 and message in api.json()["detail"], api.text
        assert await snapshot(code) == before
        assert (await Dossier.get(code=code).select_related("agency")).agency.code == WARD
        assert not await DossierTransfer.exists()


@pytest.mark.parametrize("status", [Status.SUPPLEMENT_REQUESTED, Status.APPROVED, Status.REFUSED,
                                    Status.WITHDRAWN])
async def test_only_a_sent_dossier_not_settled_nor_with_the_citizen_is_transferred(portal, status):
    async with people(portal, CITIZEN, OFFICER) as (citizen, ward):
        code = await drive(citizen, ward, status)
        before = await snapshot(code)
        assert "Transfer the dossier" not in (await ward.get(f"/desk/dossiers/{code}")).text
        page = await post_transfer(ward, code)  # a crafted post
        assert page.status_code == 409, page.text
        assert "cannot be transferred" in error_summary(page.text)
        assert REASON in html.unescape(page.text), "the reason typed is shown to keep"
        assert (await act(ward, code, "transfer", agency=OTHER_WARD, note=REASON)).status_code == 409
        assert await snapshot(code) == before and not await DossierTransfer.exists()


async def test_a_draft_is_unknown_at_the_desk(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, ward):
        code = await drive(citizen, ward, Status.DRAFT)
        assert (await post_transfer(ward, code)).status_code == 404
        assert (await act(ward, code, "transfer", agency=OTHER_WARD, note=REASON)).status_code == 404
        assert (await Dossier.get(code=code)).status is Status.DRAFT and not await DossierTransfer.exists()


async def test_only_the_holding_agencys_officials_transfer_it(portal):
    """Another agency's official finds the code unknown (404, as ``access`` answers everyone who may not see a
    dossier, so that codes cannot be probed); the citizen, who sees it, may not transfer it (403)."""
    async with people(portal, CITIZEN, OFFICER, OTHER_OFFICER) as (citizen, ward, police):
        code = await drive(citizen, ward, Status.SUBMITTED)
        before = await snapshot(code)
        assert (await post_transfer(police, code, POLICE)).status_code == 404
        assert (await act(police, code, "transfer", agency=POLICE, note=REASON)).status_code == 404
        refused = await act(citizen, code, "transfer", agency=OTHER_WARD, note=REASON)
        assert refused.status_code == 403 and refused.json()["detail"] == "You may not do this to this dossier."
        assert await snapshot(code) == before and not await DossierTransfer.exists()


async def test_crafted_posts_change_nothing(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, ward):
        code = await drive(citizen, ward, Status.SUBMITTED)
        before = await snapshot(code)
        no_token = await ward.client.post(ward.url(f"/desk/dossiers/{code}/transfer"),
                                          data={"step": "transfer", "transfer_agency": OTHER_WARD,
                                                "transfer_reason": REASON})
        assert no_token.status_code == 403
        listed = await ward.post_form(f"/desk/dossiers/{code}/transfer", {
            "step": "transfer", "transfer_agency[]": [OTHER_WARD], "transfer_reason": REASON})
        assert listed.status_code == 400 and "Choose the agency" in error_summary(listed.text)
        odd = await ward.post_form(f"/desk/dossiers/{code}/transfer", {
            "step": "transfer", "transfer_agency": "x" * 5000, "transfer_reason": REASON})
        assert odd.status_code == 400 and "unknown or no longer active" in error_summary(odd.text)
        searched = await ward.post_form(f"/desk/dossiers/{code}/transfer", {
            "transfer_q": "<script>", "transfer_province": "not-a-province"})
        assert searched.status_code == 200 and "<script>" not in searched.text
        assert await snapshot(code) == before and not await DossierTransfer.exists()


async def test_two_transfers_at_once_one_wins(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, ward):
        code = await drive(citizen, ward, Status.SUBMITTED)
        answers = await asyncio.gather(post_transfer(ward, code), post_transfer(ward, code))
        assert sorted(a.status_code for a in answers)[0] in (302, 303)
        assert await DossierTransfer.filter(dossier__code=code).count() == 1


COPY = "2.000635"  # a certified copy of a civil-status extract: any commune, or the province's Department of Justice
HAI_CHAU, DA_NANG_JUSTICE, DA_NANG_POLICE = "P48-W-HAICHAU", "P48-STP", "P48-CA"
HAI_CHAU_OFFICIAL = "0901000078"


async def test_a_ward_transfers_a_certified_copy_to_the_provinces_department_of_justice(portal):
    """The catalogue's "level:kind" entries (offered_by): the ward and the Department of Justice both issue copies;
    the province police does not, and is refused with the reason kept."""
    await User.get_or_create(phone="84" + HAI_CHAU_OFFICIAL[1:], defaults={
        "full_name": "Trần Minh Khoa (Hải Châu ward)", "role": Role.OFFICER, "agency": await Agency.get(code=HAI_CHAU)})
    async with people(portal, CITIZEN, HAI_CHAU_OFFICIAL) as (citizen, ward):
        code = await drive(citizen, ward, Status.IN_PROGRESS, COPY)
        refused = await post_transfer(ward, code, DA_NANG_POLICE)
        assert refused.status_code == 400 and reason_kept(refused.text, REASON), refused.text
        assert (await Dossier.get(code=code).select_related("agency")).agency.code == HAI_CHAU
        found = await ward.post_form(f"/desk/dossiers/{code}/transfer", {
            "step": "search", "transfer_q": "tu phap", "transfer_province": "48", "transfer_reason": REASON})
        assert f'value="{DA_NANG_JUSTICE}"' in found.text and f'value="{DA_NANG_POLICE}"' not in found.text
        assert (await post_transfer(ward, code, DA_NANG_JUSTICE)).status_code in (302, 303)
    moved = await Dossier.get(code=code).select_related("agency")
    assert (moved.agency.code, moved.status, moved.due_date) == (DA_NANG_JUSTICE, Status.SUBMITTED, None)
