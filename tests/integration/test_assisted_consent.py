"""Assisted filing, part A (issue 20): a citizen's consent to a helper, and the access rule it opens.

A helper stands to a dossier (``Standing.HELPER``) only while the citizen's consent for it is live: ACTIVE, not
expired, the helper still posted at its service point. Everywhere else a helper is a stranger: 404.
"""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest

from backend.accounts.models import PushSubscription, User
from backend.assisted import services
from backend.assisted.consent import CONSENT_TEXT
from backend.assisted.models import (
    AssistConsent,
    AssistEvent,
    ConsentMethod,
    ConsentState,
    HelperPost,
    ServicePoint,
)
from backend.catalogue.models import Procedure
from backend.core.clock import now
from backend.demo import create_demo_staff
from backend.dossiers.access import Standing, visible_dossier
from backend.dossiers.models import Dossier, NotificationOutbox
from backend.notifications.messages import compose
from tests.integration.assisted_setup import granted, post_office, posted
from tests.integration.helpers import BIRTH, CRIMINAL_RECORD, approved, people, take
from tests.support import CITIZEN, JPG, OFFICER, PNG, Portal, fill_draft

pytestmark = pytest.mark.integration
HELPER_PHONE = "0903200001"  # no other test signs in with these
OTHER_HELPER_PHONE = "0903200002"


async def test_a_live_consent_opens_only_the_pages_that_name_the_helper(portal):
    async with people(portal, CITIZEN, HELPER_PHONE, OTHER_HELPER_PHONE) as (lan, _, _):
        code = await fill_draft(lan, BIRTH)
        dossier = await Dossier.get(code=code)
        point = await post_office()
        helper = await posted(HELPER_PHONE, point)
        other = await posted(OTHER_HELPER_PHONE, point)
        consent = await granted(helper, point, dossier)

        assert (await services.active_consent(helper, dossier)).id == consent.id
        assert await visible_dossier(code, helper, Standing.APPLICANT, Standing.HELPER) is not None
        assert await visible_dossier(code, helper) is None  # not among those concerned by default
        assert await visible_dossier(code, other, Standing.HELPER) is None  # another helper at the same point

        citizen = await User.get(id=dossier.applicant_id)
        assert await services.end_consent(consent.id, citizen) is services.Outcome.ENDED
        assert await visible_dossier(code, helper, Standing.HELPER) is None
        assert await services.end_consent(consent.id, citizen) is services.Outcome.ALREADY_ENDED
        assert await services.end_consent(consent.id, other) is services.Outcome.NOT_FOUND
        assert await AssistEvent.filter(consent_id=consent.id, action="ended").count() == 1
        page = await services.consents_of_citizen(citizen, 1)
        assert [c.id for c in page.items] == [consent.id] and page.items[0].helper.id == helper.id


async def test_an_expired_consent_or_an_ended_post_closes_the_dossier(portal):
    async with people(portal, CITIZEN, HELPER_PHONE) as (lan, _):
        dossier = await Dossier.get(code=await fill_draft(lan, BIRTH))
        point = await post_office()
        helper = await posted(HELPER_PHONE, point)
        await granted(helper, point, dossier, hours=-1)
        assert await services.active_consent(helper, dossier) is None
        await granted(helper, point, dossier)
        assert await services.active_consent(helper, dossier) is not None
        await HelperPost.filter(user=helper).update(ended_at=now())
        assert await services.active_consent(helper, dossier) is None
        assert await visible_dossier(dossier.code, helper, Standing.HELPER) is None


# Through the pages: the administrators appoint, the helper starts, the citizen reads out the code.

ADMIN, WARD_ADMIN = "0900000000", "0901000009"  # the portal administrator; Hoàn Kiếm ward's staff administrator
WARD = "P01-W-HOANKIEM"  # where a birth is registered (a post office belongs to no commune)
CITIZEN_PHONE = "0903200011"  # a citizen of these tests only (a new account, made when the helper starts)


async def code_sent_to(portal: Portal, phone: str) -> str:
    messages = (await portal.client.get("/dev/outbox.json", params={"to": "84" + phone[1:]})).json()
    return re.search(r"\b(\d{6})\b", messages[0]["text"]).group(1)


async def start(helper: Portal, citizen: str = CITIZEN_PHONE, procedure: str = BIRTH) -> int:
    """The helper sends the code; returns the consent's id (from the page it leads to)."""
    response = await helper.post_form("/helper/start", {"citizen": citizen, "procedure": procedure, "agency": WARD})
    assert response.status_code in (302, 303), response.text
    return int(re.search(r"/helper/consents/(\d+)/code", response.headers["location"]).group(1))


async def type_code(helper: Portal, consent_id: int, code: str):
    return await helper.post_form(f"/helper/consents/{consent_id}/code", {"code": code})


async def test_administrators_run_points_and_appoint_helpers(portal):
    await create_demo_staff()
    async with people(portal, ADMIN, WARD_ADMIN) as (admin, ward_admin):
        response = await admin.post_form("/service-points", {
            "code": "vnp-hn-hk", "kind": "post_office", "name": "Bưu điện Hoàn Kiếm", "address": "75 Đinh Tiên Hoàng"})
        assert response.status_code in (302, 303), response.text
        point = await ServicePoint.get(code="VNP-HN-HK")
        assert point.agency_id is None and point.channel.value == "post_office"
        again = await admin.post_form("/service-points", {"code": "VNP-HN-HK", "kind": "post_office", "name": "x"})
        assert again.status_code == 400 and "Another service point has this code" in again.text
        assert 'value="x"' in again.text and "Enter the service point" in again.text  # what was typed stays

        response = await admin.post_form("/service-points/VNP-HN-HK/helpers", {"phone": HELPER_PHONE,
                                                                               "full_name": "Đỗ Minh Châu"})
        assert response.status_code in (302, 303), response.text
        helper = await User.get(phone="84" + HELPER_PHONE[1:])
        assert helper.full_name == "Đỗ Minh Châu" and helper.role.value == "citizen"
        twice = await admin.post_form("/service-points/VNP-HN-HK/helpers", {"phone": HELPER_PHONE})
        assert twice.status_code == 400 and "already a helper" in twice.text
        page = await admin.get("/service-points/VNP-HN-HK")
        assert "Đỗ Minh Châu" in page.text and page.text.count("<h1") == 1

        # An agency administrator runs their own commune's points only, and no post office.
        assert (await ward_admin.get("/service-points/VNP-HN-HK")).status_code == 404
        refused = await ward_admin.post_form("/service-points", {
            "code": "HK-TEAM", "kind": "post_office", "name": "Tổ công nghệ số", "address": "Hoàn Kiếm"})
        assert refused.status_code == 400 and "Choose the kind" in refused.text
        response = await ward_admin.post_form("/service-points", {
            "code": "HK-TEAM", "kind": "community_team", "name": "Tổ công nghệ số", "address": "Hoàn Kiếm"})
        assert response.status_code in (302, 303), response.text
        team = await ServicePoint.get(code="HK-TEAM").select_related("agency")
        assert team.agency.code == "P01-W-HOANKIEM" and team.channel.value == "commune"
        assert "HK-TEAM" in (await ward_admin.get("/service-points")).text
        assert "VNP-HN-HK" not in (await ward_admin.get("/service-points")).text

        post = await HelperPost.get(user=helper)
        ended = await admin.post_form(f"/service-points/VNP-HN-HK/helpers/{post.id}/end")
        assert ended.status_code in (302, 303)
        assert (await HelperPost.get(id=post.id)).ended_at is not None
        again = await admin.post_form(f"/service-points/VNP-HN-HK/helpers/{post.id}/end")
        assert again.status_code == 400 and "ended already" in again.text


async def test_consent_by_code_opens_a_draft_for_the_citizen(portal):
    point = await post_office()
    async with people(portal, HELPER_PHONE) as (helper_browser,):
        await posted(HELPER_PHONE, point)
        consent_id = await start(helper_browser)
        sms = (await portal.client.get("/dev/outbox.json", params={"to": "84" + CITIZEN_PHONE[1:]})).json()[0]
        assert "Hoàn Kiếm" in sms["text"]  # it names the service point (and the helper, once named)
        assert (await helper_browser.get(f"/helper/consents/{consent_id}/code")).status_code == 200

        response = await type_code(helper_browser, consent_id, await code_sent_to(portal, CITIZEN_PHONE))
        assert response.status_code in (302, 303), response.text
        code = response.headers["location"].split("/")[3]
        dossier = await Dossier.get(code=code).select_related("applicant")
        assert dossier.applicant.phone == "84" + CITIZEN_PHONE[1:] and dossier.status.value == "draft"
        assert dossier.channel == "post_office" and dossier.service_point_id == point.id
        consent = await AssistConsent.get(id=consent_id)
        assert consent.state is ConsentState.ACTIVE and consent.dossier_id == dossier.id
        assert timedelta(hours=71) < consent.expires_at - consent.granted_at <= timedelta(hours=72)
        assert (await services.consent_of_dossier(dossier)).id == consent_id

        # Reused: the same code again is refused, recorded, and names nobody.
        reused = await type_code(helper_browser, consent_id, await code_sent_to(portal, CITIZEN_PHONE))
        assert reused.status_code == 400 and "used or replaced" in reused.text
        assert CITIZEN_PHONE[1:] not in reused.text
        assert await AssistEvent.filter(consent_id=consent_id, action="refused_used").exists()


async def test_wrong_and_expired_codes_are_refused_and_recorded(portal):
    point = await post_office()
    async with people(portal, HELPER_PHONE) as (helper_browser,):
        await posted(HELPER_PHONE, point)
        consent_id = await start(helper_browser)
        right = await code_sent_to(portal, CITIZEN_PHONE)
        # Nothing typed, or not six digits: asked again, with no try counted and the consent as it was.
        await AssistConsent.filter(id=consent_id).update(code_expires_at=now() - timedelta(seconds=1))
        for typed in ("", "12ab", "1234567"):
            slip = await type_code(helper_browser, consent_id, typed)
            assert slip.status_code == 400 and "Enter the 6-digit code" in slip.text
        slipped = await AssistConsent.get(id=consent_id)
        assert slipped.code_attempts == 0 and slipped.state is ConsentState.ASKED
        assert (await helper_browser.get(f"/helper/consents/{consent_id}/code")).status_code == 200
        await AssistConsent.filter(id=consent_id).update(code_expires_at=now() + timedelta(minutes=5))
        wrong = await type_code(helper_browser, consent_id, "000000" if right != "000000" else "111111")
        assert wrong.status_code == 400 and "The code is wrong" in wrong.text
        assert 'role="alert"' in wrong.text and CITIZEN_PHONE[1:] not in wrong.text
        await AssistConsent.filter(id=consent_id).update(code_expires_at=now() - timedelta(seconds=1))
        expired = await type_code(helper_browser, consent_id, right)
        assert expired.status_code == 400 and "expired" in expired.text
        actions = await AssistEvent.filter(consent_id=consent_id).order_by("id").values_list("action", flat=True)
        assert actions == ["asked", "refused_code", "refused_expired"]
        assert await Dossier.filter(service_point_id=point.id).count() == 0

        # Someone else's consent (or none) looks the same as a wrong code.
        other = await type_code(helper_browser, consent_id + 1000, right)
        assert other.status_code == 400 and "The code is wrong" in other.text
        assert (await helper_browser.get(f"/helper/consents/{consent_id + 1000}/code")).status_code == 404


async def test_tries_are_counted_atomically(portal):
    point = await post_office()
    limit = portal.settings.otp_max_attempts
    async with people(portal, HELPER_PHONE) as (helper_browser,):
        await posted(HELPER_PHONE, point)
        consent_id = await start(helper_browser)
        right = await code_sent_to(portal, CITIZEN_PHONE)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        responses = await asyncio.gather(*(type_code(helper_browser, consent_id, wrong) for _ in range(limit + 4)))
        assert all(r.status_code == 400 for r in responses)
        assert (await AssistConsent.get(id=consent_id)).code_attempts == limit
        late = await type_code(helper_browser, consent_id, right)
        assert late.status_code == 400 and "Too many wrong codes" in late.text
        assert await AssistEvent.filter(consent_id=consent_id, action="refused_code").count() == limit
        assert await AssistEvent.filter(consent_id=consent_id, action="refused_limit").count() == 5


async def test_bad_start_keeps_what_was_typed(portal):
    point = await post_office()
    async with people(portal, HELPER_PHONE, CITIZEN) as (helper_browser, lan):
        await posted(HELPER_PHONE, point)
        response = await helper_browser.post_form("/helper/start", {"citizen": "12345", "procedure": "zzzqqq"})
        assert response.status_code == 400
        assert "No procedure was found" in response.text and 'value="zzzqqq"' in response.text
        assert "We cannot send a code" in response.text
        myself = await helper_browser.post_form("/helper/start", {"citizen": HELPER_PHONE, "procedure": BIRTH})
        assert myself.status_code == 400 and "yourself" in myself.text
        # Not a helper: the pages refuse.
        assert (await lan.get("/helper/start")).status_code == 403


async def test_the_helper_finds_the_procedure_by_its_name(portal):
    """A clerk knows "birth registration", not 1.001193: the words offer the procedures found, one is chosen."""
    point = await post_office()
    async with people(portal, HELPER_PHONE) as (helper_browser,):
        await posted(HELPER_PHONE, point)
        words = await helper_browser.post_form("/helper/start", {"citizen": CITIZEN_PHONE, "procedure": "khai sinh",
                                                                 "agency": WARD})
        assert words.status_code == 400 and "Choose the procedure among those found" in words.text
        assert f'name="procedure_code" value="{BIRTH}"' in words.text and 'value="khai sinh"' in words.text
        assert not await AssistConsent.exists(helper__phone="84" + HELPER_PHONE[1:])  # nothing sent yet
        chosen = await helper_browser.post_form("/helper/start", {
            "citizen": CITIZEN_PHONE, "procedure": "khai sinh", "procedure_code": BIRTH, "agency": WARD})
        assert chosen.status_code in (302, 303), chosen.text
        assert (await AssistConsent.get(helper__phone="84" + HELPER_PHONE[1:])).procedure_id == (
            await Procedure.get(code=BIRTH)).id
        # Chosen, but another field is wrong: the field keeps the code chosen, not the words.
        again = await helper_browser.post_form("/helper/start", {
            "citizen": "12345", "procedure": "khai sinh", "procedure_code": BIRTH, "agency": WARD})
        assert again.status_code == 400 and f'value="{BIRTH}"' in again.text and "procedure_code" not in again.text


async def test_in_person_check_for_a_citizen_without_a_phone(portal):
    point = await post_office()
    async with people(portal, HELPER_PHONE) as (helper_browser,):
        await posted(HELPER_PHONE, point)
        form = {"full_name": "Lò Văn Páo", "document": "001060009999", "procedure": BIRTH, "agency": WARD}
        missing = await helper_browser.post_form("/helper/in-person", form)
        assert missing.status_code == 400 and "Take a photo" in missing.text and "Lò Văn Páo" in missing.text
        response = await helper_browser.post_form("/helper/in-person", form,
                                                   files={"scan": ("card.png", PNG, "image/png")})
        assert response.status_code in (302, 303), response.text
        dossier = await Dossier.get(code=response.headers["location"].split("/")[3]).select_related("applicant")
        assert dossier.applicant.phone == "id001060009999" and dossier.applicant.full_name == "Lò Văn Páo"
        consent = await services.consent_of_dossier(dossier)
        assert consent.method is ConsentMethod.IN_PERSON and consent.state is ConsentState.ACTIVE
        assert consent.identity_document == "001060009999"
        assert await portal.adapters.storage.exists(consent.identity_scan)
        page = await helper_browser.get("/helper/in-person")
        # A file chooser (a PDF scan too, on Android as well) and, apart, the camera.
        chooser = re.search(r'<input type="file" id="scan"[^>]*>', page.text).group(0)
        camera = re.search(r'<input type="file" id="scan-photo"[^>]*>', page.text).group(0)
        assert 'accept="image/*,application/pdf"' in chooser and "capture" not in chooser
        assert 'capture="environment"' in camera and 'name="photo"' in camera
        form["document"] = "001060008888"
        photographed = await helper_browser.post_form("/helper/in-person", form, files={
            "scan": ("", b""), "photo": ("photo.jpg", JPG, "image/jpeg")})
        assert photographed.status_code in (302, 303), photographed.text


def dossier_routes(app) -> list[tuple[str, str]]:
    """Every (method, path) of the app that takes a dossier's code: a new route is covered without a change here.
    The public status look-up is left out: it answers anyone, by design (issue 4)."""
    found = []
    for route in app.routes:
        path = route.path
        if "{code:str}" not in path or not re.match(r"^/(my/|desk/|helper/|api/v1/)?dossiers/", path):
            continue
        if path == "/api/v1/dossiers/{code:str}/status":
            continue
        found += [(method, path) for method in sorted(route.methods - {"HEAD", "OPTIONS"})]
    return found


async def statuses(browser: Portal, code: str) -> dict[tuple[str, str], int]:
    seen = {}
    for method, path in dossier_routes(browser.app):
        url = re.sub(r"\{code:str\}", code, path)
        url = re.sub(r"\{[a-z_]+:int\}", "1", url)
        url = re.sub(r"\{[a-z_]+:str\}", "x", url)
        if method == "GET":
            response = await browser.get(url)
        elif url.startswith("/api/"):
            response = await browser.api(method, url, json={})
        else:
            response = await browser.post_form(url, {})
        seen[method, path] = response.status_code
    return seen


async def assert_unknown_to(browser: Portal, code: str) -> None:
    """Each dossier route answers for this code as for a code that does not exist: 404, or the route's own refusal
    of anyone like this user (the desk's 403 to a non-official) whatever the code."""
    real, made_up = await statuses(browser, code), await statuses(browser, "HS-000000-ZZZZZZ")
    assert len(real) > 30
    leaks = {route: (status, made_up[route]) for route, status in real.items()
             if status != made_up[route] or status not in (403, 404)}
    assert not leaks, leaks
    assert sum(status == 404 for status in real.values()) > 20


async def test_a_helper_without_consent_gets_404_for_every_dossier_of_that_citizen(portal):
    point = await post_office()
    async with people(portal, CITIZEN, HELPER_PHONE) as (lan, helper_browser):
        helper = await posted(HELPER_PHONE, point)
        own = await Dossier.get(code=await fill_draft(lan, BIRTH))  # Lan's own draft: no consent for it
        await assert_unknown_to(helper_browser, own.code)
        # The pages open to helpers recorded each refusal, naming only the ids.
        refusals = await AssistEvent.filter(action="outside_consent", helper_id=helper.id, dossier_id=own.id)
        assert refusals and all(event.detail == {} and event.consent_id is None for event in refusals)

        # A consent for another procedure's dossier opens that one only (procedure and dossier are its scope).
        other = await Dossier.get(code=await fill_draft(lan, CRIMINAL_RECORD))
        consent = await granted(helper, point, other)
        await assert_unknown_to(helper_browser, own.code)
        assert (await helper_browser.get(f"/dossiers/{other.code}/form/"
                                         f"{(await other.procedure).form[0]['key']}")).status_code == 200

        # Lan ends it: closed at once, for every route.
        citizen = await User.get(id=own.applicant_id)
        assert await services.end_consent(consent.id, citizen) is services.Outcome.ENDED
        await assert_unknown_to(helper_browser, other.code)

        # Expired, or the post ended: the same.
        again = await granted(helper, point, other)
        await AssistConsent.filter(id=again.id).update(expires_at=now() - timedelta(minutes=1))
        await assert_unknown_to(helper_browser, other.code)


async def test_the_demo_post_office_has_its_helper(portal):
    from backend.assisted.demo import HELPER, POST_OFFICE, create_demo_service_points

    assert await create_demo_service_points() == 1
    assert await create_demo_service_points() == 1  # loaded twice: still one post
    assert await HelperPost.filter(service_point__code=POST_OFFICE, ended_at__isnull=True).count() == 1
    async with people(portal, HELPER[0]) as (clerk,):
        page = await clerk.get("/helper/start")
        assert page.status_code == 200 and POST_OFFICE in page.text


async def test_sending_lifts_the_72_hours_and_settling_ends_the_consent(portal):
    point = await post_office()
    async with people(portal, CITIZEN, OFFICER, HELPER_PHONE) as (lan, ward, _):
        helper = await posted(HELPER_PHONE, point)
        code = await fill_draft(lan, BIRTH)
        dossier = await Dossier.get(code=code)
        consent = await granted(helper, point, dossier)
        expired = await granted(helper, point, dossier, hours=-1)  # ran out before sending: stays run out
        for action in ("submit", "receive"):
            assert (await take(lan, ward, code, action)).status_code == 200
        assert (await AssistConsent.get(id=consent.id)).expires_at is None
        assert (await AssistConsent.get(id=expired.id)).expires_at < now()
        assert await services.active_consent(helper, dossier) is not None
        assert (await take(lan, ward, code, "approve")).status_code == 200
        settled = await AssistConsent.get(id=consent.id)
        assert settled.state is ConsentState.EXPIRED and settled.ended_at is not None
        assert await services.active_consent(helper, dossier) is None
        assert await AssistEvent.filter(consent_id=consent.id, action="settled").count() == 1


async def test_the_citizens_devices_hear_of_the_request_too(portal):
    point = await post_office()
    async with people(portal, HELPER_PHONE) as (helper_browser,):
        await posted(HELPER_PHONE, point)
        citizen = await User.create(phone="84" + CITIZEN_PHONE[1:], full_name="Bùi Thị Nga")
        await PushSubscription.create(user=citizen, endpoint="https://push.example/1", p256dh="k", auth="a",
                                      device="Phone")
        await start(helper_browser)
        row = await NotificationOutbox.get(recipient_id=citizen.id, event="assist_consent")
        assert row.dossier_id is None and row.payload["point"] == "Bưu điện Hoàn Kiếm"
        note = compose(row.event, row.payload, "en")
        assert "Bưu điện Hoàn Kiếm" in note.body and not re.search(r"\d{6}", note.body)  # the code stays in SMS


async def test_a_refused_start_makes_no_account(portal):
    point = await post_office()
    async with people(portal, HELPER_PHONE) as (helper_browser,):
        await posted(HELPER_PHONE, point)
        refused = await helper_browser.post_form("/helper/start", {"citizen": CITIZEN_PHONE, "procedure": "9.9"})
        assert refused.status_code == 400 and f'value="{CITIZEN_PHONE}"' in refused.text
        assert not await User.exists(phone="84" + CITIZEN_PHONE[1:])
        assert await AssistConsent.all().count() == 0


async def test_the_right_code_typed_twice_at_once_opens_one_dossier(portal):
    point = await post_office()
    async with people(portal, HELPER_PHONE) as (helper_browser,):
        await posted(HELPER_PHONE, point)
        consent_id = await start(helper_browser)
        right = await code_sent_to(portal, CITIZEN_PHONE)
        responses = await asyncio.gather(*(type_code(helper_browser, consent_id, right) for _ in range(3)))
        assert sorted(r.status_code for r in responses)[1:] == [400, 400]  # one winner, the others refused
        assert sum(r.status_code in (302, 303) for r in responses) == 1
        assert await Dossier.filter(service_point_id=point.id).count() == 1
        assert await AssistEvent.filter(consent_id=consent_id, action="granted").count() == 1


async def test_a_consent_does_not_keep_a_declaration_the_citizen_gave_online_before(portal):
    """The citizen declared their draft online and left its fee unpaid: the helper's consent resumes that draft,
    but what the helper fills is sent only once the citizen declares it again (the counter checks the consent)."""
    from backend.catalogue.models import Agency
    from backend.dossiers import services as dossier_services

    point = await post_office()
    async with people(portal, HELPER_PHONE) as (helper_browser,):
        await posted(HELPER_PHONE, point)
        consent_id = await start(helper_browser)
        citizen = await User.get(phone="84" + CITIZEN_PHONE[1:])
        draft = await dossier_services.start_or_resume_draft(
            citizen, await Procedure.get(code=BIRTH), await Agency.get(code=WARD))
        await Dossier.filter(id=draft.id).update(declaration_at=now())  # declared online, its fee not paid
        response = await type_code(helper_browser, consent_id, await code_sent_to(portal, CITIZEN_PHONE))
        assert response.status_code in (302, 303), response.text
        resumed = await Dossier.get(code=response.headers["location"].split("/")[3])
        assert resumed.id == draft.id and resumed.declaration_at is None


async def test_an_in_person_consent_always_starts_a_new_dossier(portal):
    """A document number alone names the citizen: a second in-person check never opens the draft filled before
    (its answers, its scans)."""
    point = await post_office()
    async with people(portal, HELPER_PHONE, OTHER_HELPER_PHONE) as (first_helper, second_helper):
        await posted(HELPER_PHONE, point)
        await posted(OTHER_HELPER_PHONE, point)
        form = {"full_name": "Lò Văn Páo", "document": "001060009998", "procedure": BIRTH, "agency": WARD}
        codes = []
        for browser in (first_helper, second_helper):
            response = await browser.post_form("/helper/in-person", form,
                                               files={"scan": ("card.png", PNG, "image/png")})
            assert response.status_code in (302, 303), response.text
            codes.append(response.headers["location"].split("/")[3])
        first, second = [await Dossier.get(code=code) for code in codes]
        assert first.id != second.id and first.applicant_id == second.applicant_id
        assert (await second_helper.get(f"/dossiers/{first.code}/documents")).status_code == 404


@pytest.fixture
def reviewed_khmer():
    """The consent text approved in Khmer, for this test only."""
    with approved("km", CONSENT_TEXT):
        yield


def outbox_text(portal: Portal, phone: str):
    return portal.client.get("/dev/outbox.json", params={"to": "84" + phone[1:]})


async def test_the_consent_code_goes_in_the_language_the_citizen_reads(portal):
    """A citizen who reads the portal in Khmer: the consent text, critical, goes in Vietnamese until a reviewer
    approved its Khmer, and the names in it with it (no sentence of two languages); then in Khmer (migration 34)."""
    point = await post_office()
    async with people(portal, HELPER_PHONE, CITIZEN_PHONE) as (helper_browser, citizen):
        await posted(HELPER_PHONE, point)
        account = await User.get(phone="84" + CITIZEN_PHONE[1:])
        assert account.language is None or account.language == "en"  # signed in on English pages
        assert (await citizen.get("/km/my/dossiers")).status_code == 200
        assert (await citizen.get("/vi/my/dossiers?back=km")).status_code == 200  # a look at the original only
        assert (await User.get(id=account.id)).language == "km"
        await start(helper_browser)
        text = (await outbox_text(portal, CITIZEN_PHONE)).json()[0]["text"]
        assert "là mã đồng ý" in text and "Đăng ký khai sinh" in text, text  # all Vietnamese, the title too
        assert not any("\u1780" <= ch <= "\u17ff" for ch in text)


async def test_the_consent_code_goes_in_khmer_once_reviewed(portal, reviewed_khmer):
    point = await post_office()
    async with people(portal, HELPER_PHONE, CITIZEN_PHONE) as (helper_browser, citizen):
        await posted(HELPER_PHONE, point)
        assert (await citizen.get("/km/my/dossiers")).status_code == 200
        await start(helper_browser)
        text = (await outbox_text(portal, CITIZEN_PHONE)).json()[0]["text"]
        assert "là mã đồng ý" not in text and "Đăng ký khai sinh" not in text, text
        assert any("\u1780" <= ch <= "\u17ff" for ch in text), text  # Khmer letters
        assert re.search(r"\b\d{6}\b", text) and not any("\ue000" <= ch <= "\ue002" for ch in text)
