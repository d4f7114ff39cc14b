"""Home delivery, the reviewer's findings: the handover code checked by the portal only (wrong codes counted, the
booking locked, a new code), tracking times compared in UTC, the courier page's data and CSRF token, the webhook's
signature header, the delivery fee paid at its current amount only, and Enter on the booking form.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from backend.delivery.models import DeliveryBooking, DeliveryEvent
from backend.dossiers.models import NotificationOutbox, TimelineEvent
from backend.payments.models import Payment, PaymentStatus
from backend.sandboxes.models import SandboxShipment
from tests.integration.helpers import BIRTH, act, people
from tests.integration.payment_steps import choose, open_gateway, params_of
from tests.integration.test_delivery import (
    BA_DINH,
    HANOI,
    HCMC,
    book,
    booking_of,
    courier,
    courier_token,
    deliver,
    event,
    handed_over,
    redirected_to,
    signed,
    submit_for_post,
    text,
    ward_code,
)
from tests.support import APPROVAL, CITIZEN, OFFICER, fill_draft

pytestmark = pytest.mark.integration

URL = "/api/v1/postal/events"


async def sms_codes(portal) -> list[str]:
    messages = (await portal.client.get("/dev/outbox.json", params={"to": "84" + CITIZEN[1:]})).json()
    return [m.group(1) for sms in messages if (m := re.search(r"code to receive it: (\d{6})", sms["text"]))]


def other_than(code: str, n: int = 0) -> str:
    return f"{(int(code) + 1 + n) % 1_000_000:06d}"


async def test_wrong_codes_lock_the_booking_until_the_official_sends_a_new_code(portal) -> None:
    async with handed_over(portal) as (citizen, officer, code):
        number = (await booking_of(code)).tracking_number
        [first] = await sms_codes(portal)
        # The post holds nothing that could reveal the code.
        assert (await SandboxShipment.get(tracking_number=number)).handover_code_sha256 == ""
        redirected_to(await courier(portal, number, "out_for_delivery"))

        for tries_left in (4, 3, 2, 1):
            refused = await deliver(portal, number, other_than(first, tries_left))
            assert refused.status_code == 400 and f"Tries left: {tries_left}." in text(refused)
        locked = await deliver(portal, number, other_than(first, 9))
        assert locked.status_code == 409 and "The handover code is locked" in text(locked)
        # Locked: even the right code is refused now, and no try is spent on it.
        right = await deliver(portal, number, first)
        assert right.status_code == 409 and "The handover code is locked" in text(right)
        booking = await booking_of(code)
        assert (booking.status, booking.handover_failures, booking.delivered_at) == ("out_for_delivery", 5, None)
        assert not await DeliveryEvent.exists(booking_id=booking.id, stage="delivered")

        mine = text(await citizen.get(f"/my/dossiers/{code}"))
        assert "the code no longer works" in mine and first not in mine
        desk = await officer.get(f"/desk/dossiers/{code}")
        assert "Handover code locked" in text(desk) and "Send a new handover code" in text(desk)
        target = redirected_to(await officer.post_form(f"/desk/dossiers/{code}/delivery/new-code"))
        assert target.endswith(f"/desk/dossiers/{code}?delivery=new_code#delivery")
        assert "A new handover code was sent" in text(await officer.get(target))
        # Pressed again (another tab): the new code is not locked, it is not replaced.
        assert (await officer.post_form(f"/desk/dossiers/{code}/delivery/new-code")).status_code == 409

        codes = await sms_codes(portal)
        assert len(codes) == 2 and first in codes
        second = next(c for c in codes if c != first)
        assert f"Your handover code: {second}" in text(await citizen.get(f"/my/dossiers/{code}"))
        old = await deliver(portal, number, first)  # the old code is void; the count starts again
        assert old.status_code == 400 and "Tries left: 4." in text(old)
        redirected_to(await deliver(portal, number, second))
        booking = await booking_of(code)
        assert (booking.status, booking.paid) == ("delivered", True)

        # The event is kept without the code the postman typed.
        payloads = await DeliveryEvent.filter(booking_id=booking.id).values_list("payload", flat=True)
        assert payloads and not any("handover_code" in p for p in payloads)
        assert second not in str(payloads)
        actions = await TimelineEvent.filter(dossier__code=code, action__startswith="delivery_").values_list(
            "action", flat=True)
        assert actions == ["delivery_handed_over", "delivery_out_for_delivery", "delivery_code_locked",
                           "delivery_new_code", "delivery_delivered"]
        sent = await NotificationOutbox.filter(dossier__code=code, event="delivery_code").count()
        assert sent == 2


async def test_times_with_other_offsets_compare_in_utc_and_late_events_leave_no_trace(portal) -> None:
    secret = portal.settings.postal_webhook_secret
    async with handed_over(portal) as (_citizen, _officer, code):
        booking = await booking_of(code)
        number, t0 = booking.tracking_number, datetime.now(UTC).replace(microsecond=0)

        async def send(body: dict) -> dict:
            raw, headers = signed(body, secret)
            response = await portal.client.post(URL, content=raw, headers=headers)
            assert response.status_code == 200, response.text
            return response.json()

        assert await send(event(number, "in_transit", t0)) == {"status": "recorded"}
        # Half an hour earlier, written in Hà Nội time: later as text, earlier in fact.
        hanoi = timezone(timedelta(hours=7))
        late = event(number, "accepted", (t0 - timedelta(minutes=30)).astimezone(hanoi))
        assert late["occurred_at"].endswith("+07:00")
        assert await send(late) == {"status": "stale"}
        assert await send(late) == {"status": "duplicate"}  # the post retries: still 200
        booking = await booking_of(code)
        assert booking.status == "in_transit" and booking.status_at == t0
        stored = await DeliveryEvent.get(event_id=late["event_id"])
        assert stored.occurred_at == t0 - timedelta(minutes=30) and stored.occurred_at.utcoffset() == timedelta(0)

        # Events after the final one are kept, and move nothing.
        assert await send(event(number, "returned", t0 + timedelta(hours=1))) == {"status": "recorded"}
        assert await send(event(number, "out_for_delivery", t0 + timedelta(hours=2))) == {"status": "stale"}
        assert (await booking_of(code)).status == "returned"

        stages = ["in_transit", "returned"]
        actions = await TimelineEvent.filter(dossier__code=code, action__startswith="delivery_").values_list(
            "action", flat=True)
        assert actions == ["delivery_handed_over", *(f"delivery_{s}" for s in stages)]
        news = await NotificationOutbox.filter(dossier__code=code, event="delivery").values_list("payload", flat=True)
        assert news == [{"code": code, "stage": s} for s in stages]


async def test_a_signature_header_that_is_not_ascii_is_refused_with_401(portal) -> None:
    secret = portal.settings.postal_webhook_secret
    async with handed_over(portal) as (_citizen, _officer, code):
        number = (await booking_of(code)).tracking_number
        raw, headers = signed(event(number, "accepted", datetime.now(UTC)), secret)
        for forged in ("v1=" + "é" * 64, "v1=ü", "v1=" + "0" * 64):
            headers = {**headers, "x-postal-signature": forged.encode("utf-8")}
            response = await portal.client.post(URL, content=raw, headers=headers)
            assert response.status_code == 401, response.text
        assert (await booking_of(code)).status == "handed_over"


async def test_the_courier_page_shows_what_a_postman_needs_and_its_forms_need_their_token(portal) -> None:
    async with handed_over(portal) as (_citizen, _officer, code):
        number = (await booking_of(code)).tracking_number
        page = await portal.client.get("/sandbox/postal/courier")
        words = text(page)
        parcel = words[words.index(f"Parcel {number}"):]
        assert "Nguyễn Thị Lan, phone ending in 678" in parcel
        assert "12 Phố Hàng Bông" in parcel and "Phường Ba Đình, Thành phố Hà Nội" in parcel
        assert "Afternoon, 13:00 to 17:00" in parcel and "₫25,000" in parcel
        assert "0912 345 678" not in words and "912345678" not in page.text and code not in page.text
        assert "samesite=strict" in page.headers["set-cookie"].lower()

        token = await courier_token(portal)
        for data in ({"stage": "accepted"}, {"stage": "accepted", "courier_token": "0" * 64},
                     {"stage": "accepted", "courier_token": "é"}):
            response = await portal.client.post(f"/sandbox/postal/courier/{number}/events", data=data)
            assert response.status_code == 403 and "Reload the page" in text(response)
        # A request from elsewhere has the token of another browser, not this browser's cookie.
        portal.client.cookies.clear()
        stolen = await portal.client.post(f"/sandbox/postal/courier/{number}/events",
                                          data={"stage": "accepted", "courier_token": token})
        assert stolen.status_code == 403
        assert (await booking_of(code)).status == "handed_over"
        redirected_to(await courier(portal, number, "accepted"))
        assert (await booking_of(code)).status == "accepted"


async def online_booking(citizen, officer, code: str) -> str:
    """Lan sends her dossier and books delivery in Hà Nội, to pay online: returns the gateway tab's URL."""
    redirected_to(await submit_for_post(citizen, code))
    target = await book(citizen, code, HANOI, BA_DINH, payment="online")
    assert "vnp_Amount=2500000" in target
    return target


async def test_a_payment_for_the_old_fee_is_refunded_and_does_not_pay_the_delivery(portal) -> None:
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await fill_draft(citizen, BIRTH)
        old_tab = await online_booking(citizen, officer, code)
        await open_gateway(citizen, old_tab)

        # Another province: 40.000 ₫; a new tab for that amount, and the old attempt is over.
        sai_gon = await ward_code(citizen, HCMC, "Phường Sài Gòn")
        new_tab = await book(citizen, code, HCMC, sai_gon, payment="online")
        assert "vnp_Amount=4000000" in new_tab
        old = await Payment.get(txn_ref=params_of(old_tab)["vnp_TxnRef"])
        assert old.status == PaymentStatus.EXPIRED

        # The old tab is paid anyway: the money is recorded, to refund; the booking stays unpaid.
        await choose(citizen, old_tab, "succeed")
        await old.refresh_from_db()
        assert (old.status, old.amount, old.refund_due, old.settles) == (PaymentStatus.PAID, 25000, True, None)
        booking = await booking_of(code)
        assert (booking.fee, booking.paid) == (40000, False)
        mine = text(await citizen.get(f"/my/dossiers/{code}"))
        assert "The delivery fee is ₫40,000 and is not paid yet" in mine and "Pay ₫40,000 online" in mine
        assert (await act(officer, code, "receive")).status_code == 200
        redirected_to(await officer.post_form(f"/desk/dossiers/{code}/approve", APPROVAL))
        refused = await officer.post_form(f"/desk/dossiers/{code}/delivery/handover")
        assert refused.status_code == 409 and "not paid the delivery fee" in text(refused)

        # The tab for the new amount pays it.
        await open_gateway(citizen, new_tab)
        await choose(citizen, new_tab, "succeed")
        booking = await booking_of(code)
        assert booking.paid
        assert "Pay ₫40,000 online" not in text(await citizen.get(f"/my/dossiers/{code}"))
        paid = await Payment.get(txn_ref=params_of(new_tab)["vnp_TxnRef"])
        assert (paid.refund_due, paid.settles) == (False, f"{booking.dossier_id}:delivery")


async def test_a_tab_paid_after_switching_to_cash_is_refunded(portal) -> None:
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await fill_draft(citizen, BIRTH)
        tab = await online_booking(citizen, officer, code)
        await open_gateway(citizen, tab)
        await book(citizen, code, HANOI, BA_DINH, payment="cod")  # same fee, cash to the postman now
        await choose(citizen, tab, "succeed")
        payment = await Payment.get(txn_ref=params_of(tab)["vnp_TxnRef"])
        assert (payment.status, payment.refund_due) == (PaymentStatus.PAID, True)
        booking = await booking_of(code)
        assert (booking.payment_method, booking.paid) == ("cod", False)  # the postman still collects it


async def test_a_closed_tab_is_paid_again_from_the_dossier_page_at_the_current_fee(portal) -> None:
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await fill_draft(citizen, BIRTH)
        await online_booking(citizen, officer, code)  # the citizen closes the gateway's tab
        mine = text(await citizen.get(f"/my/dossiers/{code}"))
        assert "The delivery fee is ₫25,000 and is not paid yet" in mine
        again = redirected_to(await citizen.post_form(f"/dossiers/{code}/delivery/pay"))
        assert "vnp_Amount=2500000" in again
        await open_gateway(citizen, again)
        await choose(citizen, again, "succeed")
        assert (await booking_of(code)).paid
        # Paid: nothing more to pay, the button is gone and pressing it again starts nothing.
        assert "not paid yet" not in text(await citizen.get(f"/my/dossiers/{code}"))
        done = redirected_to(await citizen.post_form(f"/dossiers/{code}/delivery/pay"))
        assert "/sandbox/payment/" not in done


async def test_after_a_refunded_payment_the_new_fee_can_be_paid_from_the_dossier_page(portal) -> None:
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await fill_draft(citizen, BIRTH)
        old_tab = await online_booking(citizen, officer, code)
        await open_gateway(citizen, old_tab)
        sai_gon = await ward_code(citizen, HCMC, "Phường Sài Gòn")
        await book(citizen, code, HCMC, sai_gon, payment="online")  # this tab is closed without paying
        await choose(citizen, old_tab, "succeed")
        again = redirected_to(await citizen.post_form(f"/dossiers/{code}/delivery/pay"))
        assert "vnp_Amount=4000000" in again


async def test_enter_in_a_field_continues_and_a_form_without_action_continues(portal) -> None:
    async with people(portal, CITIZEN) as (citizen,):
        code = await fill_draft(citizen, BIRTH)
        # On the check page, Enter in an address field sends, as the visible button does.
        check = await citizen.get(f"/dossiers/{code}/check")
        first = re.search(r"<button[^>]*>", check.text[check.text.index('data-module="address-picker"'):]).group(0)
        assert 'name="action" value="send"' in first and 'aria-hidden="true"' in first, first
        redirected_to(await submit_for_post(citizen, code))
        page = await citizen.get(f"/dossiers/{code}/delivery")
        form = page.text[page.text.index('data-module="address-picker"'):]
        first = re.search(r"<button[^>]*>", form).group(0)  # the default button: what Enter in a field presses
        assert 'name="action" value="continue"' in first, first
        assert 'tabindex="-1"' in first and 'aria-hidden="true"' in first  # not a second tab stop
        fields = {"recipient": "Lan", "phone": "0912 345 678", "province": HANOI, "ward": BA_DINH,
                  "street": "12 Phố Hàng Bông", "time_window": "morning"}
        for extra in ({}, {"action": "continue"}):
            confirm = await citizen.post_form(f"/dossiers/{code}/delivery", {**fields, **extra})
            assert confirm.status_code == 200 and "Check and confirm the delivery" in text(confirm)
        assert (await DeliveryBooking.get(dossier__code=code)).time_window == "afternoon", "as booked when sending"
