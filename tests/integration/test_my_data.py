"""/my/data (issue 21): the citizen's own data in groups and nobody else's, who opened it in plain words, each
consent withdrawn in one step (and a clear answer the second time), and the privacy notice."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest

from backend.accounts.models import PushSubscription, User
from backend.assisted.models import AssistConsent, ConsentMethod, ConsentState, HelperPost, PointKind, ServicePoint
from backend.audit.models import AccessEntry
from backend.catalogue.models import Agency
from backend.dossiers.models import Dossier, PrefillConsent
from backend.questions.models import Question
from backend.sandboxes.citizens import LAN_ID_NUMBER
from tests.integration.helpers import people, start_draft
from tests.support import CITIZEN, OTHER_CITIZEN, Portal

pytestmark = pytest.mark.integration
BIRTH = "1.001193"
MARITAL = "1.004873"  # id_number is taken from the registry and locked


def e164(phone: str) -> str:
    return "84" + phone[1:]


async def user(phone: str) -> User:
    return await User.get(phone=e164(phone))


async def withdraw(portal: Portal, what: str) -> str:
    """Post a withdrawal; return the status message /my/data shows after the redirect."""
    response = await portal.post_form(f"/my/data/consents/{what}/withdraw")
    assert response.status_code in (302, 303), response.text
    assert response.headers["location"].endswith("/my/data#consents-status")
    page = (await portal.get(response.headers["location"])).text
    region = page.split("data-my-data-status>")[1].split("</div>")[0]
    assert "<p>" in region, "the message is in the live region"
    return re.sub(r"\s+", " ", region.split("<p>")[1].split("</p>")[0])


async def subscribe(owner: User, n: int) -> None:
    for i in range(n):
        await PushSubscription.create(user=owner, endpoint=f"https://push.example/{owner.id}/{i}", p256dh="k" * 87,
                                      auth="a" * 22, device=f"Phone {owner.id}-{i}")


async def test_each_group_shows_the_citizens_data_and_nobody_elses(portal):
    async with people(portal, CITIZEN, OTHER_CITIZEN) as (lan, other):
        mine, theirs = await start_draft(lan, BIRTH), await start_draft(other, BIRTH)
        lan_user, other_user = await user(CITIZEN), await user(OTHER_CITIZEN)
        await subscribe(lan_user, 1)
        await subscribe(other_user, 1)
        page = (await lan.get("/my/data")).text
    assert page.count("<h1>") == 1 and "<title>Your data" in page
    for section in ("account", "dossiers", "payments", "devices", "consents", "sign_ins", "access"):
        assert f'id="{section}"' in page and f'href="#{section}"' in page
    assert mine in page and theirs not in page
    assert f"/my/dossiers/{mine}" in page
    assert f"Phone {lan_user.id}-0" in page and f"Phone {other_user.id}-0" not in page
    assert "Nobody has opened your data yet." in page
    assert "Not verified" in page
    assert 'Language of your account</dt><dd><span lang="en">English</span>' in page  # read in English


async def test_identity_number_is_masked(portal):
    await portal.sign_in(CITIZEN)
    assert (await portal.post_form("/account/identity", {"id_number": LAN_ID_NUMBER})).status_code in (302, 303)
    page = (await portal.get("/my/data")).text
    assert LAN_ID_NUMBER not in page and "••••••••" + LAN_ID_NUMBER[-4:] in page


async def test_every_list_is_one_page_at_a_time(portal):
    await portal.sign_in(CITIZEN)
    first_code = await start_draft(portal, BIRTH)  # applying again resumes this draft: the others are its copies
    draft = await Dossier.get(code=first_code)
    codes = [first_code]
    for i in range(10):
        copy = await Dossier.create(code=f"HS-P5-{i:04d}", procedure_id=draft.procedure_id, agency_id=draft.agency_id,
                                    applicant_id=draft.applicant_id, answers={})
        codes.append(copy.code)
    first = (await portal.get("/my/data")).text
    second = (await portal.get("/my/data?dossiers=2")).text
    shown_first = [c for c in codes if c in first]
    shown_second = [c for c in codes if c in second]
    assert len(shown_first) == 10 and len(shown_second) == 1 and not set(shown_first) & set(shown_second)
    assert 'href="/en/my/data?dossiers=2#dossiers"' in first
    assert 'href="/en/my/data?dossiers=1#dossiers"' in second
    assert (await portal.get("/my/data?dossiers=abc&access=-3")).status_code == 200


async def test_the_access_log_in_plain_words_newest_first(portal):
    async with people(portal, CITIZEN, OTHER_CITIZEN) as (lan, other):
        code = await start_draft(lan, BIRTH)
        other_code = await start_draft(other, BIRTH)
        lan_user, other_user = await user(CITIZEN), await user(OTHER_CITIZEN)
        dossier, other_dossier = await Dossier.get(code=code), await Dossier.get(code=other_code)
        agency = await Agency.get(id=dossier.agency_id)
        official = await User.create(phone="84901999111", full_name="Lê Thu Hà", role="officer", agency=agency)
        at = datetime(2026, 12, 6, 3, 42, tzinfo=UTC)  # 10:42 in Viet Nam
        for what, minutes in (("dossier", 0), ("document", 1), ("account", 2)):
            await AccessEntry.create(citizen=lan_user, actor=official, actor_name="Lê Thu Hà", actor_role="official",
                                     agency=agency, dossier_id=None if what == "account" else dossier.id, what=what,
                                     reason="desk.dossier_page", at=at + timedelta(minutes=minutes))
        await AccessEntry.create(citizen=other_user, actor=official, actor_name="Lê Thu Hà", actor_role="official",
                                 agency=agency, dossier_id=other_dossier.id, what="dossier",
                                 reason="desk.dossier_page", at=at)
        page = (await lan.get("/my/data")).text
        other_page = (await other.get("/my/data")).text
    log = page.split('id="access"')[1].split("</section>")[0]
    lines = [html.unescape(line) for line in re.findall(r"<li>(.*?)</li>", log)]
    agency_name = agency.name["en"]
    assert lines == [
        f"Lê Thu Hà ({agency_name}) opened your account details on Dec 6, 2026, 10:44:00\u202fAM.",
        f"Lê Thu Hà ({agency_name}) opened a document of your dossier “Birth registration” on "
        "Dec 6, 2026, 10:43:00\u202fAM.",
        f"Lê Thu Hà ({agency_name}) opened your dossier “Birth registration” on Dec 6, 2026, 10:42:00\u202fAM.",
    ], lines
    assert other_page.split('id="access"')[1].split("</section>")[0].count("<li>") == 1, "each sees their own log"


async def test_the_access_log_is_in_the_pages_language(portal):
    await portal.sign_in(CITIZEN)
    code = await start_draft(portal, BIRTH)
    dossier = await Dossier.get(code=code).select_related("procedure")
    agency = await Agency.get(id=dossier.agency_id)
    official = await User.create(phone="84901999112", full_name="Lê Thu Hà", role="officer", agency=agency)
    await AccessEntry.create(citizen=await user(CITIZEN), actor=official, actor_name="Lê Thu Hà",
                             actor_role="official", agency=agency, dossier_id=dossier.id, what="dossier",
                             reason="desk.dossier_page", at=datetime(2026, 12, 6, 3, 42, tzinfo=UTC))
    page = (await portal.get("/vi/my/data")).text
    log = page.split('id="access"')[1].split("</section>")[0]
    assert agency.name["vi"] in log and dossier.procedure.title["vi"] in log and "10:42:00 6 thg 12, 2026" in log


async def test_prefill_consent_withdrawn_once_and_twice_and_prefill_stops(portal):
    await portal.sign_in(CITIZEN)
    assert "not agreed to pre-fill" in await withdraw(portal, "prefill")
    assert (await portal.post_form("/account/identity", {"id_number": LAN_ID_NUMBER})).status_code in (302, 303)
    code = await start_draft(portal, MARITAL)
    assert (await portal.post_form(f"/dossiers/{code}/prefill", {"choice": "yes"})).status_code in (302, 303)
    form = (await portal.get(f"/dossiers/{code}/form/person")).text
    assert re.search(r'<input id="id_number"[^>]*readonly', form), "held to the registry's value while in force"

    message = await withdraw(portal, "prefill")
    assert message.startswith("Consent to pre-fill from the population registry withdrawn.")
    consent = await PrefillConsent.get(dossier__code=code)
    assert consent.withdrawn_at is not None
    form = (await portal.get(f"/dossiers/{code}/form/person")).text
    assert not re.search(r'<input id="id_number"[^>]*readonly', form), "no answer is held to the registry any more"
    assert "Pre-filled from the national population database." not in form
    assert "Fill in your details from the national population database?" not in form, "not asked again here"

    # Saying yes again on this dossier fills nothing: the answer the citizen changed stays theirs.
    dossier = await Dossier.get(code=code)
    dossier.answers = {**dossier.answers, "full_name": "Lan N."}
    await dossier.save(update_fields=["answers"])
    await portal.post_form(f"/dossiers/{code}/prefill", {"choice": "yes"})
    assert (await Dossier.get(code=code)).answers["full_name"] == "Lan N."
    assert await PrefillConsent.filter(dossier__code=code).count() == 1

    again = await withdraw(portal, "prefill")
    assert again.startswith("You already withdrew consent to pre-fill on ") and again.endswith("Nothing changed.")
    assert (await PrefillConsent.get(dossier__code=code)).withdrawn_at == consent.withdrawn_at


async def test_push_consent_withdrawn_removes_every_device_of_the_citizen_only(portal):
    async with people(portal, CITIZEN, OTHER_CITIZEN) as (lan, _other):
        lan_user, other_user = await user(CITIZEN), await user(OTHER_CITIZEN)
        await subscribe(lan_user, 12)  # more than a page (10): the count is of all of them, not the page shown
        await subscribe(other_user, 1)
        page = (await lan.get("/my/data")).text
        assert "12 devices get notifications." in page and "data-push-withdraw" in page
        form = page.split("data-push-withdraw>")[1].split("</form>")[0]
        assert 'name="_csrf_token" value="' in form, "a browser's form carries its CSRF token"
        assert (await withdraw(lan, "push")).startswith("Notifications withdrawn: your devices are unsubscribed.")
        assert await PushSubscription.filter(user=lan_user).count() == 0
        assert await PushSubscription.filter(user=other_user).count() == 1
        assert (await withdraw(lan, "push")).startswith("None of your devices gets notifications")
        assert "No device gets notifications." in (await lan.get("/my/data")).text


async def test_publication_consent_withdrawn_takes_the_question_down(portal):
    async with people(portal, CITIZEN, OTHER_CITIZEN) as (lan, other):
        lan_user = await user(CITIZEN)
        agency = await Agency.first()
        today = datetime.now(UTC).date()
        question = await Question.create(
            asker=lan_user, agency=agency, language="en", text="How long does a birth registration take?",
            consent=True, asked_on=today, classify_by=today, answer="Three working days.",
            answered_on=today, published_at=datetime.now(UTC), public_text="How long does a birth registration take?",
            public_answer="Three working days.", search_key="how long")
        assert "How long does a birth registration take?" in (await other.get("/questions")).text
        assert (await other.post_form(f"/my/data/consents/questions/{question.id}/withdraw")).status_code == 404

        response = await lan.post_form(f"/my/data/consents/questions/{question.id}/withdraw")
        assert response.status_code in (302, 303)
        page = (await lan.get(response.headers["location"])).text
        assert "Consent to publication withdrawn: your question and its answer are no longer public." in page
        taken = await Question.get(id=question.id)
        assert (taken.consent, taken.published_at, taken.public_text, taken.public_answer) == (False, None, "", "")
        assert "How long does a birth registration take?" not in (await other.get("/questions")).text
        again = await lan.post_form(f"/my/data/consents/questions/{question.id}/withdraw")
        page = (await lan.get(again.headers["location"])).text
        assert "You already withdrew consent to publish this question on " in page


async def test_a_helpers_consent_ended_once_and_twice(portal):
    async with people(portal, CITIZEN, OTHER_CITIZEN) as (lan, other):
        code = await start_draft(lan, BIRTH)
        dossier = await Dossier.get(code=code)
        helper = await User.create(phone="84901999113", full_name="Trần Văn Giúp")
        point = await ServicePoint.create(code="p5-post-office", kind=PointKind.POST_OFFICE,
                                          name={"vi": "Bưu cục Hàng Bạc", "en": "Hàng Bạc post office"},
                                          address={"vi": "Hàng Bạc", "en": "Hàng Bạc"})
        await HelperPost.create(user=helper, service_point=point, appointed_by=helper, appointed_at=datetime.now(UTC))
        consent = await AssistConsent.create(
            helper=helper, service_point=point, citizen=await user(CITIZEN), procedure_id=dossier.procedure_id,
            dossier=dossier, method=ConsentMethod.SMS_CODE, state=ConsentState.ACTIVE, granted_at=datetime.now(UTC),
            expires_at=datetime.now(UTC) + timedelta(hours=72))
        page = (await lan.get("/my/data")).text
        assert re.search(r'Trần Văn Giúp at <span lang="\w+">Hàng Bạc post office</span>', page)
        assert (await other.post_form(f"/my/data/consents/helpers/{consent.id}/withdraw")).status_code == 404
        assert "The helper can no longer act on your behalf." in await withdraw(lan, f"helpers/{consent.id}")
        assert (await AssistConsent.get(id=consent.id)).state is ConsentState.ENDED
        assert await withdraw(lan, f"helpers/{consent.id}") == "This consent had already ended. Nothing changed."


async def test_the_privacy_notice_reads_the_retention_file(portal):
    page = (await portal.get("/privacy")).text
    assert page.count("<h1>") == 1 and "<title>Privacy notice" in page
    assert "Law 91/2025/QH15" in page and "Decree 13/2023/ND-CP" in page
    assert "Payment records and receipts" in page and "10 years after payment" in page
    assert 'href="/en/my/data"' in page
    assert 'href="/en/privacy"' in (await portal.get("/procedures")).text, "linked from the footer"


async def test_the_privacy_notice_promises_only_what_the_worker_does(portal):
    """No "then erased" for a kind the worker keeps: each row says what happens at the end of its period."""
    from backend.privacy.retention import APPLIERS, rules

    page = (await portal.get("/privacy")).text
    assert "then erased or anonymised" not in page
    rows = {re.sub(r"<[^>]+>", "", m.group(1)).strip(): m.group(2) for m in re.finditer(
        r'<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', page, re.S)}
    for rule in rules().kinds.values():
        row = rows[rule.label]
        if rule.period_days is None:
            continue
        if rule.at_end == "keep":
            assert "the portal does not erase it by itself" in row and "Kept at least" in row, rule.kind
            assert "the portal erases" not in row and "anonymises" not in row, rule.kind
        else:
            assert rule.kind in APPLIERS, rule.kind  # a promise the worker keeps
            assert ("Then the portal erases it" if rule.at_end == "erase" else "Then the portal anonymises it") in row
    assert "Kept at least 10 years" in rows["Payment records and receipts"]


async def test_my_data_needs_sign_in(portal):
    response = await portal.get("/my/data")
    assert response.status_code in (302, 303) and "/sign-in" in response.headers["location"]
