"""Officials close what the gateway left open, on /desk/payments: a refund made, a payment never confirmed counted
as paid (after checking with the bank) or not paid. Their own agency's only; who and when are recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.accounts.models import User
from backend.core import clock
from backend.dossiers.constants import Status
from backend.payments.models import Payment, PaymentStatus
from tests.integration.helpers import people
from tests.integration.payment_steps import choose, open_gateway, params_of, send_ipn, start_paying
from tests.integration.test_payments import ID_CARD, state
from tests.support import CITIZEN, OFFICER, OTHER_OFFICER, fill_draft

pytestmark = pytest.mark.integration


async def police_user() -> User:
    return await User.get(phone="84" + OTHER_OFFICER[1:])


async def paid_twice(citizen, code: str) -> Payment:
    """The citizen pays in a tab left open after a second attempt was paid: the late charge is to refund."""
    first = await start_paying(citizen, code, ID_CARD)
    await open_gateway(citizen, first)
    await Payment.filter(dossier__code=code).update(expires_at=clock.now() - timedelta(seconds=1))
    second = await start_paying(citizen, code, ID_CARD)
    await open_gateway(citizen, second)
    await choose(citizen, second, "succeed")
    await choose(citizen, first, "succeed")
    return await Payment.get(txn_ref=params_of(first)["vnp_TxnRef"])


async def test_an_official_records_a_refund_and_it_leaves_the_list(portal):
    async with people(portal, CITIZEN, OTHER_OFFICER, OFFICER) as (citizen, police, ward):
        code = await fill_draft(citizen, ID_CARD)
        late = await paid_twice(citizen, code)
        listed = (await police.get("/desk/payments")).text
        form = listed.split(f'action="/en/desk/payments/{late.txn_ref}"')[1].split("</form>")[0]
        assert 'name="_csrf_token"' in form and 'name="action" value="refunded"' in form
        assert f'Mark refunded<span class="visually-hidden"> {late.txn_ref}</span>' in form

        # Another agency's official, a citizen, a form without its token: refused, nothing recorded.
        assert (await ward.post_form(f"/desk/payments/{late.txn_ref}", {"action": "refunded"})).status_code == 404
        assert (await citizen.post_form(f"/desk/payments/{late.txn_ref}", {"action": "refunded"})).status_code == 403
        forged = await police.client.post(f"/en/desk/payments/{late.txn_ref}", data={"action": "refunded"})
        assert forged.status_code == 403
        assert (await police.post_form(f"/desk/payments/{late.txn_ref}", {"action": "refund"})).status_code == 400
        assert (await Payment.get(id=late.id)).refunded_at is None

        done = await police.post_form(f"/desk/payments/{late.txn_ref}", {"action": "refunded"})
        assert done.status_code == 303
        assert done.headers["location"] == f"/en/desk/payments?done=refunded&ref={late.txn_ref}"
        page = (await police.get(done.headers["location"])).text
        assert 'role="status"' in page and f"The refund of payment {late.txn_ref} is recorded" in page
        assert "Nothing to refund or check." in page
        refunded = await Payment.get(id=late.id)
        assert refunded.refunded_by_id == (await police_user()).id and refunded.refunded_at is not None
        assert refunded.status is PaymentStatus.PAID and refunded.refund_due, "the money was taken: still recorded"

        again = await police.post_form(f"/desk/payments/{late.txn_ref}", {"action": "refunded"})
        assert again.status_code == 409 and "settled meanwhile" in again.text
        queue = (await police.get("/desk?view=new")).text
        assert "Refund due" not in queue[queue.index(code):].split("</tr>")[0]
        desk = (await police.get(f"/desk/dossiers/{code}")).text
        assert "Refund due" not in desk and "refunded, recorded on" in desk and late.txn_ref in desk
        assert "(refunded on " in (await citizen.get(f"/my/dossiers/{code}")).text


async def unresolved(citizen, code: str) -> tuple[str, Payment]:
    """An attempt paid at the gateway whose answer never reached the portal; the job gave up on it."""
    url = await start_paying(citizen, code, ID_CARD)
    await open_gateway(citizen, url)
    back = await choose(citizen, url, "succeed", lose_ipn=True)  # the signed answer the portal never got
    await Payment.filter(dossier__code=code).update(status=PaymentStatus.UNRESOLVED)
    return params_of(back), await Payment.get(dossier__code=code)


async def test_an_unresolved_payment_counted_as_paid_is_confirmed_like_the_gateway_would(portal):
    async with people(portal, CITIZEN, OTHER_OFFICER, OFFICER) as (citizen, police, ward):
        code = await fill_draft(citizen, ID_CARD)
        answer, payment = await unresolved(citizen, code)
        listed = (await police.get("/desk/payments")).text
        form = listed.split(f'action="/en/desk/payments/{payment.txn_ref}"')[1].split("</form>")[0]
        assert 'value="paid" aria-describedby="count-' in form and 'value="not_paid"' in form
        assert (await ward.post_form(f"/desk/payments/{payment.txn_ref}", {"action": "paid"})).status_code == 404

        done = await police.post_form(f"/desk/payments/{payment.txn_ref}", {"action": "paid"})
        assert done.status_code == 303
        page = (await police.get(done.headers["location"])).text
        assert f"Payment {payment.txn_ref} is counted as paid" in page and "Nothing to refund or check." in page
        # The receipt, the message and the dossier sent: what the gateway's confirmation does.
        assert await state(code) == (Status.SUBMITTED, [PaymentStatus.PAID], 1, 1, 1)
        counted = await Payment.get(id=payment.id)
        assert counted.settled_by_id == (await police_user()).id and counted.settles and counted.settled_at
        assert "<td>Paid</td>" in (await police.get("/desk?view=new")).text

        # The gateway's answer arrives after all: it was applied already.
        assert (await send_ipn(police, answer))["RspCode"] == "02"
        assert await state(code) == (Status.SUBMITTED, [PaymentStatus.PAID], 1, 1, 1)
        again = await police.post_form(f"/desk/payments/{payment.txn_ref}", {"action": "not_paid"})
        assert again.status_code == 409


async def test_an_unresolved_payment_marked_not_paid_lets_the_citizen_pay_again(portal):
    async with people(portal, CITIZEN, OTHER_OFFICER) as (citizen, police):
        code = await fill_draft(citizen, ID_CARD)
        _, payment = await unresolved(citizen, code)
        refused = await police.post_form(f"/desk/payments/{payment.txn_ref}", {"action": "refunded"})
        assert refused.status_code == 409, "nothing was recorded as paid: nothing to refund"
        done = await police.post_form(f"/desk/payments/{payment.txn_ref}", {"action": "not_paid"})
        assert done.status_code == 303
        assert f"Payment {payment.txn_ref} is recorded as not paid" in (await police.get(done.headers["location"])).text
        failed = await Payment.get(id=payment.id)
        assert failed.status is PaymentStatus.FAILED and failed.settled_by_id == (await police_user()).id
        assert await state(code) == (Status.DRAFT, [PaymentStatus.FAILED], 0, 0, 0)
        again = await start_paying(citizen, code, ID_CARD)
        assert params_of(again)["vnp_TxnRef"] != payment.txn_ref
