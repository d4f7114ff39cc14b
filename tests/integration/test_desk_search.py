"""The desk finds any dossier of its agency and keeps the order an official chose (issue 22, item 8)."""

import re
from datetime import timedelta

import pytest

from backend.accounts.models import User
from backend.catalogue.models import Procedure
from backend.core import clock
from backend.desk import services as desk
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier
from tests.integration.helpers import BIRTH, people
from tests.support import CITIZEN, OFFICER, OTHER_OFFICER, fill_draft, submit_dossier

pytestmark = pytest.mark.integration


def _codes(html: str) -> list[str]:
    return re.findall(r'/desk/dossiers/(HS-[\w-]+)"', html)


async def test_an_official_finds_a_dossier_by_code_name_or_phone_and_only_in_their_agency(portal):
    async with people(portal, CITIZEN, OFFICER, OTHER_OFFICER) as (citizen, officer, police):
        code = await submit_dossier(citizen, BIRTH)  # the child, the parents: "Nguyễn Văn An" (tests.support)
        draft = await fill_draft(citizen, BIRTH)
        for typed in (code, code.lower(), code[-6:], "nguyen van an", "NGUYỄN Văn", "an nguyen", "0912345678",
                      "0912 345 678"):
            page = await officer.get("/desk/search", params={"q": typed})
            assert page.status_code == 200 and _codes(page.text) == [code], typed
            assert f'value="{typed}"' in page.text, "what was typed stays in the box"
        assert draft not in _codes((await officer.get("/desk/search", params={"q": "nguyen"})).text)
        nothing = await officer.get("/desk/search", params={"q": "Trần Thị Zung"})
        assert _codes(nothing.text) == [] and "No dossier of your agency matches" in nothing.text
        other_agency = await police.get("/desk/search", params={"q": code})
        assert _codes(other_agency.text) == [], "an official searches their own agency only"
        assert "Type at least one letter" in (await officer.get("/desk/search", params={"q": "%_ -"})).text
        assert (await citizen.get("/desk/search", params={"q": code})).status_code in (401, 403)
        queue = (await officer.get("/desk")).text
        assert 'action="/en/desk/search"' in queue and 'role="search"' in queue


async def test_the_search_pages_its_results(portal, monkeypatch):
    monkeypatch.setattr(desk, "PAGE_SIZE", 2)
    await portal.sign_in(OFFICER)
    codes = await _sent(5, search_key="ha noi le thi binh")
    seen = []
    for number in (1, 2, 3):
        seen += _codes((await portal.get(f"/desk/search?q=le+thi+binh&page={number}")).text)
    assert sorted(seen) == sorted(codes) and len(seen) == 5


async def test_the_order_an_official_chose_is_kept_across_pages_and_tabs(portal, monkeypatch):
    monkeypatch.setattr(desk, "PAGE_SIZE", 2)
    await portal.sign_in(OFFICER)
    codes = await _sent(5)
    oldest = [c for n in (1, 2, 3) for c in _codes((await portal.get(f"/desk?view=new&page={n}")).text)]
    assert oldest == codes
    first = (await portal.get("/desk?view=new&order=newest")).text
    assert 'href="/en/desk?view=new&amp;order=newest&amp;page=2"' in first or "order=newest&page=2" in first
    assert '<option value="newest" selected>' in first
    newest = [c for n in (1, 2, 3) for c in _codes((await portal.get(f"/desk?view=new&order=newest&page={n}")).text)]
    assert newest == codes[::-1]
    assert "view=in_progress&amp;order=newest" in first, "the tabs keep the order"
    junk = (await portal.get("/desk?view=new&order=sideways")).text
    assert _codes(junk) == codes[:2]


async def _sent(n: int, **extra) -> list[str]:
    procedure = await Procedure.get(code=BIRTH)
    citizen = await User.get(phone="84" + CITIZEN[1:])
    start = clock.now() - timedelta(days=3)
    rows = [Dossier(code=f"HS-261201-T{i:05d}", procedure=procedure, agency_id=procedure.agency_id,
                    applicant=citizen, status=Status.SUBMITTED, submitted_at=start + timedelta(minutes=i), **extra)
            for i in range(n)]
    await Dossier.bulk_create(rows)
    return [row.code for row in rows]
