"""Assisted filing, part C (issue 20): at the counter (cash for the fee, its receipt, the filing receipt PDF), the
helper's own desk (dossiers helped, consents running out, cash handed over at the end of the day)."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from datetime import date, datetime, timedelta

import pytest
import qrcode
from pypdf import PdfReader

from backend.accounts.models import User
from backend.assisted.models import (
    AssistConsent,
    AssistEvent,
    ConsentState,
    ResultCollection,
)
from backend.catalogue.models import Agency, Procedure
from backend.core.clock import VIETNAM, now
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier
from backend.payments.models import Payment, PaymentStatus, Receipt
from backend.statistics import rollup
from tests.integration.assisted_setup import granted, posted
from tests.integration.assisted_setup import post_office as a_post_office
from tests.integration.helpers import BIRTH, people
from tests.integration.test_payments import ID_CARD
from tests.pdf_text import pdf_text
from tests.support import CITIZEN, OTHER_CITIZEN, fill_draft

pytestmark = pytest.mark.integration
HELPER = "0903300001"  # no other test signs in with these
OTHER_HELPER = "0903300002"


async def post_office(code: str = "VNP-HN-C1"):
    return await a_post_office(code, "Cửa Nam", "5 Cửa Nam, Hà Nội")


async def declared_draft(citizen) -> Dossier:
    """A draft filed with help, its declaration given by the citizen (part B's step), its fee still due."""
    dossier = await Dossier.get(code=await fill_draft(citizen, ID_CARD))
    await Dossier.filter(id=dossier.id).update(declaration_at=now(), result_form="office", channel="post_office")
    # The citizen's declaration through the consent (``AssistConsent.declared_at``) is set by ``at_counter``.
    return await Dossier.get(id=dossier.id)


async def at_counter(citizen, *helpers: str):
    point = await post_office()
    dossier = await declared_draft(citizen)
    await Dossier.filter(id=dossier.id).update(service_point_id=point.id)
    users = [await posted(phone, point) for phone in helpers]
    consents = [await granted(user, point, dossier) for user in users]
    await AssistConsent.filter(id__in=[c.id for c in consents]).update(declared_at=now())  # as declaring does
    return point, dossier, users, consents


def receipt_number(response) -> str:
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[1]


async def test_cash_settles_the_fee_once_and_a_second_time_is_refused_and_recorded(portal):
    async with people(portal, CITIZEN, HELPER) as (lan, helper_browser):
        point, dossier, (helper,), (consent,) = await at_counter(lan, HELPER)
        page = await helper_browser.get(f"/helper/dossiers/{dossier.code}/cash")
        assert page.status_code == 200 and "50,000" in page.text.replace(".", ",")

        unconfirmed = await helper_browser.post_form(f"/helper/dossiers/{dossier.code}/cash", {})
        assert unconfirmed.status_code == 400 and "Confirm that you took the cash" in unconfirmed.text
        assert not await Payment.exists(dossier_id=dossier.id)

        taken = await helper_browser.post_form(f"/helper/dossiers/{dossier.code}/cash", {"taken": "yes",
                                                                                          "amount": "1"})
        number = receipt_number(taken)
        payment = await Payment.get(dossier_id=dossier.id)
        assert (payment.method, payment.service_point_id, payment.settled_by_id, payment.payer_id) == (
            "cash", point.id, helper.id, dossier.applicant_id)
        assert payment.status is PaymentStatus.PAID and payment.amount == 50_000, "the rules' amount, not the form's"
        assert payment.settles == f"{dossier.id}:fee"
        assert (await Receipt.get(payment_id=payment.id)).number == number
        assert (await Dossier.get(id=dossier.id)).status is Status.SUBMITTED, "sent as after an online payment"

        printed = await helper_browser.get(f"/helper/receipts/{number}")
        assert printed.status_code == 200 and number in printed.text and "Cửa Nam post office" in printed.text
        mine = await lan.get(f"/payments/receipts/{number}")
        assert mine.status_code == 200, "the citizen's receipt too"
        assert "Paid in cash at</dt>" in mine.text and "Cửa Nam post office" in mine.text
        assert "Payment service reference" not in mine.text  # no payment service took cash

        again = await helper_browser.post_form(f"/helper/dossiers/{dossier.code}/cash", {"taken": "yes"})
        assert again.status_code == 409 and "already paid" in again.text
        assert 'id="paid"' in again.text and f"/helper/receipts/{number}" in again.text, "the summary leads to it"
        assert await Payment.filter(dossier_id=dossier.id).count() == 1
        assert await AssistEvent.filter(consent_id=consent.id, action="cash_refused").count() == 1
        assert await AssistEvent.filter(consent_id=consent.id, action="cash_recorded").count() == 1


async def test_cash_sent_twice_at_the_same_moment_is_counted_once(portal):
    async with people(portal, CITIZEN, HELPER, OTHER_HELPER) as (lan, first, second):
        _, dossier, _, _ = await at_counter(lan, HELPER, OTHER_HELPER)
        await first.get("/en/sign-in")
        await second.get("/en/sign-in")
        answers = await asyncio.gather(*(
            browser.post_form(f"/helper/dossiers/{dossier.code}/cash", {"taken": "yes"})
            for browser in (first, second, first)))
        assert sorted(a.status_code for a in answers) == [303, 409, 409]
        payments = await Payment.filter(dossier_id=dossier.id)
        assert len(payments) == 1 and payments[0].status is PaymentStatus.PAID and not payments[0].refund_due
        assert await AssistEvent.filter(dossier_id=dossier.id, action="cash_refused").count() == 2


async def test_a_helper_without_a_live_consent_gets_404_and_the_try_is_recorded(portal):
    async with people(portal, CITIZEN, HELPER, OTHER_HELPER, OTHER_CITIZEN) as (lan, helper_browser, other, stranger):
        point, dossier, (helper,), (consent,) = await at_counter(lan, HELPER)
        await posted(OTHER_HELPER, point)
        paths = [f"/helper/dossiers/{dossier.code}/cash", f"/helper/dossiers/{dossier.code}/filing-receipt.pdf"]
        for path in paths:
            assert (await other.get(path)).status_code == 404, path  # a helper at the same point, no consent
            assert (await stranger.get(path)).status_code == 404, path  # no post at all
            assert (await lan.get(path)).status_code == 404, path  # the citizen is no helper
        assert (await other.post_form(paths[0], {"taken": "yes"})).status_code == 404
        assert (await stranger.get("/helper")).status_code == 404
        await AssistConsent.filter(id=consent.id).update(expires_at=now() - timedelta(minutes=1))
        assert (await helper_browser.post_form(paths[0], {"taken": "yes"})).status_code == 404
        await AssistConsent.filter(id=consent.id).update(expires_at=None, state=ConsentState.ENDED)
        assert (await helper_browser.get(paths[0])).status_code == 404
        assert not await Payment.exists(dossier_id=dossier.id)
        assert await AssistEvent.filter(helper_id=helper.id, action="outside_consent").count() == 2
        other_user = await User.get(phone="84" + OTHER_HELPER[1:])
        assert await AssistEvent.filter(helper_id=other_user.id, action="outside_consent").count() == 3


def _qr_size(url: str) -> int:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image().get_image().size[0]


async def test_the_filing_receipt_pdf_has_the_code_and_a_qr_code_to_track_it(portal):
    async with people(portal, CITIZEN, HELPER, OTHER_CITIZEN) as (lan, helper_browser, stranger):
        _, dossier, _, _ = await at_counter(lan, HELPER)
        path = f"/helper/dossiers/{dossier.code}/filing-receipt.pdf"
        assert (await helper_browser.get(path)).status_code == 404, "a draft has no filing receipt yet"
        receipt_number(await helper_browser.post_form(f"/helper/dossiers/{dossier.code}/cash", {"taken": "yes"}))

        response = await helper_browser.get(path)
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        assert len(reader.pages) == 1
        text = pdf_text(response.content)
        track = f"{portal.settings.base_url}/track?code={dossier.code}"
        assert dossier.code in text and "Cửa Nam post office" in text and track in re.sub(r"\s+", "", text)
        images = list(reader.pages[0].images)
        assert len(images) == 1 and images[0].image.size[0] == _qr_size(track), "the QR code to /track"

        assert f"/dossiers/{dossier.code}/filing-receipt.pdf" in (await lan.get(f"/my/dossiers/{dossier.code}")).text
        mine = await lan.get(f"/dossiers/{dossier.code}/filing-receipt.pdf")
        assert mine.status_code == 200 and dossier.code in pdf_text(mine.content), "the citizen's own copy"
        assert (await stranger.get(f"/dossiers/{dossier.code}/filing-receipt.pdf")).status_code == 404


async def test_the_desk_lists_dossiers_consents_running_out_and_cash_handed_over_once(portal):
    async with people(portal, CITIZEN, HELPER) as (lan, helper_browser):
        point, dossier, (helper,), (consent,) = await at_counter(lan, HELPER)
        desk = await helper_browser.get("/helper")
        assert desk.status_code == 200 and dossier.code in desk.text and "no cash to hand over" in desk.text
        assert "/helper/start" in desk.text and "/helper/results" in desk.text
        assert "No consent ends within 24 hours" in desk.text
        await AssistConsent.filter(id=consent.id).update(expires_at=now() + timedelta(hours=3))
        soon = await helper_browser.get("/helper")
        assert soon.text.count(dossier.code) >= 2 and "No consent ends within 24 hours" not in soon.text

        receipt_number(await helper_browser.post_form(f"/helper/dossiers/{dossier.code}/cash", {"taken": "yes"}))
        payment = await Payment.get(dossier_id=dossier.id)
        desk = await helper_browser.get("/helper")
        assert "Handed over: ₫50,000" in desk.text and "Sent, waiting" in desk.text

        form = {"point": str(point.id), "upto": str(payment.id)}
        handed = await helper_browser.post_form("/helper/cash/hand-over", form)
        assert handed.status_code == 200 and "Handed over: 1 cash payment" in handed.text
        assert (await Payment.get(id=payment.id)).handed_over_at is not None
        assert "no cash to hand over" in handed.text
        twice = await helper_browser.post_form("/helper/cash/hand-over", form)
        assert twice.status_code == 409 and "handed over already" in twice.text

        await AssistConsent.filter(id=consent.id).update(state=ConsentState.ENDED)
        ended = await helper_browser.get("/helper")
        assert dossier.code in ended.text and "Your access has ended" in ended.text
        assert "Sent, waiting" not in ended.text


async def test_statistics_count_each_channel_and_filed_with_help_counts_as_processed_online(portal):
    await portal.sign_in(CITIZEN)
    procedure = await Procedure.get(code=BIRTH)
    citizen = await User.get(phone__endswith=CITIZEN[1:])
    sent = datetime(2026, 11, 3, 9, tzinfo=VIETNAM)
    channels = ["online"] * 6 + ["post_office"] * 5 + ["commune"] * 5
    for n, channel in enumerate(channels):
        await Dossier.create(code=f"CH-{n:03d}", procedure=procedure, agency_id=procedure.agency_id,
                             applicant=citizen, status=Status.SUBMITTED, submitted_at=sent, channel=channel,
                             due_date=date(2026, 11, 30))
    await rollup.rebuild(date(2026, 11, 3), date(2026, 11, 3), today=date(2026, 12, 6))
    day = (await rollup.count_day(date(2026, 11, 3)))[(procedure.agency_id, procedure.id)]
    assert (day.received, day.filed_online, day.filed_by_citizen, day.filed_at_post_office,
            day.filed_at_commune) == (16, 16, 6, 5, 5)

    agency = await Agency.get(id=procedure.agency_id)
    body = (await portal.get("/api/v1/statistics/agencies", params={"period": "2026-11"})).json()
    groups = next(item for item in body["items"] if item["agency"] == agency.code)["groups"]
    online = groups["online_services"]
    assert online["share"] == 1.0, "filed with help still counts as processed online"
    assert {k: online["figures"][k] for k in ("filed_online", "filed_by_citizen", "filed_at_post_office",
                                              "filed_at_commune")} == {
        "filed_online": 16, "filed_by_citizen": 6, "filed_at_post_office": 5, "filed_at_commune": 5}
    assert groups["digitisation"]["figures"]["filed_with_help_share"] == 0.625

    table = (await portal.get("/api/v1/statistics/agencies.csv", params={"period": "2026-11"})).text
    rows = list(csv.DictReader(io.StringIO(table)))
    mine = next(row for row in rows if row["agency"] == agency.code)
    assert (mine["online_services_filed_by_citizen"], mine["online_services_filed_at_post_office"],
            mine["online_services_filed_at_commune"]) == ("6", "5", "5")
    page = await portal.get(f"/statistics/agencies/{agency.code}", params={"period": "2026-11"})
    assert "Filed with help at a post office" in page.text and "Filed online by the citizen" in page.text
    overview = await portal.get("/statistics", params={"period": "2026-11"})
    channels = overview.text.split('id="channels"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<td[^>]*>([^<]+)</td>", channels) == ["6", "5", "5"]


async def _collection_code(portal, dossier_code: str) -> str:
    """The code in the newest text message about collecting this dossier's result (the outbox lists newest first): the
    only six digits after the dossier's code, in whatever language it was sent in."""
    messages = (await portal.client.get("/dev/outbox.json", params={"to": "84" + CITIZEN[1:]})).json()
    found = [re.search(r"\b(\d{6})\b", m["text"].split(dossier_code, 1)[1])
             for m in messages if dossier_code in m["text"]]
    codes = [match.group(1) for match in found if match]
    assert codes, messages
    return codes[0]


async def test_a_result_is_collected_at_the_service_point_with_the_citizens_code(portal):
    async with people(portal, CITIZEN, HELPER, OTHER_HELPER) as (lan, helper_browser, elsewhere):
        point, dossier, _, _ = await at_counter(lan, HELPER)
        await posted(OTHER_HELPER, await post_office("VNP-HN-C2"))  # a helper at another post office
        arrived = await helper_browser.post_form("/helper/results/arrived", {"arrived_code": dossier.code})
        assert arrived.status_code == 400 and "No paper result" in arrived.text, "a draft has no result yet"
        await Dossier.filter(id=dossier.id).update(status=Status.APPROVED)
        assert (await elsewhere.post_form("/helper/results/arrived", {"arrived_code": dossier.code})).status_code \
            == 400, "filed at another service point"
        arrived = await helper_browser.post_form("/helper/results/arrived", {"arrived_code": dossier.code.lower()})
        assert arrived.status_code == 200 and "was sent a code" in arrived.text
        code = await _collection_code(portal, dossier.code)
        again = await helper_browser.post_form("/helper/results/arrived", {"arrived_code": dossier.code})
        assert again.status_code == 400 and "received already" in again.text

        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        form = {"dossier_code": dossier.code, "handover_code": wrong}
        refused = await helper_browser.post_form("/helper/results/collect", form)
        assert refused.status_code == 400 and "4 tries left" in refused.text and wrong not in refused.text
        assert (await elsewhere.post_form("/helper/results/collect", {**form, "handover_code": code})).status_code \
            == 400, "the right code at another service point"
        # Wrong codes sent at the same moment each take a try: five in all, then locked, even for the right one.
        answers = await asyncio.gather(*(helper_browser.post_form("/helper/results/collect", form) for _ in range(6)))
        assert all(a.status_code == 400 for a in answers)
        assert sum("no longer works" in a.text for a in answers) >= 3
        locked = await helper_browser.post_form("/helper/results/collect", {**form, "handover_code": code})
        assert locked.status_code == 400 and "no longer works" in locked.text
        assert (await ResultCollection.get(dossier_id=dossier.id)).failures == 5

        renewed = await helper_browser.post_form("/helper/results/new-code", {"dossier_code": dossier.code})
        assert renewed.status_code == 200 and "new code was sent" in renewed.text
        fresh = await _collection_code(portal, dossier.code)
        handed = await helper_browser.post_form("/helper/results/collect", {**form, "handover_code": fresh})
        assert handed.status_code == 200 and "hand the result of dossier" in handed.text
        collection = await ResultCollection.get(dossier_id=dossier.id)
        assert collection.collected_at is not None and collection.service_point_id == point.id
        twice = await helper_browser.post_form("/helper/results/collect", {**form, "handover_code": fresh})
        assert twice.status_code == 400 and "collected already" in twice.text
        assert await AssistEvent.filter(dossier_id=dossier.id, action="collection_wrong_code").count() >= 2
        assert await AssistEvent.filter(dossier_id=dossier.id, action="result_collected").count() == 1


async def test_a_citizen_with_no_phone_collects_the_result_on_an_identity_check(portal):
    from backend.assisted.models import ConsentMethod

    async with people(portal, CITIZEN, HELPER) as (lan, helper_browser):
        point, dossier, _, (consent,) = await at_counter(lan, HELPER)
        # As the in-person check leaves it: an account whose "phone" is "id" + the document's number.
        pao = await User.create(phone="id001060009876", full_name="Lò Văn Páo", role=(await dossier.applicant).role)
        await Dossier.filter(id=dossier.id).update(applicant_id=pao.id, status=Status.APPROVED)
        await AssistConsent.filter(id=consent.id).update(citizen_id=pao.id, method=ConsentMethod.IN_PERSON,
                                                         identity_document="001060009876")
        sent = len((await portal.client.get("/dev/outbox.json", params={"to": pao.phone})).json())
        arrived = await helper_browser.post_form("/helper/results/arrived", {"arrived_code": dossier.code})
        assert arrived.status_code == 200 and "no code was sent" in arrived.text
        assert "was sent a code" not in arrived.text
        assert len((await portal.client.get("/dev/outbox.json", params={"to": pao.phone})).json()) == sent
        assert not [m for m in (await portal.client.get("/dev/outbox.json")).json() if dossier.code in m["text"]]
        assert 'name="identity_document"' in arrived.text
        form = {"dossier_code": dossier.code, "handover_code": "", "identity_document": "001060001234"}
        wrong = await helper_browser.post_form("/helper/results/collect", form)
        assert wrong.status_code == 400 and "not the number" in wrong.text and "001060009876" not in wrong.text
        code_only = await helper_browser.post_form("/helper/results/collect", {**form, "identity_document": "",
                                                                                "handover_code": "123456"})
        assert code_only.status_code == 400 and "no phone" in code_only.text
        again = await helper_browser.post_form("/helper/results/new-code", {"dossier_code": dossier.code})
        assert again.status_code == 400 and "no phone" in again.text
        handed = await helper_browser.post_form("/helper/results/collect",
                                                {**form, "identity_document": "0010 6000 9876"})
        assert handed.status_code == 200 and "identity document matches" in handed.text
        collection = await ResultCollection.get(dossier_id=dossier.id)
        assert collection.collected_at is not None and collection.service_point_id == point.id
        event = await AssistEvent.get(dossier_id=dossier.id, action="result_collected")
        assert event.detail == {"handover": "identity_check"}
        assert await AssistEvent.filter(dossier_id=dossier.id, action="collection_wrong_document").count() == 1


async def test_cash_is_refused_for_a_dossier_the_citizen_has_not_declared_through_the_consent(portal):
    """Paying sends the dossier: a draft the citizen declared online once (its fee unpaid), then filled by a helper
    who never had the citizen declare it, is not sent by cash at the counter."""
    async with people(portal, CITIZEN, HELPER) as (lan, helper_browser):
        point, dossier, (helper,), (consent,) = await at_counter(lan, HELPER)
        await AssistConsent.filter(id=consent.id).update(declared_at=None)  # only the online declaration is left
        refused = await helper_browser.post_form(f"/helper/dossiers/{dossier.code}/cash", {"taken": "yes"})
        assert refused.status_code == 400 and "has not declared this dossier" in refused.text
        assert not await Payment.exists(dossier_id=dossier.id)
        assert (await Dossier.get(id=dossier.id)).status is Status.DRAFT
        refusal = await AssistEvent.get(consent_id=consent.id, action="cash_refused")
        assert refusal.detail == {"reason": "not_declared"}


async def test_the_desk_links_each_dossier_to_what_the_helper_can_do_next(portal):
    async with people(portal, CITIZEN, HELPER) as (lan, helper_browser):
        _, dossier, _, (consent,) = await at_counter(lan, HELPER)
        await AssistConsent.filter(id=consent.id).update(declared_at=None, expires_at=now() + timedelta(hours=3))
        cash = f'href="/en/helper/dossiers/{dossier.code}/cash"'
        check = f'href="/en/dossiers/{dossier.code}/check"'
        sent = f'href="/en/dossiers/{dossier.code}/declare/sent"'
        filling = (await helper_browser.get("/helper")).text
        assert filling.count(check) == 2 and cash not in filling, "a draft: continue filling (both lists)"
        await AssistConsent.filter(id=consent.id).update(declared_at=now())
        declared = (await helper_browser.get("/helper")).text
        assert declared.count(cash) == 2 and check not in declared, "declared, its fee due: cash"
        await Dossier.filter(id=dossier.id).update(status=Status.SUBMITTED)
        following = (await helper_browser.get("/helper")).text
        assert following.count(sent) == 2 and cash not in following, "sent: its status page"
        await AssistConsent.filter(id=consent.id).update(state=ConsentState.ENDED)
        assert sent not in (await helper_browser.get("/helper")).text, "access ended: no link"
