"""The fee schedule (issue 18): a fixed amount, a charge per copy counted from an answer, reduced and exempt groups
with their proof, a province's own amount; computed on the server, shown with its breakdown, charged exactly
through the sandbox gateway, fixed once paid."""

from __future__ import annotations

import contextlib

import pytest

from backend.catalogue.fees import fee_quote, from_schedule, schedule_problems
from backend.catalogue.models import Procedure
from backend.core.i18n import current_locale
from backend.core.templating import format_vnd
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier
from backend.payments.models import Payment, PaymentStatus
from tests.integration.helpers import CRIMINAL_RECORD, people, upload
from tests.integration.payment_steps import choose, open_gateway, params_of, start_paying
from tests.support import CITIZEN, OTHER_OFFICER, PDF, fill_draft, procedure_definition, valid_value

pytestmark = pytest.mark.integration

REQUEST_PAGE = "request"  # the criminal-record form's page with the number of certificates
REQUEST = {"certificate_type": "no1", "purpose": "Xin việc"}


def vnd(amount: int, lang: str = "en") -> str:
    token = current_locale.set(lang)
    try:
        return format_vnd(amount)
    finally:
        current_locale.reset(token)


async def copies(citizen, code: str, number: str):
    return await citizen.post_form(f"/dossiers/{code}/form/{REQUEST_PAGE}", {**REQUEST, "copies": number})


async def pay(citizen, code: str, option: str = "standard") -> tuple[str, Payment]:
    url = await start_paying(citizen, code, CRIMINAL_RECORD, option=option)
    await open_gateway(citizen, url)
    await choose(citizen, url, "succeed")
    return url, await Payment.get(dossier__code=code, status=PaymentStatus.PAID)


async def test_one_and_three_certificates_are_charged_differently(portal):
    async with people(portal, CITIZEN, OTHER_OFFICER) as (citizen, police):
        one = await fill_draft(citizen, CRIMINAL_RECORD)  # 1 certificate: the form's least
        check = (await citizen.get(f"/dossiers/{one}/check")).text
        assert f"Standard fee</span>: {vnd(200_000)}" in check and "fee-breakdown" not in check
        url, paid_one = await pay(citizen, one, "standard")
        assert params_of(url)["vnp_Amount"] == str(200_000 * 100) and paid_one.amount == 200_000

        three = await fill_draft(citizen, CRIMINAL_RECORD)
        assert (await copies(citizen, three, "3")).status_code in (302, 303)
        check = (await citizen.get(f"/dossiers/{three}/check")).text
        assert f"Standard fee</span>: {vnd(205_000)}" in check  # from the 3rd certificate on, 5,000 more each
        assert f"Fee: {vnd(200_000)} + 1 copy beyond the first 2 × {vnd(5_000)}" in check
        url, paid_three = await pay(citizen, three, "standard")
        assert params_of(url)["vnp_Amount"] == str(205_000 * 100) and paid_three.amount == 205_000
        assert (await Dossier.get(code=three)).status is Status.SUBMITTED

        receipt = (await citizen.get(f"/payments/receipts/{(await paid_three.receipt).number}")).text
        assert vnd(205_000) in receipt
        desk = (await police.get(f"/desk/dossiers/{three}")).text
        assert f"Paid: {vnd(205_000)}" in desk


async def test_the_breakdown_is_in_the_page_language(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, CRIMINAL_RECORD)
    await copies(portal, code, "5")
    english = (await portal.get(f"/en/dossiers/{code}/check")).text
    assert f"3 copies beyond the first 2 × {vnd(5_000)}" in english and vnd(215_000) in english
    vietnamese = (await portal.get(f"/vi/dossiers/{code}/check")).text
    assert vnd(215_000, "vi") == "215.000\xa0₫" and vnd(215_000, "vi") in vietnamese
    assert f"× {vnd(5_000, 'vi')}" in vietnamese and vnd(5_000) not in vietnamese


@pytest.mark.parametrize("number", ["0", "21", "2.5", "ba"])
async def test_an_impossible_number_of_copies_is_refused_and_kept(portal, number):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, CRIMINAL_RECORD)
    response = await copies(portal, code, number)
    assert response.status_code == 400 and "Number of certificates" in response.text
    assert f'value="{number}"' in response.text  # what was typed is shown again
    assert (await Dossier.get(code=code)).answers["copies"] == number  # kept with its error, as typed
    dossier = await Dossier.get(code=code).prefetch_related("procedure")
    assert fee_quote(dossier.procedure, dossier.answers).count == 1  # never quoted for what cannot be sent
    refused = await portal.post_form(f"/dossiers/{code}/submit",
                                     {"declaration": "yes", "result_form": "online", "fee_option": "standard"})
    assert refused.status_code == 400 and f"/form/{REQUEST_PAGE}#copies" in refused.text
    assert await Payment.filter(dossier__code=code).count() == 0


async def test_the_number_paid_for_is_fixed(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, CRIMINAL_RECORD)
    url = await start_paying(portal, code, CRIMINAL_RECORD, option="standard")
    await open_gateway(portal, url)
    await copies(portal, code, "4")  # changed while the payment for 1 is being made
    await choose(portal, url, "succeed")
    assert (await Dossier.get(code=code)).status is Status.DRAFT, "not sent with 4 certificates paid as 1"
    check = (await portal.get(f"/dossiers/{code}/check")).text
    assert f"Your fee of {vnd(200_000)} was paid for the number of copies" in check
    again = await portal.post_form(f"/dossiers/{code}/submit",
                                   {"declaration": "yes", "result_form": "online", "fee_option": "standard"})
    assert again.status_code == 400 and f"/dossiers/{code}/form/{REQUEST_PAGE}#copies" in again.text
    await copies(portal, code, "1")
    sent = await portal.post_form(f"/dossiers/{code}/submit",
                                  {"declaration": "yes", "result_form": "online", "fee_option": "standard"})
    assert sent.status_code in (302, 303), sent.text
    assert (await Dossier.get(code=code)).status is Status.SUBMITTED
    assert await Payment.filter(dossier__code=code).count() == 1, "no second charge"


async def test_a_reduced_or_exempt_group_needs_its_proof(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, CRIMINAL_RECORD)
    await copies(portal, code, "3")
    check = (await portal.get(f"/dossiers/{code}/check")).text
    assert f"martyr</span>: {vnd(105_000)}" in check  # the reduced fee, plus the 3rd certificate
    assert f"mountain area</span>: {vnd(0)}" in check  # exempt: nothing at all
    form = {"declaration": "yes", "result_form": "online", "fee_option": "exemption"}
    refused = await portal.post_form(f"/dossiers/{code}/submit", form)
    assert refused.status_code == 400 and "upload Proof of eligibility" in refused.text
    unknown = await portal.post_form(f"/dossiers/{code}/submit", {**form, "fee_option": "veterans"})
    assert unknown.status_code == 400 and "Choose which fee applies to you" in unknown.text
    assert (await Dossier.get(code=code)).status is Status.DRAFT

    await upload(portal, code, "fee_reduction_proof", "household-book.pdf", PDF)
    url = await start_paying(portal, code, CRIMINAL_RECORD, option="reduced")
    assert params_of(url)["vnp_Amount"] == str(105_000 * 100)
    sent = await portal.post_form(f"/dossiers/{code}/submit", form)  # exempt after all: sent with no payment
    assert sent.status_code == 400  # ... but the reduced payment is still open: it must end first
    assert (await Dossier.get(code=code)).status is Status.DRAFT


async def test_the_exempt_group_sends_with_its_proof_and_no_payment(portal):
    async with people(portal, CITIZEN, OTHER_OFFICER) as (citizen, police):
        code = await fill_draft(citizen, CRIMINAL_RECORD)
        await upload(citizen, code, "fee_reduction_proof", "disability-card.pdf", PDF)
        sent = await citizen.post_form(f"/dossiers/{code}/submit",
                                       {"declaration": "yes", "result_form": "online", "fee_option": "exemption"})
        assert sent.status_code in (302, 303), sent.text
        assert (await Dossier.get(code=code)).status is Status.SUBMITTED
        assert await Payment.filter(dossier__code=code).count() == 0
        desk = (await police.get(f"/desk/dossiers/{code}")).text
        assert "Nothing paid: sent under a fee option of 0 ₫" in desk
        assert 'id="fee-proof"' in desk and "disability-card.pdf" in desk  # the official checks the exemption


@contextlib.asynccontextmanager
async def hanoi_fee(amount: int):
    """Hà Nội (province 01, where the catalogue's police files it) with its own amount; the catalogue is not reset
    between tests."""
    procedure = await Procedure.get(code=CRIMINAL_RECORD)
    before = procedure.province_terms
    procedure.province_terms = {"01": {"fee": amount}}
    await procedure.save(update_fields=["province_terms"])
    try:
        yield
    finally:
        procedure.province_terms = before
        await procedure.save(update_fields=["province_terms"])


async def test_a_province_sets_its_own_amount(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, CRIMINAL_RECORD)
    await copies(portal, code, "3")
    async with hanoi_fee(150_000):
        check = (await portal.get(f"/dossiers/{code}/check")).text
        assert f"Standard fee</span>: {vnd(155_000)}" in check
        url = await start_paying(portal, code, CRIMINAL_RECORD, option="standard")
        assert params_of(url)["vnp_Amount"] == str(155_000 * 100)


async def test_the_catalogue_loads_the_schedule(portal):
    procedure = await Procedure.get(code=CRIMINAL_RECORD)
    assert procedure.fee == 200_000
    assert [o["key"] for o in procedure.fee_options] == ["standard", "reduced", "exemption"]
    quote = fee_quote(procedure, {"copies": "20"})
    assert quote.amount_for("standard") == 200_000 + 18 * 5_000 and quote.amount_for("exemption") == 0
    assert fee_quote(procedure, {"copies": "999"}).count == 1  # never quoted for an answer the form refuses


def test_a_bad_schedule_is_refused():
    item = {"code": "x", "documents": [{"key": "proof"}],
            "form": [{"key": "p", "fields": [{"name": "copies", "type": "number"}, {"name": "n", "type": "text"}]}]}
    assert schedule_problems({**item, "fee_schedule": {"amount": 1000}}) == []
    assert schedule_problems({**item, "fee_schedule": {}}) == ["The fee schedule needs an amount in đồng (0 or more)"]
    per_text = {"amount": 0, "per": {"field": "n", "rates": [{"amount": 500}]}}
    assert schedule_problems({**item, "fee_schedule": per_text}) == [
        "A fee per copy or page counts a number field of the form, in whole numbers from 1 to a maximum"]
    unbounded = {"amount": 0, "per": {"field": "copies", "rates": [{"amount": 500}]}}  # the field has no max
    assert len(schedule_problems({**item, "fee_schedule": unbounded})) == 1
    group = {"key": "poor", "label": {"vi": "Hộ nghèo"}, "amount": 0, "proof": "unknown"}
    assert schedule_problems({**item, "fee_schedule": {"amount": 5, "groups": [group]}}) == [
        "Each group with its own fee names the document that proves it"]
    loaded = from_schedule({**item, "fee_schedule": {"amount": 5, "groups": [{**group, "proof": "proof"}]}})
    assert [o["key"] for o in loaded["fee_options"]] == ["standard", "poor"] and loaded["fee"] == 5


async def test_the_procedure_json_has_its_schedule(portal):
    detail = (await portal.get(f"/api/v1/procedures/{CRIMINAL_RECORD}")).json()
    assert detail["fee"] == 200_000 and detail["fee_schedule"]["per"]["field"] == "copies"
    assert [g["key"] for g in detail["fee_schedule"]["groups"]] == ["reduced", "exemption"]


async def test_a_fee_per_page_with_its_cap(portal):
    """An electronic certified copy: 2,000 ₫ a page for the first two, 1,000 ₫ from the third, 200,000 ₫ at most."""
    procedure = await Procedure.get(code="2.000815")
    assert fee_quote(procedure, {"page_count": "1"}).amount_for("") == 2_000
    five = fee_quote(procedure, {"page_count": "5"})
    assert five.amount_for("") == 2_000 + 2_000 + 3 * 1_000
    assert five.breakdown() == [f"Fee: {vnd(2_000)}", f"1 page beyond the first 1 × {vnd(2_000)}",
                                f"3 pages beyond the first 2 × {vnd(1_000)}"]
    assert fee_quote(procedure, {"page_count": "500"}).amount_for("") == 200_000


async def test_the_agency_summary_and_the_amount_agree(portal):
    """A certified civil-status copy: 8,000 ₫ a copy, in the "where it goes" summary as in the amount to pay."""
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, "2.000635")
    page = next(p for p in (await procedure_definition("2.000635"))["form"]
                if any(f["name"] == "copies" for f in p["fields"]))
    answers = {f["name"]: valid_value(f) for f in page["fields"]} | {"copies": "2"}
    assert (await portal.post_form(f"/dossiers/{code}/form/{page['key']}", answers)).status_code in (302, 303)
    check = (await portal.get(f"/dossiers/{code}/check")).text
    assert f"Amount to pay: <strong>{vnd(16_000)}</strong>" in check and vnd(8_000) in check
    assert check.count(vnd(16_000)) >= 3  # the summary, the amount, the button
