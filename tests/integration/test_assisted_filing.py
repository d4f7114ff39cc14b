"""Assisted filing, part B (issue 20): a helper fills the citizen's draft, the citizen declares it, on the record.

The helper fills the form and uploads documents through the citizen's own pages (``Standing.HELPER``), never
declares (refused and recorded); the citizen declares with the link texted to their phone (their account only,
once) or with a code read out at the counter (the sign-in codes' limits); the dossier, its receipt, the desk and
the timeline say who helped, where, when and with what consent.
"""

from __future__ import annotations

import re

import pytest

from backend.accounts.models import User
from backend.assisted.models import (
    AssistConsent,
    AssistEvent,
    ConsentMethod,
    ConsentState,
)
from backend.catalogue.models import Procedure
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument, TimelineEvent
from tests.integration.assisted_setup import granted, post_office, posted
from tests.integration.helpers import BIRTH, people, start_draft
from tests.support import JPG, OFFICER, PDF, answer_pages, procedure_definition

pytestmark = pytest.mark.integration
CITIZEN = "0903400011"  # phones no other test signs in with
OTHER = "0903400012"
HELPER = "0903400001"
RESULT_FORM = "office"


def e164(phone: str) -> str:
    return "84" + phone[1:]


async def texts_to(portal, phone: str) -> list[str]:
    return [m["text"] for m in (await portal.client.get("/dev/outbox.json", params={"to": e164(phone)})).json()]


async def helped_draft(citizen_portal, method: ConsentMethod = ConsentMethod.SMS_CODE) -> tuple[Dossier, User]:
    """The citizen's new draft, and a helper at a post office with the citizen's live consent to fill it (as the
    consent step leaves it: that step has its own tests)."""
    code = await start_draft(citizen_portal, BIRTH)
    dossier = await Dossier.get(code=code)
    point = await post_office()
    helper = await User.get(phone=e164(HELPER))
    helper.full_name = "Đỗ Minh Châu"
    await helper.save(update_fields=["full_name"])
    await posted(HELPER, point)
    await granted(helper, point, dossier, method=method)
    await Dossier.filter(id=dossier.id).update(channel="post_office", service_point_id=point.id)  # as consenting does
    return dossier, helper


async def fill_as_helper(helper_portal, code: str) -> None:
    """Every form page and the mandatory document, posted by the helper (the document as a photo)."""
    definition = await procedure_definition(BIRTH)
    await answer_pages(helper_portal, code, definition["form"])
    response = await helper_portal.post_form(
        f"/dossiers/{code}/documents", {"doc_key": "birth_certificate_medical"},
        files={"file": ("", b""), "photo": ("photo.jpg", JPG, "image/jpeg")})
    assert response.status_code in (302, 303), response.text


async def ask(helper_portal, code: str, how: str):
    return await helper_portal.post_form(f"/dossiers/{code}/submit", {"declare_by": how, "result_form": RESULT_FORM})


def link_in(texts: list[str]) -> str:
    found = next(m for text in texts if (m := re.search(r"/declare/(\S+)", text)))
    return "/declare/" + found.group(1)


def code_in(texts: list[str], dossier_code: str) -> str:
    return next(m.group(1) for text in texts if dossier_code in text and (m := re.search(r"\b(\d{6})\b", text)))


async def test_the_helper_fills_the_draft_and_cannot_declare(portal):
    async with people(portal, CITIZEN, HELPER) as (citizen, helper_portal):
        dossier, helper = await helped_draft(citizen)
        first = (await Procedure.get(code=BIRTH)).form[0]["key"]
        form = await helper_portal.get(f"/dossiers/{dossier.code}/form/{first}")
        assert form.status_code == 200 and "You are filling this in for" in form.text
        await fill_as_helper(helper_portal, dossier.code)
        documents = await helper_portal.get(f"/dossiers/{dossier.code}/documents")
        assert 'capture="environment"' in documents.text and 'accept=".pdf' in documents.text  # camera, PDF still
        kept = await DossierDocument.get(dossier_id=dossier.id, doc_key="birth_certificate_medical")
        assert kept.filename == "photo.jpg" and kept.content_type == "image/jpeg"
        photo = await helper_portal.get(f"/dossiers/{dossier.code}/files/{kept.id}")  # to check what they took
        assert photo.status_code == 200 and photo.content == JPG
        assert (await Dossier.get(id=dossier.id)).answers["child_full_name"]

        check = await helper_portal.get(f"/dossiers/{dossier.code}/check")
        assert check.status_code == 200 and 'value="link"' in check.text and 'name="declaration"' not in check.text
        assert "data-offline-label" not in check.text  # texting the citizen is never queued offline
        # Declaring anyway (a crafted post) is refused, said clearly, recorded; the dossier stays a draft.
        refused = await helper_portal.post_form(f"/dossiers/{dossier.code}/submit",
                                                {"declaration": "yes", "result_form": RESULT_FORM})
        assert refused.status_code == 403 and "Only the citizen can declare" in refused.text
        refusals = AssistEvent.filter(action="declare_refused", helper_id=helper.id, dossier_id=dossier.id)
        assert await refusals.count() == 1
        assert (await Dossier.get(id=dossier.id)).status is Status.DRAFT

        # Only the filling pages open to the helper: the citizen's own pages stay unknown.
        for url in (f"/my/dossiers/{dossier.code}", f"/dossiers/{dossier.code}/receipt",
                    f"/api/v1/dossiers/{dossier.code}"):
            assert (await helper_portal.get(url)).status_code == 404, url
        prefill = await helper_portal.post_form(f"/dossiers/{dossier.code}/prefill", {"choice": "yes"})
        assert prefill.status_code == 404


async def test_the_citizen_declares_with_the_link_on_their_own_phone(portal):
    async with people(portal, CITIZEN, HELPER, OTHER) as (citizen, helper_portal, other):
        dossier, helper = await helped_draft(citizen)
        await fill_as_helper(helper_portal, dossier.code)
        asked = await ask(helper_portal, dossier.code, "link")
        assert asked.status_code == 303 and asked.headers["location"].endswith(f"/dossiers/{dossier.code}/declare/sent")
        link = link_in(await texts_to(portal, CITIZEN))
        consent = await AssistConsent.get(dossier_id=dossier.id)
        assert consent.declare_token_hash and link.split("-", 1)[1] not in consent.declare_token_hash  # a seal only

        # Another account with the link: refused, recorded, and nothing of the dossier shown.
        stranger = await other.get(link)
        assert stranger.status_code == 404 and dossier.code not in stranger.text and "Nguyễn" not in stranger.text
        refusal = await AssistEvent.get(action="declare_link_refused")
        assert refusal.detail == {"reason": "other_account"} and refusal.helper_id == helper.id
        # The helper with the link is another account too.
        assert (await helper_portal.get(link)).status_code == 404

        shown = await citizen.get(link)
        assert shown.status_code == 200 and dossier.code in shown.text and "photo.jpg" in shown.text
        assert "Filed with help from Đỗ Minh Châu at Hoàn Kiếm post office" in shown.text
        unticked = await citizen.post_form(link, {})
        assert unticked.status_code == 400 and "Confirm that the information you gave is true" in unticked.text
        declared = await citizen.post_form(link, {"declaration": "yes"})
        assert declared.status_code == 303, declared.text
        sent = await Dossier.get(id=dossier.id)
        assert sent.status is Status.SUBMITTED and sent.applicant_id == consent.citizen_id
        assert sent.channel == "post_office" and sent.service_point_id == consent.service_point_id
        actions = await TimelineEvent.filter(dossier_id=dossier.id).order_by("id").values_list("action", flat=True)
        assert actions == ["assist_filed", "assist_declared_link", "submit"]

        again = await citizen.get(link)  # used once: no second declaration
        assert again.status_code == 404 and "does not work" in again.text
        assert await AssistEvent.filter(action="declare_link_refused", consent_id=consent.id).count() == 3

        # The helper follows it while the consent lasts; the citizen's My dossiers lists it as theirs.
        status = await helper_portal.get(f"/dossiers/{dossier.code}/declare/sent")
        assert status.status_code == 200 and "The citizen has declared it." in status.text
        mine = await citizen.get("/my/dossiers")
        assert dossier.code in mine.text


async def test_the_counter_code_wrong_expired_and_reused(portal):
    async with people(portal, CITIZEN, HELPER) as (citizen, helper_portal):
        dossier, helper = await helped_draft(citizen)
        await fill_as_helper(helper_portal, dossier.code)
        asked = await ask(helper_portal, dossier.code, "code")
        assert asked.headers["location"].endswith(f"/dossiers/{dossier.code}/declare/code")
        code = code_in(await texts_to(portal, CITIZEN), dossier.code)
        url = f"/dossiers/{dossier.code}/declare/code"
        wrong = "000000" if code != "000000" else "111111"

        refused = await helper_portal.post_form(url, {"code": wrong})
        assert refused.status_code == 400 and "The code is wrong" in refused.text and wrong in refused.text
        consent = await AssistConsent.get(dossier_id=dossier.id)
        assert consent.declare_attempts == 1

        # Expired: the seal's time has passed (its first part), the right code is refused.
        seal = consent.declare_code_hash
        await AssistConsent.filter(id=consent.id).update(declare_code_hash="1$" + seal.split("$", 1)[1])
        expired = await helper_portal.post_form(url, {"code": code})
        assert expired.status_code == 400 and "expired" in expired.text
        await AssistConsent.filter(id=consent.id).update(declare_code_hash=seal)

        for _ in range(4):  # five tries in all, as sign-in codes
            await helper_portal.post_form(url, {"code": wrong})
        limited = await helper_portal.post_form(url, {"code": code})
        assert limited.status_code == 400 and "Too many wrong codes" in limited.text
        assert (await Dossier.get(id=dossier.id)).status is Status.DRAFT

        await ask(helper_portal, dossier.code, "code")  # a new code: the tries start again
        code = code_in(await texts_to(portal, CITIZEN), dossier.code)
        done = await helper_portal.post_form(url, {"code": code})
        assert done.status_code == 303, done.text
        assert (await Dossier.get(id=dossier.id)).status is Status.SUBMITTED
        reused = await helper_portal.post_form(url, {"code": code})
        assert reused.status_code == 404  # sent: the filling pages are closed to the helper
        actions = set(await AssistEvent.filter(consent_id=consent.id).values_list("action", flat=True))
        assert {"declare_refused_code", "declare_refused_expired", "declare_refused_limit", "declared"} <= actions
        timeline = await TimelineEvent.filter(dossier_id=dossier.id).values_list("action", flat=True)
        assert "assist_declared_code" in timeline and timeline.count("assist_filed") == 1  # asked twice, said once


async def test_the_record_shows_on_receipt_desk_and_timeline_and_the_citizen_ends_access(portal):
    async with people(portal, CITIZEN, HELPER, OFFICER) as (citizen, helper_portal, officer):
        dossier, helper = await helped_draft(citizen)
        await fill_as_helper(helper_portal, dossier.code)
        await ask(helper_portal, dossier.code, "link")
        link = link_in(await texts_to(portal, CITIZEN))
        assert (await citizen.post_form(link, {"declaration": "yes"})).status_code == 303
        sentence = "Filed with help from Đỗ Minh Châu at Hoàn Kiếm post office on"
        receipt = await citizen.get(f"/dossiers/{dossier.code}/receipt")
        assert sentence in receipt.text and "consent by a code sent to the citizen" in receipt.text
        desk = await officer.get(f"/desk/dossiers/{dossier.code}")
        assert desk.status_code == 200 and sentence in desk.text
        assert "Filled in with a helper" in desk.text and "Declared by the citizen on their own phone" in desk.text

        page = await citizen.get(f"/my/dossiers/{dossier.code}")
        assert sentence in page.text and "End the helper" in page.text
        consent = await AssistConsent.get(dossier_id=dossier.id)
        assert (await helper_portal.get(f"/dossiers/{dossier.code}/declare/sent")).status_code == 200
        ended = await citizen.post_form(f"/my/dossiers/{dossier.code}/helper/end", {"consent": str(consent.id)})
        assert ended.status_code == 303
        assert (await helper_portal.get(f"/dossiers/{dossier.code}/declare/sent")).status_code == 404
        after = await citizen.get(f"/my/dossiers/{dossier.code}?helper=ended")
        assert "The citizen ended the helper" in after.text and "End the helper" not in after.text
        # Someone else's consent id, or ending twice: nothing more happens.
        assert (await citizen.post_form(f"/my/dossiers/{dossier.code}/helper/end",
                                        {"consent": str(consent.id + 99)})).status_code == 404
        await citizen.post_form(f"/my/dossiers/{dossier.code}/helper/end", {"consent": str(consent.id)})
        assert await TimelineEvent.filter(dossier_id=dossier.id, action="assist_ended").count() == 1


async def test_an_in_person_consent_is_declared_on_paper_and_flagged(portal):
    async with people(portal, CITIZEN, HELPER, OFFICER) as (citizen, helper_portal, officer):
        dossier, _ = await helped_draft(citizen, ConsentMethod.IN_PERSON)
        await fill_as_helper(helper_portal, dossier.code)
        asked = await ask(helper_portal, dossier.code, "code")  # no phone to text: the signed paper instead
        url = f"/dossiers/{dossier.code}/declare/paper"
        assert asked.status_code == 303 and asked.headers["location"].endswith(url)
        assert not [t for t in await texts_to(portal, CITIZEN) if dossier.code in t]
        assert (await helper_portal.get(url)).status_code == 200
        empty = await helper_portal.post_form(url, {}, files={"paper": ("", b"")})
        assert empty.status_code == 400 and "signed declaration" in empty.text
        wrong = await helper_portal.post_form(url, {}, files={"paper": ("page.txt", b"not an image")})
        assert wrong.status_code == 400
        assert (await Dossier.get(id=dossier.id)).status is Status.DRAFT
        signed = await helper_portal.post_form(url, {}, files={"paper": ("signed.jpg", JPG, "image/jpeg")})
        assert signed.status_code == 303, signed.text
        assert (await Dossier.get(id=dossier.id)).status is Status.SUBMITTED
        timeline = await TimelineEvent.filter(dossier_id=dossier.id).values_list("action", flat=True)
        assert "assist_declared_paper" in timeline
        paper = await DossierDocument.get(dossier_id=dossier.id, doc_key="signed_declaration")
        desk = await officer.get(f"/desk/dossiers/{dossier.code}")
        assert "Check the identity:" in desk.text and f"/files/{paper.id}" in desk.text
        assert (await officer.get(f"/dossiers/{dossier.code}/files/{paper.id}")).status_code == 200


async def test_the_desk_shows_the_identity_checked_in_person_to_the_agency_only(portal):
    from backend.audit.models import AccessEntry
    from tests.support import OTHER_OFFICER, PNG

    async with people(portal, CITIZEN, HELPER, OFFICER, OTHER_OFFICER) as (citizen, helper_portal, officer, police):
        dossier, _ = await helped_draft(citizen, ConsentMethod.IN_PERSON)
        await fill_as_helper(helper_portal, dossier.code)
        await ask(helper_portal, dossier.code, "code")  # no phone: the signed paper
        signed = await helper_portal.post_form(f"/dossiers/{dossier.code}/declare/paper", {},
                                               files={"paper": ("signed.jpg", JPG, "image/jpeg")})
        assert signed.status_code == 303, signed.text
        scan = "identity-checks/card.png"
        await portal.adapters.storage.put(scan, PNG)
        await AssistConsent.filter(dossier_id=dossier.id).update(identity_document="001060009876", identity_scan=scan)
        url = f"/desk/dossiers/{dossier.code}/identity-scan"
        desk = (await officer.get(f"/desk/dossiers/{dossier.code}")).text
        assert "Number ending in 9876" in desk and url in desk and "001060009876" not in desk
        await AccessEntry.all().delete()
        shown = await officer.get(url)
        assert shown.status_code == 200 and shown.content == PNG
        officer_user = await User.get(phone=e164(OFFICER))
        rows = [(row.what, row.reason, row.actor_id, row.citizen_id) for row in await AccessEntry.all()]
        assert rows == [("document", "desk.identity_scan", officer_user.id, dossier.applicant_id)]
        await AccessEntry.all().delete()
        assert (await police.get(url)).status_code == 404, "another agency's official"
        assert "identity-scan" not in (await police.get(f"/desk/dossiers/{dossier.code}")).text
        assert (await helper_portal.get(url)).status_code in (403, 404)
        assert (await citizen.get(url)).status_code in (403, 404)
        assert not await AccessEntry.filter(what="document").exists(), "a refused look logs no scan"


async def test_the_helpers_photo_input_names_the_upload_error(portal):
    async with people(portal, CITIZEN, HELPER) as (citizen, helper_portal):
        dossier, _ = await helped_draft(citizen)
        refused = await helper_portal.post_form(f"/dossiers/{dossier.code}/documents",
                                                {"doc_key": "birth_certificate_medical"},
                                                files={"file": ("page.txt", b"not an image")})
        assert refused.status_code == 400, refused.text
        photo = re.search(r'<input type="file" id="photo-birth_certificate_medical"[^>]*>', refused.text)
        assert photo and 'capture="environment"' in photo.group(0)
        assert 'aria-describedby="file-birth_certificate_medical-hint file-birth_certificate_medical-error"' \
            in photo.group(0)


async def test_the_status_page_says_what_was_asked_and_when_the_access_ends(portal):
    async with people(portal, CITIZEN, HELPER) as (citizen, helper_portal):
        dossier, _ = await helped_draft(citizen)
        url = f"/dossiers/{dossier.code}/declare/sent"
        await fill_as_helper(helper_portal, dossier.code)
        nothing = (await helper_portal.get(url)).text
        assert "Nothing was sent to the citizen yet" in nothing and "We texted the citizen a link" not in nothing
        assert "until it is settled" not in nothing, "a draft's consent ends at 72 hours"
        mine = (await citizen.get(f"/my/dossiers/{dossier.code}")).text
        assert "can open this dossier until" in mine and "until it is settled" not in mine
        assert (await ask(helper_portal, dossier.code, "code")).status_code == 303
        coded = (await helper_portal.get(url)).text
        assert "a code to read out" in coded and "We texted the citizen a link" not in coded
        assert f"/dossiers/{dossier.code}/declare/code" in coded


async def test_the_status_page_of_a_citizen_with_no_phone_says_nothing_was_sent(portal):
    async with people(portal, CITIZEN, HELPER) as (citizen, helper_portal):
        dossier, _ = await helped_draft(citizen, ConsentMethod.IN_PERSON)
        shown = (await helper_portal.get(f"/dossiers/{dossier.code}/declare/sent")).text
        assert "has no phone, so nothing was sent" in shown and "We texted" not in shown
        assert f"/dossiers/{dossier.code}/declare/paper" in shown


async def test_a_consent_by_code_is_not_declared_on_paper(portal):
    async with people(portal, CITIZEN, HELPER) as (citizen, helper_portal):
        dossier, _ = await helped_draft(citizen)
        await fill_as_helper(helper_portal, dossier.code)
        refused = await helper_portal.post_form(f"/dossiers/{dossier.code}/declare/paper", {},
                                                files={"paper": ("signed.jpg", JPG, "image/jpeg")})
        assert refused.status_code == 400 and "has a phone" in refused.text
        assert (await Dossier.get(id=dossier.id)).status is Status.DRAFT


async def test_a_helper_without_consent_gets_404(portal):
    async with people(portal, CITIZEN, HELPER) as (citizen, helper_portal):
        dossier, helper = await helped_draft(citizen)
        await AssistConsent.filter(dossier_id=dossier.id).update(state=ConsentState.ENDED)
        key = (await Procedure.get(code=BIRTH)).form[0]["key"]
        document = await DossierDocument.create(
            dossier=dossier, doc_key="birth_certificate_medical", filename="a.pdf", content_type="application/pdf",
            size=1, sha256="0", storage_name="a.pdf")
        for url in (f"/dossiers/{dossier.code}/files/{document.id}",
                    f"/dossiers/{dossier.code}/form/{key}", f"/dossiers/{dossier.code}/documents",
                    f"/dossiers/{dossier.code}/check", f"/dossiers/{dossier.code}/declare/code",
                    f"/dossiers/{dossier.code}/declare/sent"):
            assert (await helper_portal.get(url)).status_code == 404, url
        assert (await ask(helper_portal, dossier.code, "link")).status_code == 404
        assert (await helper_portal.post_form(f"/dossiers/{dossier.code}/documents", {"doc_key": "x"},
                                              files={"file": ("a.pdf", PDF)})).status_code == 404
