"""Home delivery at the same moment: a voided code read just before a new one, two wrong codes at once, and the
citizen changing the booking while the portal books the parcel with the post."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from backend.delivery import tracking
from backend.delivery.postal import HttpPostalService
from backend.dossiers.models import Dossier, TimelineEvent
from backend.sandboxes.models import SandboxShipment
from tests.integration.helpers import BIRTH, act, people
from tests.integration.test_delivery import (
    ADDRESS,
    BA_DINH,
    HANOI,
    HCMC,
    book,
    booking_of,
    courier,
    deliver,
    handed_over,
    redirected_to,
    submit_for_post,
    text,
    ward_code,
)
from tests.integration.test_delivery_review import other_than, sms_codes
from tests.support import APPROVAL, CITIZEN, OFFICER, fill_draft

pytestmark = pytest.mark.integration


async def locked_actions(code: str) -> int:
    return await TimelineEvent.filter(dossier__code=code, action="delivery_code_locked").count()


async def test_a_code_read_before_a_new_code_was_issued_gets_no_try(portal) -> None:
    async with handed_over(portal) as (_citizen, officer, code):
        number = (await booking_of(code)).tracking_number
        [first] = await sms_codes(portal)
        redirected_to(await courier(portal, number, "out_for_delivery"))
        for n in range(5):
            await deliver(portal, number, other_than(first, n))
        read = await booking_of(code)  # what a "delivered" event with the old code read: locked, the old code
        assert read.handover_locked
        redirected_to(await officer.post_form(f"/desk/dossiers/{code}/delivery/new-code"))

        # The event goes on with what it read: no try is taken against the new code, the old one stays void.
        with pytest.raises(tracking.EventRejected) as refused:
            await tracking._check_code(read, await Dossier.get(code=code), first)
        assert (refused.value.status, refused.value.reason) == (423, "handover_locked")
        assert (await booking_of(code)).handover_failures == 0


async def test_two_wrong_codes_at_once_lock_the_booking_once(portal) -> None:
    async with handed_over(portal) as (_citizen, _officer, code):
        number = (await booking_of(code)).tracking_number
        [first] = await sms_codes(portal)
        redirected_to(await courier(portal, number, "out_for_delivery"))
        for n in range(3):
            assert (await deliver(portal, number, other_than(first, n))).status_code == 400
        # Tries 4 and 5 at the same moment (two devices, or a retry): one of them locks the booking.
        answers = await asyncio.gather(deliver(portal, number, other_than(first, 5)),
                                       deliver(portal, number, other_than(first, 6)))
        statuses = sorted(a.status_code for a in answers)  # the first may see the lock the second made
        assert statuses in ([400, 409], [409, 409]), [text(a)[:300] for a in answers]
        assert (await booking_of(code)).handover_failures == 5
        assert await locked_actions(code) == 1


class DuringShipment(httpx.AsyncBaseTransport):
    """The app's own transport to the sandbox post, doing ``meanwhile`` while a shipment is being booked."""

    def __init__(self, inner: httpx.AsyncBaseTransport, meanwhile) -> None:
        self.inner, self.meanwhile, self.results = inner, meanwhile, []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/v1/shipments"):
            self.results.append(await self.meanwhile())
        return await self.inner.handle_async_request(request)


async def approved_for_post(citizen, officer) -> str:
    code = await fill_draft(citizen, BIRTH)
    redirected_to(await submit_for_post(citizen, code))
    await book(citizen, code, HANOI, BA_DINH)  # 25.000 ₫, cash to the postman
    assert (await act(officer, code, "receive")).status_code == 200
    redirected_to(await officer.post_form(f"/desk/dossiers/{code}/approve", APPROVAL))
    return code


def post_through(portal, transport: httpx.AsyncBaseTransport) -> None:
    adapters = portal.adapters  # providers read it on every request: the next one gets this post
    client = httpx.AsyncClient(transport=transport)
    adapters.postal_service = HttpPostalService(adapters.postal_service.base_url, adapters.postal_service.api_key,
                                                client)


async def test_the_booking_cannot_change_while_the_parcel_is_being_booked(portal) -> None:
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await approved_for_post(citizen, officer)
        sai_gon = await ward_code(citizen, HCMC, "Phường Sài Gòn")
        change = {**ADDRESS, "province": HCMC, "ward": sai_gon, "payment_method": "cod", "action": "confirm"}

        async def citizen_changes_the_address():
            return await citizen.post_form(f"/dossiers/{code}/delivery", change)

        # The adapters reach the in-process sandboxes through the app itself (tests/support.py: served).
        during = DuringShipment(httpx.ASGITransport(app=portal.app), citizen_changes_the_address)
        post_through(portal, during)
        redirected_to(await officer.post_form(f"/desk/dossiers/{code}/delivery/handover"))

        [refused] = during.results
        assert refused.status_code == 409, text(refused)[:500]
        assert "The agency is handing the result to the post: the booking cannot change now" in text(refused)
        booking = await booking_of(code)
        parcel = await SandboxShipment.get(tracking_number=booking.tracking_number)
        # The parcel and the booking say the same: Hà Nội, 25.000 ₫ at the door.
        assert (booking.province_code, booking.fee, booking.status) == (HANOI, 25000, "handed_over")
        assert (parcel.details["province"], parcel.cod_amount) == (booking.province_name, booking.fee)


class PostDown(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={"status": "error"})


async def test_when_the_post_does_not_book_it_the_booking_can_change_again(portal) -> None:
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        code = await approved_for_post(citizen, officer)
        post_through(portal, PostDown())
        refused = await officer.post_form(f"/desk/dossiers/{code}/delivery/handover")
        assert refused.status_code == 409 and "The postal service cannot be reached" in text(refused)
        booking = await booking_of(code)
        assert (booking.status, booking.handed_over_at, booking.changeable) == ("booked", None, True)
        mine = await citizen.get(f"/my/dossiers/{code}")
        assert "Your handover code" not in text(mine) and "Change the delivery" in text(mine)
        sai_gon = await ward_code(citizen, HCMC, "Phường Sài Gòn")
        await book(citizen, code, HCMC, sai_gon)
        assert (await booking_of(code)).fee == 40000
