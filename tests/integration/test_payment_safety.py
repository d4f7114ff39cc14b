"""Payments when things go wrong: a draft changed while paying, pressing "Pay" twice, forged and garbage
callbacks, a gateway that never answers, a 0 ₫ fee option, the callback log's size and age."""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta
from urllib.parse import quote

import httpx
import pytest

from backend.catalogue.models import Procedure
from backend.core import clock
from backend.core.templating import format_vnd
from backend.dossiers.constants import Status
from backend.payments.gateway import VnpayGateway
from backend.payments.jobs import purge_callbacks, recheck_pending
from backend.payments.models import Payment, PaymentCallback, PaymentStatus
from tests.integration.helpers import CRIMINAL_RECORD, act, people, upload
from tests.integration.payment_steps import (
    IPN,
    back_from_gateway,
    choose,
    open_gateway,
    params_of,
    send_ipn,
    start_paying,
)
from tests.integration.test_payments import FEE, ID_CARD, resign, state
from tests.support import CITIZEN, OTHER_OFFICER, PDF, fill_draft, procedure_definition

pytestmark = pytest.mark.integration


async def empty_first_page(citizen, code: str) -> None:
    page = (await procedure_definition(ID_CARD))["form"][0]
    emptied = await citizen.post_form(f"/dossiers/{code}/form/{page['key']}", {f["name"]: "" for f in page["fields"]})
    assert emptied.status_code == 400, "the page keeps what was typed, errors and all"


async def test_a_draft_emptied_while_paying_stays_a_paid_draft_and_is_sent_later_without_paying(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    url = await start_paying(portal, code, ID_CARD)
    await open_gateway(portal, url)
    await empty_first_page(portal, code)  # in another tab, while the gateway's page is open
    back = await choose(portal, url, "succeed")

    # The money is recorded and receipted, but an incomplete dossier is not sent.
    assert await state(code) == (Status.DRAFT, [PaymentStatus.PAID], 1, 0, 1)
    landed = (await back_from_gateway(portal, back)).text
    assert "Payment received" in landed and f"Your dossier {code} was not sent" in landed
    assert "is sent to the agency" not in landed and f"/dossiers/{code}/check" in landed
    mine = (await portal.get(f"/my/dossiers/{code}")).text
    assert "Fee paid, dossier not sent" in mine and f"/dossiers/{code}/check" in mine

    check = (await portal.get(f"/dossiers/{code}/check")).text
    assert f"Fee paid: {format_vnd(FEE)}." in check and "something is missing" in check
    assert ">Send</button>" in check and "Pay " not in check.split('id="fee-paid"')[1]
    form = {"declaration": "yes", "result_form": (await procedure_definition(ID_CARD))["result_forms"][0]}
    still_missing = await portal.post_form(f"/dossiers/{code}/submit", form)
    assert still_missing.status_code == 400 and "There is a problem" in still_missing.text
    assert await state(code) == (Status.DRAFT, [PaymentStatus.PAID], 1, 0, 1), "no second payment started"

    await fill_draft_pages(portal, code)
    sent = await portal.post_form(f"/dossiers/{code}/submit", form)
    assert sent.status_code in (302, 303) and sent.headers["location"].endswith(f"/dossiers/{code}/receipt")
    assert await state(code) == (Status.SUBMITTED, [PaymentStatus.PAID], 1, 1, 1)


async def fill_draft_pages(citizen, code: str) -> None:
    from tests.support import valid_value

    for page in (await procedure_definition(ID_CARD))["form"]:
        answers = {f["name"]: valid_value(f) for f in page["fields"]}
        assert (await citizen.post_form(f"/dossiers/{code}/form/{page['key']}", answers)).status_code in (302, 303)


async def test_the_json_api_sends_a_draft_whose_fee_is_paid(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    url = await start_paying(portal, code, ID_CARD)
    await open_gateway(portal, url)
    await empty_first_page(portal, code)
    await choose(portal, url, "succeed")
    await fill_draft_pages(portal, code)
    response = await act(portal, code, "submit", declaration=True, result_form="office")
    assert response.status_code == 200, response.text
    assert await state(code) == (Status.SUBMITTED, [PaymentStatus.PAID], 1, 1, 1)


async def test_pressing_pay_again_reuses_the_open_attempt_until_it_expires(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, CRIMINAL_RECORD)
    await upload(portal, code, "fee_reduction_proof", "student-card.pdf", PDF)  # the reduced fee needs its proof
    first = await start_paying(portal, code, CRIMINAL_RECORD, option="standard")
    again = await start_paying(portal, code, CRIMINAL_RECORD, option="standard")
    assert again == first, "the same transaction, the same gateway page"
    assert await Payment.filter(dossier__code=code).count() == 1

    other = await portal.post_form(f"/dossiers/{code}/submit",
                                   {"declaration": "yes", "result_form": "online", "fee_option": "reduced"})
    assert other.status_code == 400 and "that payment is still open" in other.text
    assert await Payment.filter(dossier__code=code).count() == 1

    await Payment.filter(dossier__code=code).update(expires_at=clock.now() - timedelta(seconds=1))
    later = await start_paying(portal, code, CRIMINAL_RECORD, option="reduced")
    assert params_of(later)["vnp_TxnRef"] != params_of(first)["vnp_TxnRef"]
    assert params_of(later)["vnp_Amount"] == str(100_000 * 100)


async def test_a_refund_due_is_shown_to_the_agencys_officials(portal):
    async with people(portal, CITIZEN, OTHER_OFFICER) as (citizen, police):
        code = await fill_draft(citizen, ID_CARD)
        first = await start_paying(citizen, code, ID_CARD)
        await open_gateway(citizen, first)  # left open in another tab
        await Payment.filter(dossier__code=code).update(expires_at=clock.now() - timedelta(seconds=1))
        second = await start_paying(citizen, code, ID_CARD)
        await open_gateway(citizen, second)
        await choose(citizen, second, "succeed")
        await choose(citizen, first, "succeed")
        late = await Payment.get(txn_ref=params_of(first)["vnp_TxnRef"])
        assert late.refund_due

        queue = (await police.get("/desk?view=new")).text
        row = queue[queue.index(code):].split("</tr>")[0]
        assert "Paid" in row and "Refund due" in row and "/desk/payments" in queue
        desk = (await police.get(f"/desk/dossiers/{code}")).text
        assert "Refund due" in desk and late.txn_ref in desk
        listed = (await police.get("/desk/payments")).text
        assert code in listed and late.txn_ref in listed and "Refund due" in listed
        assert (await citizen.get("/desk/payments")).status_code == 403
        status = f"/api/v1/payments/{late.txn_ref}/status"
        assert (await citizen.get(status)).json() == {"status": "paid", "settled": True}
        assert (await police.get(status)).status_code == 404, "only the payer's own payments"


NON_ASCII = ["%C3%A9", "%C3%A9" * 64, "%FF", "zz", "g" * 128, "0" * 127, "0" * 129, "%00" * 128, "x" * 5000]


@pytest.mark.parametrize("garbage", NON_ASCII)
async def test_a_garbage_signature_is_refused_never_an_error(portal, garbage, caplog):
    caplog.set_level(logging.WARNING, logger="portal.payments")
    await portal.sign_in(CITIZEN)
    query = f"vnp_TxnRef=261125120000ABCDEFGH&vnp_Amount=5000000&vnp_OrderInfo={garbage}&vnp_SecureHash={garbage}"
    ipn = await portal.client.get(f"{IPN}?{query}")
    assert ipn.status_code == 200 and ipn.json() == {"RspCode": "97", "Message": "Invalid signature"}
    page = await portal.client.get(f"/en/payments/return?{query}")
    assert page.status_code == 400 and "signature could not be checked" in page.text
    assert await PaymentCallback.all().count() == 0, "an unsigned answer is logged, not stored"
    refused = [r.getMessage() for r in caplog.records if "refused (bad_signature)" in r.getMessage()]
    assert len(refused) == 2 and all("261125120000ABCDEFGH" in m and "from 127.0.0.1" in m for m in refused)


async def test_an_unsigned_callback_stores_no_attacker_text(portal, caplog):
    caplog.set_level(logging.WARNING, logger="portal.payments")
    huge = {f"vnp_X{i}": "y" * 1000 for i in range(50)}
    query = "&".join(f"{k}={v}" for k, v in huge.items())
    for txn_ref in ("<script>alert(1)</script>", "A" * 500, quote("Lệ phí")):
        response = await portal.client.get(f"{IPN}?{query}&vnp_TxnRef={txn_ref}&vnp_SecureHash={'0' * 128}")
        assert response.json()["RspCode"] == "97"
    assert await PaymentCallback.all().count() == 0
    refused = [r.getMessage() for r in caplog.records if "refused (bad_signature)" in r.getMessage()]
    assert len(refused) == 3 and all(len(m) < 200 and "from 127.0.0.1" in m for m in refused), refused


async def test_purge_deletes_only_old_callback_rows(portal):
    for n in range(3):  # well signed, about orders the portal does not know: kept
        unknown = {"vnp_TxnRef": f"NO-SUCH-ORDER-{n}", "vnp_TmnCode": "PORTAL01", "vnp_Amount": "100"}
        signed = resign(unknown, portal.settings.payment_hash_secret)
        assert (await send_ipn(portal, signed))["RspCode"] == "01"
    old = await PaymentCallback.all().order_by("id").limit(2).values_list("id", flat=True)
    await PaymentCallback.filter(id__in=old).update(created_at=clock.now() - timedelta(days=91))
    assert await purge_callbacks(timedelta(days=90)) == 2
    assert await PaymentCallback.all().count() == 1
    assert await purge_callbacks(timedelta(days=90)) == 0


async def test_the_recheck_job_takes_a_batch_oldest_check_first(portal):
    gateway = portal.adapters.payment_gateway
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    await start_paying(portal, code, ID_CARD)
    payment = await Payment.get(dossier__code=code)
    for n in range(24):  # attempts the gateway never saw, still within their time
        await Payment.create(txn_ref=f"261125120000T{n:07d}", dossier_id=payment.dossier_id,
                             payer_id=payment.payer_id, purpose="fee", amount=FEE, description="x",
                             expires_at=clock.now() + timedelta(minutes=15))
    assert await recheck_pending(gateway, older_than=timedelta(0), batch=20) == 0
    first = set(await Payment.filter(checked_at__isnull=False).values_list("id", flat=True))
    assert len(first) == 20
    assert await recheck_pending(gateway, older_than=timedelta(0), batch=20) == 0
    unchecked_before = set(await Payment.all().values_list("id", flat=True)) - first
    second_run = await Payment.all().order_by("-checked_at", "id").limit(20).values_list("id", flat=True)
    assert unchecked_before <= set(second_run), "never-checked payments go first"
    assert await Payment.filter(checked_at__isnull=True).count() == 0


async def test_a_payment_without_an_answer_for_three_days_goes_to_staff(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    url = await start_paying(portal, code, ID_CARD)
    txn_ref = params_of(url)["vnp_TxnRef"]
    settings = portal.settings
    down = VnpayGateway.from_settings(settings, httpx.AsyncClient(
        transport=httpx.MockTransport(lambda request: httpx.Response(503, text="Service Unavailable"))))
    assert await recheck_pending(down, older_than=timedelta(0)) == 0
    payment = await Payment.get(txn_ref=txn_ref)
    assert payment.status is PaymentStatus.PENDING and payment.checked_at is not None

    await Payment.filter(id=payment.id).update(created_at=clock.now() - timedelta(days=3, minutes=1),
                                               expires_at=clock.now() - timedelta(days=3))
    assert await recheck_pending(down, older_than=timedelta(0)) == 1
    assert (await Payment.get(id=payment.id)).status is PaymentStatus.UNRESOLVED
    assert await PaymentCallback.filter(txn_ref=txn_ref, outcome="unresolved").count() == 1
    checked = (await Payment.get(id=payment.id)).checked_at
    assert await recheck_pending(portal.adapters.payment_gateway, older_than=timedelta(0)) == 0
    assert (await Payment.get(id=payment.id)).checked_at == checked, "no longer asked about"
    assert "The payment service never confirmed your last payment" in (await portal.get(f"/dossiers/{code}/check")).text

    async with people(portal, OTHER_OFFICER) as (police,):
        listed = (await police.get("/desk/payments")).text
        assert txn_ref in listed and "Payment to check" in listed and "not sent" in listed


@contextlib.asynccontextmanager
async def exempt_option():
    """The criminal record certificate with one more fee option, of 0 ₫ (the catalogue is not reset between
    tests)."""
    procedure = await Procedure.get(code=CRIMINAL_RECORD)
    options = procedure.fee_options
    procedure.fee_options = [*options, {"key": "exempt", "label": {"vi": "Miễn phí", "en": "Exempt"}, "amount": 0}]
    await procedure.save(update_fields=["fee_options"])
    try:
        yield
    finally:
        procedure.fee_options = options
        await procedure.save(update_fields=["fee_options"])


EXEMPT = {"declaration": "yes", "result_form": "online", "fee_option": "exempt"}


async def test_a_fee_option_of_zero_sends_the_dossier_like_a_free_procedure(portal):
    async with exempt_option(), people(portal, CITIZEN, OTHER_OFFICER) as (citizen, police):
        code = await fill_draft(citizen, CRIMINAL_RECORD)
        check = (await citizen.get(f"/dossiers/{code}/check")).text
        assert f"Exempt</span>: {format_vnd(0)}" in check
        sent = await citizen.post_form(f"/dossiers/{code}/submit", EXEMPT)
        assert sent.status_code in (302, 303), sent.text
        assert sent.headers["location"].endswith(f"/dossiers/{code}/receipt")
        assert await state(code) == (Status.SUBMITTED, [], 0, 1, 0)
        desk = (await police.get(f"/desk/dossiers/{code}")).text
        assert "sent under a fee option of 0" in desk


async def test_the_0_option_waits_for_an_open_payment_and_one_paid_after_sending_is_to_refund(portal):
    async with exempt_option(), people(portal, CITIZEN, OTHER_OFFICER) as (citizen, police):
        code = await fill_draft(citizen, CRIMINAL_RECORD)
        url = await start_paying(citizen, code, CRIMINAL_RECORD, option="standard")
        await open_gateway(citizen, url)  # the gateway's page stays open in another tab
        refused = await citizen.post_form(f"/dossiers/{code}/submit", EXEMPT)
        assert refused.status_code == 400 and "that payment is still open" in refused.text
        assert 'id="fee_option-error"' in refused.text
        assert await state(code) == (Status.DRAFT, [PaymentStatus.PENDING], 0, 0, 0)

        # The portal stops waiting for that attempt: the 0 ₫ option sends the dossier. Then the old tab pays.
        await Payment.filter(dossier__code=code).update(expires_at=clock.now() - timedelta(seconds=1))
        assert (await citizen.post_form(f"/dossiers/{code}/submit", EXEMPT)).status_code in (302, 303)
        await choose(citizen, url, "succeed")
        assert await state(code) == (Status.SUBMITTED, [PaymentStatus.PAID], 1, 1, 1), "recorded, receipted"
        paid = await Payment.get(dossier__code=code)
        assert paid.refund_due and paid.settles is None, "it pays for nothing: money to give back"
        assert await PaymentCallback.filter(txn_ref=paid.txn_ref, outcome="confirmed_refund_due").count() == 1

        queue = (await police.get("/desk?view=new")).text
        row = queue[queue.index(code):].split("</tr>")[0]
        assert "<td>Paid" not in row and "Refund due" in row
        assert "Paid: " not in (await police.get(f"/desk/dossiers/{code}")).text
        listed = (await police.get("/desk/payments")).text
        assert paid.txn_ref in listed and "Refund due" in listed
        assert "to be refunded" in (await citizen.get(f"/my/dossiers/{code}")).text
