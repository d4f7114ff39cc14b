"""Home delivery: booking (with and without JavaScript), changes until handover, the handover to the sandbox post,
tracking events through the signed webhook, delivery with the handover code and cash on delivery.

Everything goes through the real HTTP endpoints: the citizen's and the official's pages, the sandbox courier's
page (which signs and sends each event to the portal's webhook over the app's own HTTP client), the webhook.
"""

from __future__ import annotations

import html
import json
import re
import time
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest

from backend.delivery.models import DeliveryBooking, DeliveryEvent
from backend.delivery.postal import signature
from backend.dossiers.models import Dossier, NotificationOutbox, TimelineEvent
from tests.integration.helpers import BIRTH, act, people
from tests.support import APPROVAL, CITIZEN, OFFICER, fill_draft

pytestmark = pytest.mark.integration

HANOI, BA_DINH, HCMC = "01", "00004", "79"
ADDRESS = {"recipient": "Nguyễn Thị Lan", "phone": "0912 345 678", "street": "12 Phố Hàng Bông",
           "time_window": "afternoon"}


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text)))


def redirected_to(response) -> str:
    assert response.status_code in (302, 303), response.text[:800]
    return response.headers["location"]


async def ward_code(portal, province: str, name: str) -> str:
    """What the address picker does with JavaScript on: the province's wards from the JSON API."""
    response = await portal.get(f"/api/v1/admin-units/provinces/{province}/wards")
    assert response.status_code == 200
    return next(w["code"] for w in response.json() if w["name"] == name)


async def book(citizen, code: str, province: str, ward: str, payment: str = "cod", **override) -> str:
    """Continue (the fee is shown), then confirm; returns where the portal sends the citizen."""
    form = {**ADDRESS, "province": province, "ward": ward, **override}
    confirm = await citizen.post_form(f"/dossiers/{code}/delivery", {**form, "action": "continue"})
    assert confirm.status_code == 200, text(confirm)[:800]
    assert "Check and confirm the delivery" in text(confirm)
    return redirected_to(
        await citizen.post_form(f"/dossiers/{code}/delivery", {**form, "action": "confirm", "payment_method": payment})
    )


def check_form(province: str = HANOI, ward: str = BA_DINH, payment: str = "cod", **override) -> dict:
    """The check page's sending form, "At home by post" picked and the delivery typed beside it (issue 18)."""
    return {"declaration": "yes", "result_form": "post", **ADDRESS, "province": province, "ward": ward,
            "payment_method": payment, **override}


async def submit_for_post(citizen, code: str, province: str = HANOI, ward: str = BA_DINH, payment: str = "cod",
                          **override):
    """Send the dossier from its check page, by post, booked there (to Ba Đình ward, cash to the postman)."""
    return await citizen.post_form(f"/dossiers/{code}/submit", check_form(province, ward, payment, **override))


async def sms_code(portal) -> str:
    messages = (await portal.client.get("/dev/outbox.json", params={"to": "84" + CITIZEN[1:]})).json()
    return re.search(r"code to receive it: (\d{6})", messages[0]["text"]).group(1)


@asynccontextmanager
async def handed_over(portal):
    """Lan books delivery to Ba Đình ward (cash on delivery), the ward approves and hands the result to the post."""
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await fill_draft(citizen, BIRTH)
        assert redirected_to(await submit_for_post(citizen, code)).endswith(f"/{code}/receipt")
        assert (await act(officer, code, "receive")).status_code == 200
        redirected_to(await officer.post_form(f"/desk/dossiers/{code}/approve", APPROVAL))
        desk = await officer.get(f"/desk/dossiers/{code}")
        assert "Hand to the post" in text(desk) and "Result wanted At home by post" in text(desk)
        redirected_to(await officer.post_form(f"/desk/dossiers/{code}/delivery/handover"))
        yield citizen, officer, code


async def courier_token(portal) -> str:
    """The courier's page sets its CSRF cookie and puts the matching token in each form."""
    page = await portal.client.get("/sandbox/postal/courier")
    assert page.status_code == 200
    return re.search(r'name="courier_token" value="([0-9a-f]{64})"', page.text).group(1)


async def courier(portal, number: str, stage: str, token: str | None = None):
    data = {"stage": stage, "courier_token": token or await courier_token(portal)}
    return await portal.client.post(f"/sandbox/postal/courier/{number}/events", data=data)


async def deliver(portal, number: str, code: str, cash: str = "25000"):
    data = {"code": code, "cash": cash, "courier_token": await courier_token(portal)}
    return await portal.client.post(f"/sandbox/postal/courier/{number}/deliver", data=data)


async def booking_of(code: str) -> DeliveryBooking:
    return await DeliveryBooking.get(dossier__code=code)


async def test_how_the_result_is_received_is_asked_once_and_post_is_booked_on_the_check_page(portal) -> None:
    async with people(portal, CITIZEN) as (citizen,):
        code = await fill_draft(citizen, BIRTH)
        check = await citizen.get(f"/dossiers/{code}/check")
        assert text(check).count("How do you want to receive the result?") == 1
        assert 'name="result_form" value="post" checked' not in check.text and " checked>" not in check.text.split(
            'id="result_form"')[1].split("</fieldset>")[0], "nothing picked before the citizen picks"
        for words in ("Online, as a signed e-result", "On paper at the agency", "At home by post"):
            assert words in text(check)
        assert 'value="Nguyễn Thị Lan"' in check.text and 'value="0912345678"' in check.text  # from the account
        assert "Choose the province first" in text(check) and "Phường Ba Đình" not in check.text
        # The booking page of a draft, and an older page's "Book home delivery", lead here.
        assert redirected_to(await citizen.get(f"/dossiers/{code}/delivery")).endswith(f"/{code}/check#result_form")
        assert redirected_to(await citizen.post_form(f"/dossiers/{code}/delivery/choose")).endswith("#result_form")

        # Without JavaScript: the province, then "Show communes and wards": the same page, its wards, nothing lost.
        typed = check_form(ward="", action="wards", declaration="")
        step = await citizen.post_form(f"/dossiers/{code}/submit", typed)
        assert step.status_code == 200, text(step)[:800]
        assert f'<option lang="vi" value="{BA_DINH}">Phường Ba Đình</option>' in step.text
        assert "Phường Sài Gòn" not in step.text  # only Hà Nội's
        assert 'value="12 Phố Hàng Bông"' in step.text and 'value="afternoon" checked' in step.text
        assert 'value="post" checked' in step.text and 'value="cod" checked' in step.text
        assert (await Dossier.get(code=code)).status == "draft"

        # Send without a ward: an error, the wards still listed, the rest kept, nothing booked or sent.
        missing = await citizen.post_form(f"/dossiers/{code}/submit", {**typed, "action": "send"})
        assert missing.status_code == 400
        assert "There is a problem" in text(missing) and 'href="#ward"' in missing.text
        assert "Choose the commune or ward" in text(missing) and 'value="12 Phố Hàng Bông"' in missing.text
        assert f'<option lang="vi" value="{HANOI}" selected>' in missing.text and 'value="post" checked' in missing.text
        wrong = await citizen.post_form(f"/dossiers/{code}/submit", {**typed, "ward": "26734", "action": "send"})
        assert wrong.status_code == 400 and "Choose the commune or ward" in text(wrong)
        unpaid = await citizen.post_form(f"/dossiers/{code}/submit", check_form(payment=""))
        assert unpaid.status_code == 400 and "Choose how you will pay the delivery fee" in text(unpaid)
        assert not await DeliveryBooking.exists(dossier__code=code)
        assert (await Dossier.get(code=code)).status == "draft"

        # Another result form: the address is not read, nothing is booked; the choice is kept for the next visit.
        office = await citizen.post_form(f"/dossiers/{code}/submit", {"result_form": "office", "recipient": ""})
        assert office.status_code == 400 and "Confirm that the information you gave is true" in text(office)
        assert "Enter the name" not in text(office) and 'value="office" checked' in office.text
        assert 'value="office" checked' in (await citizen.get(f"/dossiers/{code}/check")).text
        assert not await DeliveryBooking.exists(dossier__code=code)

        assert redirected_to(await submit_for_post(citizen, code)).endswith(f"/dossiers/{code}/receipt")
        booking = await booking_of(code)
        assert (booking.province_name, booking.ward_name, booking.fee) == ("Thành phố Hà Nội", "Phường Ba Đình", 25000)
        assert (booking.phone, booking.payment_method, booking.paid) == ("84912345678", "cod", False)
        assert (await Dossier.get(code=code)).result_form == "post"
        receipt = await citizen.get(f"/dossiers/{code}/receipt")
        assert "At home by post" in text(receipt) and "12 Phố Hàng Bông, Phường Ba Đình, Thành phố Hà Nội" in text(
            receipt)
        status = (await citizen.get(f"/api/v1/dossiers/{code}/status")).json()
        assert status["result_form_label"] == "At home by post" and "post" not in status.values(), "in words"


async def test_a_booking_kept_on_an_earlier_try_goes_when_another_form_is_picked(portal) -> None:
    async with people(portal, CITIZEN) as (citizen,):
        code = await fill_draft(citizen, BIRTH)
        undeclared = await submit_for_post(citizen, code, declaration="")
        assert undeclared.status_code == 400 and "Confirm that the information you gave is true" in text(undeclared)
        assert await DeliveryBooking.exists(dossier__code=code), "the delivery is kept with the choice"
        sent = await citizen.post_form(f"/dossiers/{code}/submit", {"declaration": "yes", "result_form": "office"})
        assert redirected_to(sent).endswith(f"/dossiers/{code}/receipt")
        assert not await DeliveryBooking.exists(dossier__code=code)
        assert (await Dossier.get(code=code)).result_form == "office"
        assert "On paper at the agency" in text(await citizen.get(f"/dossiers/{code}/receipt"))


async def test_with_javascript_the_wards_come_from_the_api_and_the_fee_depends_on_the_province(portal) -> None:
    async with people(portal, CITIZEN) as (citizen,):
        provinces = (await citizen.get("/api/v1/admin-units/provinces")).json()
        assert len(provinces) == 34
        assert (await citizen.get("/api/v1/admin-units/provinces/02/wards")).status_code == 404
        code = await fill_draft(citizen, BIRTH)
        sai_gon = await ward_code(citizen, HCMC, "Phường Sài Gòn")
        assert redirected_to(await submit_for_post(citizen, code, HCMC, sai_gon)).endswith(f"/{code}/receipt")
        assert (await booking_of(code)).fee == 40000

        # After sending, the booking page changes it: the fee is shown before confirming.
        form = {**ADDRESS, "province": HCMC, "ward": sai_gon}
        confirm = await citizen.post_form(f"/dossiers/{code}/delivery", {**form, "action": "continue"})
        assert "Delivery fee: ₫40,000" in text(confirm) and "outside the agency's province" in text(confirm)
        assert (await book(citizen, code, HCMC, sai_gon)).endswith(
            f"/my/dossiers/{code}?delivery=booked#delivery"
        )

        # Changed before the handover: the new address and its fee.
        await book(citizen, code, HANOI, BA_DINH, street="5 Phố Nhà Chung", time_window="morning")
        booking = await booking_of(code)
        assert (booking.ward_name, booking.street, booking.time_window, booking.fee) == (
            "Phường Ba Đình", "5 Phố Nhà Chung", "morning", 25000)
        mine = await citizen.get(f"/my/dossiers/{code}")
        assert "5 Phố Nhà Chung" in text(mine) and "Change the delivery" in text(mine)


async def test_handed_to_the_post_shipped_failed_once_delivered_with_the_code_and_cash(portal) -> None:
    async with handed_over(portal) as (citizen, officer, code):
        booking = await booking_of(code)
        number = booking.tracking_number
        assert re.fullmatch(r"EB\d{9}VN", number) and booking.status == "handed_over"
        desk = await officer.get(f"/desk/dossiers/{code}?done=handed_over")  # where handing over leads
        assert number in text(desk) and "Done. The post has the shipment" in text(desk)

        # The code: by SMS and on the citizen's own page; only its hash is kept.
        code_sent = await sms_code(portal)
        assert code_sent not in booking.handover_code_hash
        mine = await citizen.get(f"/my/dossiers/{code}")
        assert f"Your handover code: {code_sent}" in text(mine)
        outbox = NotificationOutbox.filter(dossier__code=code, event="delivery_code")
        assert await outbox.values_list("payload", flat=True) == [{"code": code}]

        # After the handover the booking is read-only.
        changed = await citizen.post_form(
            f"/dossiers/{code}/delivery", {**ADDRESS, "province": HCMC, "ward": "26734", "action": "confirm",
                                           "payment_method": "cod"}
        )
        assert changed.status_code == 409 and "cannot change now" in text(changed)
        assert (await booking_of(code)).province_code == HANOI
        assert "cannot change now" in text(await citizen.get(f"/dossiers/{code}/delivery"))
        assert (await officer.post_form(f"/desk/dossiers/{code}/delivery/handover")).status_code == 409

        # The courier's page: each button sends a signed event to the portal's webhook.
        page = await portal.client.get("/sandbox/postal/courier")
        assert page.status_code == 200 and number in page.text and "₫25,000" in text(page)
        for stage in ("accepted", "in_transit", "failed_attempt", "out_for_delivery"):
            redirected_to(await courier(portal, number, stage))
            assert (await booking_of(code)).status == stage

        # The post cannot check the code: the portal does, and the page shows its answer.
        wrong = "000000" if code_sent != "000000" else "111111"
        refused = await deliver(portal, number, wrong)
        assert refused.status_code == 400 and "Wrong handover code" in text(refused)
        assert "Tries left: 4." in text(refused)
        assert (await booking_of(code)).status == "out_for_delivery"

        token = await courier_token(portal)
        redirected_to(await deliver(portal, number, code_sent, "25.000"))
        booking = await booking_of(code)
        assert (booking.status, booking.cash_collected, booking.paid) == ("delivered", 25000, True)
        assert booking.delivered_at is not None

        stages = ["accepted", "in_transit", "failed_attempt", "out_for_delivery", "delivered"]
        actions = await TimelineEvent.filter(dossier__code=code, action__startswith="delivery_").values_list(
            "action", flat=True)
        assert actions == ["delivery_handed_over", *(f"delivery_{s}" for s in stages)]
        news = await NotificationOutbox.filter(dossier__code=code, event="delivery").order_by("id").values_list(
            "payload", flat=True)
        assert news == [{"code": code, "stage": s} for s in stages]

        mine = text(await citizen.get(f"/my/dossiers/{code}"))
        assert "Delivery attempt failed: the post will try again" in mine and "Accepted by the post" in mine
        assert "Your handover code" not in mine  # delivered: nothing left to hand over
        desk = text(await officer.get(f"/desk/dossiers/{code}"))
        assert "Cash collected ₫25,000" in desk and "Delivered" in desk
        closed = await courier(portal, number, "returned", token)
        assert closed.status_code == 400


def signed(body: dict, secret: str, timestamp: int | None = None) -> tuple[bytes, dict]:
    raw = json.dumps(body).encode()
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return raw, {"content-type": "application/json", "x-postal-timestamp": ts,
                 "x-postal-signature": signature(secret, ts, raw)}


def event(number: str, stage: str, when: datetime, **extra) -> dict:
    return {"event_id": uuid.uuid4().hex, "tracking_number": number, "stage": stage, "occurred_at": when.isoformat(),
            **extra}


async def test_the_webhook_refuses_forgeries_and_takes_each_event_once_and_only_forward(portal) -> None:
    secret = portal.settings.postal_webhook_secret
    async with handed_over(portal) as (_citizen, _officer, code):
        number = (await booking_of(code)).tracking_number
        url = "/api/v1/postal/events"
        t0 = datetime.now(UTC)

        forged_body = event(number, "delivered", t0, handover_code="123456")
        for raw, headers in (
            signed(forged_body, "not-the-secret"),
            signed(forged_body, secret, int(time.time()) - 3600),  # a captured request, replayed an hour later
            (json.dumps(forged_body).encode(), {"content-type": "application/json"}),
        ):
            response = await portal.client.post(url, content=raw, headers=headers)
            assert response.status_code == 401
        raw, headers = signed(event(number, "accepted", t0), secret)
        tampered = await portal.client.post(url, content=raw.replace(b"accepted", b"returned"), headers=headers)
        assert tampered.status_code == 401
        assert not await DeliveryEvent.exists(booking__tracking_number=number)

        in_transit = event(number, "in_transit", t0 + timedelta(hours=2))
        raw, headers = signed(in_transit, secret)
        assert (await portal.client.post(url, content=raw, headers=headers)).json() == {"status": "recorded"}
        again = await portal.client.post(url, content=raw, headers=headers)  # the post retries: taken once
        assert again.status_code == 200 and again.json() == {"status": "duplicate"}
        assert await DeliveryEvent.filter(booking__tracking_number=number).count() == 1

        # "accepted" happened earlier but arrives later: recorded, the status does not go back.
        raw, headers = signed(event(number, "accepted", t0 + timedelta(hours=1)), secret)
        assert (await portal.client.post(url, content=raw, headers=headers)).status_code == 200
        assert (await booking_of(code)).status == "in_transit"

        # "delivered" needs the right code, checked by the portal: each wrong one is counted.
        for tries_left, typed in ((4, "12345"), (3, "abcdef"), (2, "")):
            raw, headers = signed(event(number, "delivered", t0 + timedelta(hours=3), handover_code=typed), secret)
            response = await portal.client.post(url, content=raw, headers=headers)
            assert response.status_code == 422
            assert response.json() == {"status": "rejected", "detail": "wrong_code", "tries_left": tries_left}
        assert (await booking_of(code)).status == "in_transit"

        for body, status in ((event("EB000000000VN", "accepted", t0), 404), (event(number, "lost", t0), 422)):
            raw, headers = signed(body, secret)
            assert (await portal.client.post(url, content=raw, headers=headers)).status_code == status

        raw, headers = signed(event(number, "delivered", t0 + timedelta(hours=3),
                                    handover_code=await sms_code(portal), cash_collected=25000), secret)
        assert (await portal.client.post(url, content=raw, headers=headers)).status_code == 200
        raw, headers = signed(event(number, "returned", t0 + timedelta(hours=4)), secret)
        assert (await portal.client.post(url, content=raw, headers=headers)).status_code == 200
        assert (await booking_of(code)).status == "delivered"  # final: nothing moves it afterwards


async def test_the_fee_paid_online_at_the_gateway_marks_the_booking_paid_and_nothing_is_collected(portal) -> None:
    from tests.integration.payment_steps import choose, open_gateway

    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await fill_draft(citizen, BIRTH)
        # Online picked on the check page: sending leads to the gateway for the delivery fee.
        target = redirected_to(await submit_for_post(citizen, code, payment="online"))
        assert "/sandbox/payment/paymentv2/vpcpay.html?" in target and "vnp_Amount=2500000" in target
        assert (await Dossier.get(code=code)).status == "submitted"
        booking = await booking_of(code)
        assert (booking.payment_method, booking.paid) == ("online", False)

        # Not paid yet: the official cannot hand it over.
        assert (await act(officer, code, "receive")).status_code == 200
        redirected_to(await officer.post_form(f"/desk/dossiers/{code}/approve", APPROVAL))
        refused = await officer.post_form(f"/desk/dossiers/{code}/delivery/handover")
        assert refused.status_code == 409 and "not paid the delivery fee" in text(refused)

        await open_gateway(citizen, target)
        await choose(citizen, target, "succeed")  # the gateway's IPN confirms the payment first
        assert (await booking_of(code)).paid

        redirected_to(await officer.post_form(f"/desk/dossiers/{code}/delivery/handover"))
        page = await portal.client.get("/sandbox/postal/courier")
        number = (await booking_of(code)).tracking_number
        parcel = text(page)[text(page).index(f"Parcel {number}"):]
        assert "Cash to collect Free" in parcel  # paid online: the courier collects nothing
