"""What a request costs the database: a signed-in page view reads its session and writes nothing back unless
the session changed; the public status answer is kept a second, while every look-up is still counted."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest

from backend.accounts.models import AgencyRole, Role, SessionRecord, User
from backend.accounts.services import user_by_id
from backend.accounts.session_store import RENEW_AFTER, DatabaseStore
from backend.core import clock
from backend.dossiers import listing, tracking
from backend.dossiers.models import Dossier
from backend.journey import api
from backend.limits import services as limits
from backend.limits.models import RateCounter
from tests.integration.helpers import people, take
from tests.support import CITIZEN, OFFICER, Portal, submit_dossier


@pytest.fixture
def session_writes(monkeypatch) -> list[str]:
    writes: list[str] = []
    original = DatabaseStore.set

    async def counted(self, key, value, expires_in=None):
        writes.append(key)
        return await original(self, key, value, expires_in)

    monkeypatch.setattr(DatabaseStore, "set", counted)
    return writes


@pytest.mark.parametrize(("phone", "url"), [(CITIZEN, "/en/my/dossiers"), (OFFICER, "/en/desk")])
async def test_a_signed_in_page_view_writes_no_session_row(portal: Portal, session_writes, phone, url):
    await portal.sign_in(phone)
    session_id = portal.client.cookies["portal_session"]
    before = await SessionRecord.get(key=session_id)
    session_writes.clear()
    for _ in range(3):
        response = await portal.get(url)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"  # still a personal page
        assert f"portal_session={session_id}" in response.headers.get("set-cookie", "")  # the cookie is renewed
    assert session_writes == []
    after = await SessionRecord.get(key=session_id)
    assert (after.value, after.expires_at) == (before.value, before.expires_at)


async def test_an_unchanged_session_still_slides_its_expiry(portal: Portal, session_writes):
    """Written again once its expiry was pushed back more than RENEW_AFTER seconds ago."""
    await portal.sign_in(CITIZEN)
    session_id = portal.client.cookies["portal_session"]
    old = clock.now() + timedelta(seconds=portal.settings.session_max_age - RENEW_AFTER - 5)
    await SessionRecord.filter(key=session_id).update(expires_at=old)
    session_writes.clear()
    assert (await portal.get("/en/my/dossiers")).status_code == 200
    assert session_writes == [session_id]
    assert (await SessionRecord.get(key=session_id)).expires_at > old + timedelta(seconds=RENEW_AFTER)


async def test_a_changed_session_is_written(portal: Portal, session_writes):
    """Signing out empties it (the row goes); halfway through signing in, the phone is kept (a row is written)."""
    await portal.sign_in(CITIZEN)
    session_id = portal.client.cookies["portal_session"]
    await portal.sign_out()
    assert not await SessionRecord.filter(key=session_id).exists()
    session_writes.clear()
    response = await portal.post_form("/sign-in", {"phone": CITIZEN})
    assert response.status_code in (302, 303)
    assert len(session_writes) == 1 and await SessionRecord.filter(key=session_writes[0]).exists()


@pytest.fixture
def status_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    original = tracking.public_status

    async def counted(code):
        reads.append(code)
        return await original(code)

    monkeypatch.setattr(tracking, "public_status", counted)
    api.RECENT_STATUSES.forget()
    return reads


async def test_a_status_asked_often_is_read_once_a_second_and_every_look_up_is_counted(
    portal: Portal, settings, status_reads, monkeypatch
):
    await portal.sign_in(CITIZEN)
    code = await submit_dossier(portal, "1.001193")
    portal.client.cookies.clear()
    status_reads.clear()
    for _ in range(5):
        response = await portal.client.get(f"/api/v1/dossiers/{code}/status")
        assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert (await portal.get(f"/en/track?code={code}")).status_code == 200  # the track page shares it
    assert len(status_reads) == 1
    [bucket] = [c.bucket for c in await RateCounter.all() if c.bucket.startswith("status:ip:")]
    address = bucket.split(":", 1)[1].rsplit("@", 1)[0]  # ip:<the test client's address>
    assert await limits.used(api._status_limit(settings), address) == 6, "in the database or still in memory"
    later = time.monotonic() + api.RECENT_STATUSES.seconds
    monkeypatch.setattr(api.time, "monotonic", lambda: later)
    assert (await portal.client.get(f"/api/v1/dossiers/{code}/status")).status_code == 200
    assert len(status_reads) == 2, "read again once the second is over"


async def test_a_kept_status_is_still_refused_over_the_limit(portal: Portal, settings, status_reads):
    await portal.sign_in(CITIZEN)
    code = await submit_dossier(portal, "1.001193")
    portal.client.cookies.clear()
    url = f"/api/v1/dossiers/{code}/status"
    for _ in range(settings.status_lookups_per_ip_per_minute):
        assert (await portal.client.get(url)).status_code == 200
    assert (await portal.client.get(url)).status_code == 429
    assert len(status_reads) == 1


async def test_a_status_change_shows_at_once(portal: Portal, status_reads):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await submit_dossier(citizen, "1.001193")
        assert (await citizen.client.get(f"/api/v1/dossiers/{code}/status")).json()["status"] == "submitted"
        assert (await take(citizen, officer, code, "receive")).status_code == 200
        assert (await citizen.client.get(f"/api/v1/dossiers/{code}/status")).json()["status"] == "in_progress"


async def test_the_kept_statuses_stay_bounded(monkeypatch):
    """A crawler asking many real codes cannot grow them: the oldest go first."""
    async def found(code):
        return code

    monkeypatch.setattr(tracking, "public_status", found)
    kept = api.RecentStatuses(seconds=60, size=3)
    for n in range(10):
        assert await kept.get(f"hs-{n}") == f"hs-{n}"
    assert list(kept.kept) == ["HS-7", "HS-8", "HS-9"]


async def test_look_ups_that_miss_together_share_one_read_and_a_change_meanwhile_is_not_kept(monkeypatch):
    reads, release = [], asyncio.Event()

    async def slow(code):
        reads.append(code)
        await release.wait()
        return f"status of {code}"

    monkeypatch.setattr(tracking, "public_status", slow)
    kept = api.RecentStatuses(seconds=60)
    waiting = [asyncio.create_task(kept.get("hs-1")) for _ in range(32)]  # 32 clients as the second expires
    await asyncio.sleep(0)
    release.set()
    assert set(await asyncio.gather(*waiting)) == {"status of hs-1"} and reads == ["hs-1"]
    release.clear()
    changing = asyncio.create_task(kept.get("hs-2"))
    await asyncio.sleep(0)
    kept.forget()  # the dossier's status changes while it is being read
    release.set()
    await changing
    assert "HS-2" not in kept.kept, "an answer read before the change is not kept after it"




async def test_my_dossiers_counts_only_when_there_is_more_than_a_page(portal: Portal, statements):
    await portal.sign_in(CITIZEN)
    sent = await Dossier.get(code=await submit_dossier(portal, "1.001193"))
    statements.clear()
    response = await portal.get("/en/my/dossiers")
    assert response.status_code == 200 and sent.code in response.text
    assert not [s for s in statements if "COUNT(" in s.upper()], "one page holds them all: its rows are the total"
    await Dossier.bulk_create([Dossier(code=f"HS-T-COST-{i:04d}", procedure_id=sent.procedure_id,
                                       agency_id=sent.agency_id, applicant_id=sent.applicant_id, status="submitted")
                               for i in range(listing.PAGE_SIZE)])
    statements.clear()
    response = await portal.get("/en/my/dossiers")
    assert "Page 1 of 2" in response.text
    assert len([s for s in statements if "COUNT(" in s.upper()]) == 1


async def test_the_account_read_by_sql_is_the_one_the_orm_reads(portal: Portal):
    """Every signed-in request reads its account by plain SQL (accounts.services.user_by_id): each field as the
    ORM gives it, enums and dates and JSON included, and saving it updates the row rather than adding one."""
    user = await User.get(phone="84" + OFFICER[1:])
    user.agency_role = AgencyRole.LEAD
    user.display_settings = {"chosen": True, "options": ["large-text"]}
    user.identity_verified_at = user.deactivated_at = clock.now().replace(microsecond=0)
    await user.save()
    expected = await User.get(id=user.id)
    read = await user_by_id(user.id)
    described = User.describe(serializable=False)
    names = [f["name"] for f in [described["pk_field"], *described["data_fields"]]]
    assert {n: getattr(read, n) for n in names} == {n: getattr(expected, n) for n in names}
    assert isinstance(read.role, Role) and isinstance(read.agency_role, AgencyRole)
    accounts = await User.all().count()
    read.full_name = "Renamed"
    await read.save(update_fields=["full_name"])
    assert await User.all().count() == accounts
    assert (await User.get(id=user.id)).full_name == "Renamed"
    assert await user_by_id(10**9) is None and await user_by_id(None) is None
