"""Who may see and do what: other people's dossiers look unknown, officials see only their agency's."""

from urllib.parse import parse_qs, urlsplit

import pytest

from backend.dossiers import access
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument
from tests.integration.helpers import CRIMINAL_RECORD, act, drive, people, snapshot
from tests.support import CITIZEN, OFFICER, OTHER_CITIZEN, OTHER_OFFICER, PDF

pytestmark = pytest.mark.integration


async def draft_and_sent(citizen, officer) -> tuple[tuple[str, int], tuple[str, int]]:
    """A draft and a submitted birth registration of ``citizen``, each with its uploaded document's id."""
    found = {}
    for status in (Status.SUBMITTED, Status.DRAFT):  # in this order: applying again resumes an open draft
        code = await drive(citizen, officer, status)
        found[status] = (code, (await DossierDocument.get(dossier__code=code)).id)
    return found[Status.DRAFT], found[Status.SUBMITTED]


def citizen_pages(draft: str, draft_doc: int, sent: str, sent_doc: int) -> list[str]:
    return [
        f"/my/dossiers/{draft}", f"/my/dossiers/{sent}", f"/dossiers/{draft}/form/child",
        f"/dossiers/{draft}/documents", f"/dossiers/{draft}/check", f"/dossiers/{sent}/receipt",
        f"/dossiers/{draft}/files/{draft_doc}", f"/dossiers/{sent}/files/{sent_doc}",
    ]


async def test_a_citizen_never_sees_another_citizens_dossier(portal):
    async with people(portal, CITIZEN, OTHER_CITIZEN, OFFICER) as (owner, stranger, officer):
        (draft, draft_doc), (sent, sent_doc) = await draft_and_sent(owner, officer)
        before = {code: await snapshot(code) for code in (draft, sent)}
        answers = (await Dossier.get(code=draft)).answers
        for url in citizen_pages(draft, draft_doc, sent, sent_doc):
            assert (await owner.get(url)).status_code == 200, url  # the address is right...
            assert (await stranger.get(url)).status_code == 404, url  # ...and still unknown to another citizen

        changes = [
            await stranger.post_form(f"/dossiers/{draft}/form/child", {"child_full_name": "Hijacked"}),
            await stranger.post_form(f"/dossiers/{draft}/documents", {"doc_key": "marriage_certificate"},
                                     files={"file": ("x.pdf", PDF)}),
            await stranger.post_form(f"/dossiers/{draft}/submit", {"declaration": "yes", "result_form": "online"}),
            await stranger.post_form(f"/dossiers/{sent}/withdraw"),
            await stranger.post_form(f"/my/dossiers/{sent}/rating", {"score": "1"}),
            await act(stranger, draft, "submit", declaration=True, result_form="online"),
            await act(stranger, sent, "withdraw"),
        ]
        assert [r.status_code for r in changes] == [404] * len(changes)
        assert (await Dossier.get(code=draft)).answers == answers
        assert await DossierDocument.filter(dossier__code=draft).count() == 1
        assert {code: await snapshot(code) for code in (draft, sent)} == before
        mine = await stranger.get("/my/dossiers")
        assert mine.status_code == 200 and draft not in mine.text and sent not in mine.text


async def test_an_official_sees_only_the_dossiers_of_their_agency(portal):
    async with people(portal, CITIZEN, OFFICER, OTHER_OFFICER) as (citizen, ward, police):
        _, (sent, sent_doc) = await draft_and_sent(citizen, ward)
        record = await drive(citizen, police, Status.SUBMITTED, CRIMINAL_RECORD)
        before = await snapshot(sent)

        assert (await ward.get(f"/desk/dossiers/{sent}")).status_code == 200
        assert (await ward.get(f"/dossiers/{sent}/files/{sent_doc}")).status_code == 200
        assert sent in (await ward.get("/desk")).text

        assert (await police.get(f"/desk/dossiers/{sent}")).status_code == 404
        assert (await police.get(f"/dossiers/{sent}/files/{sent_doc}")).status_code == 404
        assert (await police.post_form(f"/desk/dossiers/{sent}/receive")).status_code == 404
        assert (await police.post_form(f"/desk/dossiers/{sent}/supplement",
                                       {"fields[]": ["child_full_name"], "reason": "x"})).status_code == 404
        response = await act(police, sent, "receive")
        assert response.status_code == 404 and response.json()["detail"]
        queue = (await police.get("/desk")).text
        assert sent not in queue and record in queue
        assert await snapshot(sent) == before

        # And the other way round: the police's dossier is unknown at the ward.
        assert (await ward.get(f"/desk/dossiers/{record}")).status_code == 404
        assert (await act(ward, record, "receive")).status_code == 404
        assert (await Dossier.get(code=record)).status is Status.SUBMITTED


@pytest.mark.parametrize("action", ["receive", "request_supplement", "approve", "refuse"])
async def test_a_citizen_cannot_take_an_official_action(portal, action):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.SUBMITTED)
        before = await snapshot(code)
        response = await act(citizen, code, action, note="I approve myself", fields=["child_full_name"])
    assert response.status_code == 403, response.text
    assert response.json()["detail"] == "You may not do this to this dossier."
    assert await snapshot(code) == before


async def test_an_official_cannot_take_a_citizens_action(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await drive(citizen, officer, Status.SUBMITTED)
        before = await snapshot(code)
        response = await act(officer, code, "withdraw")
    assert response.status_code == 403, response.text
    assert await snapshot(code) == before


@pytest.mark.parametrize("url", ["/desk", "/desk?view=overdue", "/desk/dossiers/HS-000000-AAAAAA"])
async def test_the_desk_sends_anonymous_people_to_sign_in(portal, url):
    response = await portal.get(url)
    assert response.status_code in (302, 303)
    location = urlsplit(response.headers["location"])
    assert location.path == "/en/sign-in"
    assert parse_qs(location.query)["next"] == [url]


async def test_the_desk_is_closed_to_citizens(portal):
    await portal.sign_in(CITIZEN)
    for url in ("/desk", "/desk?view=settled"):
        response = await portal.get(url)
        assert response.status_code == 403, url
        assert "Only officials of an agency can open the desk" in response.text


async def test_the_action_api_needs_a_signed_in_person(portal):
    response = await act(portal, "HS-000000-AAAAAA", "receive")
    assert response.status_code == 401
    assert response.json()["detail"]


async def test_drafts_are_invisible_to_officials_and_to_the_public(portal):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        (draft, draft_doc), (sent, _) = await draft_and_sent(citizen, officer)
        before = await snapshot(draft)
        assert (await officer.get(f"/desk/dossiers/{draft}")).status_code == 404
        assert (await officer.get(f"/dossiers/{draft}/files/{draft_doc}")).status_code == 404
        assert (await act(officer, draft, "receive")).status_code == 404
        assert (await officer.post_form(f"/desk/dossiers/{draft}/receive")).status_code == 404
        for view in ("new", "in_progress", "supplement", "settled"):
            assert draft not in (await officer.get("/desk", params={"view": view})).text
        assert await snapshot(draft) == before

    await portal.sign_out()
    assert (await portal.get(f"/api/v1/dossiers/{draft}/status")).status_code == 404
    assert (await portal.get("/track", params={"code": draft})).status_code == 404
    public = await portal.get(f"/api/v1/dossiers/{sent}/status")
    assert public.status_code == 200 and public.json()["status"] == "submitted"


async def test_pages_the_api_and_downloads_ask_the_same_rule(portal, monkeypatch):
    """``dossiers.access`` decides for every entry point: a stranger meets 404 on each alike, and when the rule
    says no to everyone, the applicant and the agency's official meet 404 on each too."""
    async with people(portal, CITIZEN, OFFICER, OTHER_CITIZEN, OTHER_OFFICER) as (citizen, ward, stranger, police):
        code = await drive(citizen, ward, Status.APPROVED)
        doc = (await DossierDocument.get(dossier__code=code)).id
        downloads = [f"/dossiers/{code}/files/{doc}", f"/dossiers/{code}/result.pdf"]
        own_page, desk_page = f"/my/dossiers/{code}", f"/desk/dossiers/{code}"

        async def answers(who, page: str) -> list[int]:
            api = await act(who, code, "withdraw")  # 409 (settled) or 403 (an official's) once found; 404 if not
            return [(await who.get(page)).status_code, api.status_code,
                    *[(await who.get(url)).status_code for url in downloads]]

        assert await answers(citizen, own_page) == [200, 409, 200, 200]
        assert await answers(ward, desk_page) == [200, 403, 200, 200]
        assert await answers(stranger, own_page) == [404] * 4
        assert await answers(police, desk_page) == [404] * 4

        monkeypatch.setattr(access, "standings", lambda dossier, user: frozenset())
        assert await answers(citizen, own_page) == [404] * 4
        assert await answers(ward, desk_page) == [404] * 4
