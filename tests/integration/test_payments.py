"""Paying a fee online, through the portal's pages and the sandbox gateway's real HTTP endpoints (VNPay protocol)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from backend.core import clock
from backend.core.templating import format_vnd
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, NotificationOutbox, TimelineEvent
from backend.payments.gateway import canonical_query, hmac_sha512
from backend.payments.jobs import recheck_pending
from backend.payments.models import Payment, PaymentCallback, PaymentStatus, Receipt
from tests.integration.helpers import BIRTH, CRIMINAL_RECORD, act, people, upload
from tests.integration.payment_steps import (
    back_from_gateway,
    choose,
    local,
    open_gateway,
    params_of,
    send_ipn,
    start_paying,
)
from tests.support import CITIZEN, OTHER_OFFICER, PDF, fill_draft

pytestmark = pytest.mark.integration

ID_CARD = "2.001195"  # identity card renewal, Hà Nội police: a fixed fee of 50,000 VND
FEE = 50_000


def resign(params: dict, secret: str) -> dict:
    """Parameters signed again with ``secret``: with the merchant's, what only the real gateway can do."""
    unsigned = {k: v for k, v in params.items() if k != "vnp_SecureHash"}
    return {**unsigned, "vnp_SecureHash": hmac_sha512(secret, canonical_query(unsigned))}


async def state(code: str) -> tuple[Status, list[PaymentStatus], int, int, int]:
    """Dossier status, its payments' statuses (oldest first), receipts, 'submit' events, 'payment_paid' messages."""
    dossier = await Dossier.get(code=code)
    payments = [p.status for p in await Payment.filter(dossier=dossier).order_by("id")]
    return (
        dossier.status,
        payments,
        await Receipt.filter(dossier=dossier).count(),
        await TimelineEvent.filter(dossier=dossier, action="submit").count(),
        await NotificationOutbox.filter(dossier=dossier, event="payment_paid").count(),
    )


async def test_a_fee_is_shown_paid_at_the_gateway_and_the_ipn_sends_the_dossier(portal):
    async with people(portal, CITIZEN, OTHER_OFFICER) as (citizen, police):
        code = await fill_draft(citizen, ID_CARD)
        check = (await citizen.get(f"/dossiers/{code}/check")).text
        assert f"Amount to pay: <strong>{format_vnd(FEE)}</strong>" in check
        assert f"Pay {format_vnd(FEE)} and send" in check and "Accept and send" not in check

        url = await start_paying(citizen, code, ID_CARD)
        sent = params_of(url)
        assert sent["vnp_Amount"] == str(FEE * 100) and sent["vnp_TmnCode"] == "PORTAL01"
        assert sent["vnp_ReturnUrl"] == "http://localhost:8000/en/payments/return"
        assert await state(code) == (Status.DRAFT, [PaymentStatus.PENDING], 0, 0, 0), "nothing is sent before paying"
        page = (await open_gateway(citizen, url)).text
        assert f"Pay {format_vnd(FEE)}" in page and sent["vnp_TxnRef"] in page

        back = await choose(citizen, url, "succeed")
        # The gateway called the IPN before sending the browser back: it is all done already.
        assert await state(code) == (Status.SUBMITTED, [PaymentStatus.PAID], 1, 1, 1)
        receipt = await Receipt.get(dossier__code=code)
        outbox = await NotificationOutbox.get(dossier__code=code, event="payment_paid")
        assert outbox.payload == {"code": code, "amount": FEE, "receipt": receipt.number}
        assert await PaymentCallback.filter(source="ipn", outcome="confirmed").count() == 1

        landed = await back_from_gateway(citizen, back)
        assert landed.status_code == 200 and "Payment received" in landed.text and receipt.number in landed.text
        shown = (await citizen.get(f"/payments/receipts/{receipt.number}")).text
        for expected in (receipt.number, format_vnd(FEE), "Nguyễn Thị Lan", "Fee for the procedure", code):
            assert expected in shown
        assert f"/payments/receipts/{receipt.number}" in (await citizen.get(f"/my/dossiers/{code}")).text

        # Paid: nothing offers to pay again, and nothing can send it again.
        assert (await citizen.get(f"/dossiers/{code}/check")).status_code == 404
        assert (await citizen.post_form(f"/dossiers/{code}/submit", {"declaration": "yes"})).status_code == 404
        assert (await act(citizen, code, "submit", declaration=True, result_form="office")).status_code == 409

        # The official sees it paid, in the queue and on the dossier.
        queue = (await police.get("/desk?view=new")).text
        row = queue[queue.index(code):].split("</tr>")[0]
        assert "<td>Paid</td>" in row
        desk = (await police.get(f"/desk/dossiers/{code}")).text
        assert f"Paid: {format_vnd(FEE)}" in desk and receipt.number in desk
        assert (await police.get(f"/payments/receipts/{receipt.number}")).status_code == 200
    assert await state(code) == (Status.SUBMITTED, [PaymentStatus.PAID], 1, 1, 1)


async def test_a_free_procedure_is_sent_without_paying(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, BIRTH)
    assert "Accept and send" in (await portal.get(f"/dossiers/{code}/check")).text
    response = await portal.post_form(f"/dossiers/{code}/submit", {"declaration": "yes", "result_form": "online"})
    assert response.headers["location"].endswith(f"/dossiers/{code}/receipt")
    assert await state(code) == (Status.SUBMITTED, [], 0, 1, 0)


async def test_the_json_api_cannot_send_a_dossier_with_a_fee_unpaid(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    response = await act(portal, code, "submit", declaration=True, result_form="office")
    assert response.status_code == 400 and "Pay the fee" in response.text
    assert await state(code) == (Status.DRAFT, [], 0, 0, 0)


@pytest.mark.parametrize(("choice", "status", "says"), [
    ("fail", PaymentStatus.FAILED, "The payment did not go through"),
    ("cancel", PaymentStatus.CANCELLED, "You cancelled the payment"),
])
async def test_a_failed_or_cancelled_payment_keeps_the_draft_and_the_citizen_pays_again(portal, choice, status, says):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    first = await start_paying(portal, code, ID_CARD)
    await open_gateway(portal, first)
    landed = await back_from_gateway(portal, await choose(portal, first, choice))
    assert says in landed.text and "Try to pay again" in landed.text
    assert await state(code) == (Status.DRAFT, [status], 0, 0, 0)
    assert "Nothing was taken" in (await portal.get(f"/dossiers/{code}/check")).text

    second = await start_paying(portal, code, ID_CARD)
    assert params_of(second)["vnp_TxnRef"] != params_of(first)["vnp_TxnRef"], "a new reference for each attempt"
    await open_gateway(portal, second)
    await choose(portal, second, "succeed")
    assert await state(code) == (Status.SUBMITTED, [status, PaymentStatus.PAID], 1, 1, 1)


async def test_an_abandoned_payment_stays_pending_then_expires_by_the_query_job(portal):
    gateway = portal.adapters.payment_gateway
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    await open_gateway(portal, await start_paying(portal, code, ID_CARD))  # ... and never comes back
    assert await recheck_pending(gateway, older_than=timedelta(minutes=5)) == 0, "too recent to ask about"
    assert await recheck_pending(gateway, older_than=timedelta(0)) == 0, "the gateway has no result yet"
    assert await state(code) == (Status.DRAFT, [PaymentStatus.PENDING], 0, 0, 0)
    await Payment.filter(dossier__code=code).update(expires_at=clock.now() - timedelta(seconds=1))
    assert await recheck_pending(gateway, older_than=timedelta(0)) == 1
    assert await state(code) == (Status.DRAFT, [PaymentStatus.EXPIRED], 0, 0, 0)
    assert "you can try again" in (await portal.get(f"/dossiers/{code}/check")).text


async def test_a_payment_whose_ipn_was_lost_is_confirmed_by_the_query_job(portal):
    gateway = portal.adapters.payment_gateway
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    url = await start_paying(portal, code, ID_CARD)
    await open_gateway(portal, url)
    back = await choose(portal, url, "succeed", lose_ipn=True)

    waiting = await back_from_gateway(portal, back)
    assert waiting.status_code == 200 and "Your payment is being confirmed" in waiting.text
    assert 'role="status"' in waiting.text and "http-equiv" not in waiting.text, "no reload under the reader's feet"
    assert "js/payment-status.mjs" in waiting.text and "Refresh</a>" in waiting.text
    txn_ref = params_of(back)["vnp_TxnRef"]
    assert f'data-status-url="/api/v1/payments/{txn_ref}/status"' in waiting.text
    assert (await portal.get(f"/api/v1/payments/{txn_ref}/status")).json() == {"status": "pending", "settled": False}
    assert await state(code) == (Status.DRAFT, [PaymentStatus.PENDING], 0, 0, 0), "the return URL changes nothing"

    assert await recheck_pending(gateway, older_than=timedelta(0)) == 1
    assert await state(code) == (Status.SUBMITTED, [PaymentStatus.PAID], 1, 1, 1)
    assert await PaymentCallback.filter(source="query", outcome="confirmed").count() == 1
    assert "Payment received" in (await back_from_gateway(portal, back)).text
    assert (await portal.get(f"/api/v1/payments/{txn_ref}/status")).json() == {"status": "paid", "settled": True}
    assert await recheck_pending(gateway, older_than=timedelta(0)) == 0


async def test_repeated_and_out_of_order_callbacks_are_applied_once(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    url = await start_paying(portal, code, ID_CARD)
    await open_gateway(portal, url)
    back = await choose(portal, url, "succeed", lose_ipn=True)
    callback = params_of(back)

    # The browser comes back before the IPN: it is told to wait, nothing changes.
    assert "being confirmed" in (await back_from_gateway(portal, back)).text
    # Then the IPN arrives twice at once, and once more later.
    answers = await asyncio.gather(send_ipn(portal, callback), send_ipn(portal, callback))
    assert sorted(a["RspCode"] for a in answers) == ["00", "02"]
    assert await send_ipn(portal, callback) == {"RspCode": "02", "Message": "Order already confirmed"}
    assert await state(code) == (Status.SUBMITTED, [PaymentStatus.PAID], 1, 1, 1)
    # A stale "failed" answer for the same transaction cannot undo it.
    failed = resign({**callback, "vnp_ResponseCode": "51", "vnp_TransactionStatus": "02"},
                    portal.settings.payment_hash_secret)
    assert (await send_ipn(portal, failed))["RspCode"] == "02"
    assert await state(code) == (Status.SUBMITTED, [PaymentStatus.PAID], 1, 1, 1)


async def test_forged_and_tampered_callbacks_are_refused_and_logged(portal, caplog):
    secret = portal.settings.payment_hash_secret
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    url = await start_paying(portal, code, ID_CARD)
    txn_ref = params_of(url)["vnp_TxnRef"]
    genuine = {"vnp_Amount": str(FEE * 100), "vnp_BankCode": "NCB", "vnp_OrderInfo": params_of(url)["vnp_OrderInfo"],
               "vnp_PayDate": "20261125120000", "vnp_ResponseCode": "00", "vnp_TmnCode": "PORTAL01",
               "vnp_TransactionNo": "14226112", "vnp_TransactionStatus": "00", "vnp_TxnRef": txn_ref}

    caplog.set_level(logging.WARNING, logger="portal.payments")
    forged = {**genuine, "vnp_SecureHash": "0" * 128}
    assert await send_ipn(portal, forged) == {"RspCode": "97", "Message": "Invalid signature"}
    signed_with_another_secret = resign(genuine, "NOT-THE-MERCHANTS-SECRET")
    assert (await send_ipn(portal, signed_with_another_secret))["RspCode"] == "97"
    tampered = {**resign(genuine, secret), "vnp_Amount": "100"}  # the amount changed after signing
    assert (await send_ipn(portal, tampered))["RspCode"] == "97"
    wrong_amount = resign({**genuine, "vnp_Amount": "100"}, secret)  # signed, but not what was asked for
    assert (await send_ipn(portal, wrong_amount))["RspCode"] == "04"
    unknown = resign({**genuine, "vnp_TxnRef": "NO-SUCH-ORDER"}, secret)
    assert (await send_ipn(portal, unknown))["RspCode"] == "01"
    forged_return = await portal.client.get(f"/en/payments/return?{urlencode(forged)}")
    assert forged_return.status_code == 400 and "could not read the answer" in forged_return.text

    assert await state(code) == (Status.DRAFT, [PaymentStatus.PENDING], 0, 0, 0)
    # Only well-signed answers are kept as rows; every refusal is logged with the sender's address.
    outcomes = await PaymentCallback.all().order_by("id").values_list("source", "outcome")
    assert outcomes == [("ipn", "bad_amount"), ("ipn", "unknown_order")]
    refused = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 6 and all(r.levelno == logging.WARNING for r in refused)
    unsigned = [r.getMessage() for r in refused if "refused (bad_signature)" in r.getMessage()]
    assert len(unsigned) == 4 and all("from 127.0.0.1" in m for m in unsigned), unsigned

    # The genuine answer still goes through afterwards.
    assert (await send_ipn(portal, resign(genuine, secret)))["RspCode"] == "00"
    assert await state(code) == (Status.SUBMITTED, [PaymentStatus.PAID], 1, 1, 1)


async def test_a_second_successful_charge_is_recorded_for_refund_not_applied(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    first = await start_paying(portal, code, ID_CARD)
    await open_gateway(portal, first)  # left open in another tab
    # The portal gave up on it (expired), so a second attempt starts; the gateway still takes the old tab.
    await Payment.filter(dossier__code=code).update(expires_at=clock.now() - timedelta(seconds=1))
    second = await start_paying(portal, code, ID_CARD)
    await open_gateway(portal, second)
    await choose(portal, second, "succeed")
    await choose(portal, first, "succeed")  # the old tab pays too
    assert await state(code) == (Status.SUBMITTED, [PaymentStatus.PAID, PaymentStatus.PAID], 2, 1, 1)
    late = await Payment.get(txn_ref=params_of(first)["vnp_TxnRef"])
    assert late.refund_due and late.settles is None
    accepted = await Payment.get(txn_ref=params_of(second)["vnp_TxnRef"])
    assert not accepted.refund_due and accepted.settles
    assert "to be refunded" in (await portal.get(f"/my/dossiers/{code}")).text


async def test_a_fee_with_options_charges_the_option_chosen(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, CRIMINAL_RECORD)
    check = (await portal.get(f"/dossiers/{code}/check")).text
    # One of its options (the exempt groups, issue 18) costs nothing: the button says both.
    assert 'name="fee_option" value="standard" checked' in check and "Pay if a fee is due, and send" in check
    assert f"Standard fee</span>: {format_vnd(200_000)}" in check

    assert 'aria-invalid' not in check.split('id="fee_option"')[1].split("</fieldset>")[0]
    missing = await portal.post_form(f"/dossiers/{code}/submit", {"declaration": "yes", "result_form": "online"})
    assert missing.status_code == 400 and "Choose which fee applies to you" in missing.text
    assert 'name="declaration"' in missing.text
    # The summary links to the choice, and the choice says what is wrong, as every field does.
    fieldset = missing.text.split('id="fee_option"')[1].split("</fieldset>")[0]
    assert 'aria-describedby="fee_option-error"' in fieldset and fieldset.count('aria-invalid="true"') == 3
    error = '<p class="error-message" id="fee_option-error"><span class="visually-hidden">Error:</span> Choose which'
    assert error in fieldset
    invented = await portal.post_form(f"/dossiers/{code}/submit",
                                      {"declaration": "yes", "result_form": "online", "fee_option": "free"})
    assert invented.status_code == 400
    assert await state(code) == (Status.DRAFT, [], 0, 0, 0)

    await upload(portal, code, "fee_reduction_proof", "student-card.pdf", PDF)  # the reduced fee needs its proof
    url = await start_paying(portal, code, CRIMINAL_RECORD, option="reduced")
    assert params_of(url)["vnp_Amount"] == str(100_000 * 100)
    await open_gateway(portal, url)
    await choose(portal, url, "succeed")
    payment = await Payment.get(dossier__code=code)
    assert (payment.option, payment.amount, payment.status) == ("reduced", 100_000, PaymentStatus.PAID)


async def test_the_gateway_refuses_a_pay_url_that_was_changed(portal):
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, ID_CARD)
    url = await start_paying(portal, code, ID_CARD)
    cheaper = url.replace(f"vnp_Amount={FEE * 100}", "vnp_Amount=100")
    response = await portal.client.get(local(cheaper))
    assert response.status_code == 400 and "signature does not match" in response.text
