"""Closing an account (issue 21): the confirm page says what is kept (rule, until when) and what is erased; the
request has a due date, a state and a handler; it waits while a dossier is being settled; on completion the
retention file's keep-list is kept and the rest erased, the account anonymised and its number free again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.accounts.models import Passkey, PushSubscription, Role, SignInEvent, User
from backend.accounts.services import remember_language
from backend.audit.models import AccessEntry
from backend.core import clock
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, DossierDocument
from backend.dossiers.storage import document_key
from backend.privacy import closure
from backend.privacy.models import ClosureRequest, ClosureState
from backend.privacy.retention import rules
from backend.results.models import Result
from tests.integration.helpers import drive, people, take
from tests.support import OFFICER, Portal, fill_draft

pytestmark = pytest.mark.integration

LAN = "0915210011"  # numbers no other test signs in with (sign-in codes are limited per number)
MINH = "0915210012"
ADMIN = "0900000000"


def e164(phone: str) -> str:
    return "84" + phone[1:]


async def ask_to_close(citizen: Portal) -> None:
    response = await citizen.post_form("/my/data/close", {"understood": "yes"})
    assert response.status_code in (302, 303), response.text


async def test_closing_keeps_what_the_retention_file_says_and_erases_the_rest(portal):
    async with people(portal, LAN, OFFICER, ADMIN, MINH) as (lan, officer, admin, minh):
        settled = await drive(lan, officer, Status.APPROVED)
        draft = await fill_draft(lan, "1.001193")
        theirs = await fill_draft(minh, "1.001193")
        user = await User.get(phone=e164(LAN))
        await User.filter(id=user.id).update(full_name="Nguyễn Thị Lan", identity_number="001190099999")
        await PushSubscription.create(user_id=user.id, endpoint="https://push.example/lan", p256dh="k", auth="a")
        await Passkey.create(user_id=user.id, credential_id="lan-key", public_key=b"k", name="Phone")
        old = await SignInEvent.create(user_id=user.id, method="code")
        await SignInEvent.filter(id=old.id).update(created_at=clock.now() - timedelta(days=400))
        draft_files = [document_key(d) for d in await DossierDocument.filter(dossier__code=draft)]
        assert draft_files

        page = await lan.get("/my/data/close")
        assert page.status_code == 200 and "<h1>Close your account</h1>" in page.text
        assert "Settled dossiers, their answers and documents" in page.text
        assert "Law on Accounting" not in page.text  # no payment, so no payment record to keep
        assert "Drafts not sent" in page.text and "Passkeys" in page.text
        refused = await lan.post_form("/my/data/close", {})
        assert refused.status_code == 400 and "Tick the box" in refused.text and "error-summary" in refused.text
        await ask_to_close(lan)
        request = await ClosureRequest.get(user_id=user.id)
        assert request.state is ClosureState.RECEIVED
        assert request.due_on == clock.now().date() + timedelta(days=rules().closure_due_days)
        assert "Received: to be done by" in (await lan.get("/my/data/close")).text
        await ask_to_close(lan)  # twice: the same request, said so
        assert await ClosureRequest.filter(user_id=user.id).count() == 1
        assert "already asked" in (await lan.get("/my/data/close")).text

        assert (await minh.get("/admin/closures")).status_code == 403
        listing = await admin.get("/admin/closures")
        assert listing.status_code == 200 and "Nguyễn Thị Lan" in listing.text
        assert 'href="/en/admin/closures"' in listing.text  # in the administrator's menu
        assert 'href="/en/admin/closures"' not in page.text  # not in a citizen's
        admin_user = await User.get(phone=e164(ADMIN))
        seen = await AccessEntry.filter(citizen_id=user.id, actor_id=admin_user.id)  # on the citizen's record
        assert [(row.what, row.reason, row.actor_role) for row in seen] == [("account", "privacy.admin_closures",
                                                                             "admin")]
        # Not in one click: the administrator takes the request, then confirms on a page naming the citizen.
        assert "Take the request of Nguyễn Thị Lan" in listing.text
        assert "Close the account of Nguyễn Thị Lan" not in listing.text  # nobody took it yet
        untaken = await admin.post_form(f"/admin/closures/{request.id}/complete")
        assert untaken.status_code in (302, 303)
        assert (await ClosureRequest.get(id=request.id)).state is ClosureState.RECEIVED
        assert "Take this request before you close the account" in (await admin.get("/admin/closures")).text
        await admin.post_form(f"/admin/closures/{request.id}/take")
        assert await AccessEntry.filter(citizen_id=user.id, reason="privacy.admin_closure_take").count() == 1
        assert (await ClosureRequest.get(id=request.id)).handler_id == admin_user.id
        listing = (await admin.get("/admin/closures")).text
        assert f'href="/en/admin/closures/{request.id}/complete">Close the account of Nguyễn Thị Lan' in listing
        confirm = await admin.get(f"/admin/closures/{request.id}/complete")
        assert confirm.status_code == 200 and "<h1>Close the account of Nguyễn Thị Lan" in confirm.text
        assert f'action="/en/admin/closures/{request.id}/complete"' in confirm.text
        assert "Settled dossiers, their answers and documents" in confirm.text  # what is kept, before closing
        assert (await User.get(id=user.id)).closed_at is None  # looking is not closing
        done = await admin.post_form(f"/admin/closures/{request.id}/complete")
        assert done.status_code in (302, 303)
        assert "The account is closed" in (await admin.get("/admin/closures?state=done")).text

    request = await ClosureRequest.get(id=request.id)
    assert request.state is ClosureState.DONE and request.done_at and request.handler_id == admin_user.id
    closed = await User.get(id=user.id)
    assert closed.closed_at and not closed.active and closed.full_name == "" and closed.identity_number is None
    assert closed.language is None  # the language of the pages read goes with the person
    await remember_language(user, "km")  # a request that loaded the account before it was closed
    assert (await User.get(id=user.id)).language is None
    assert closed.phone != e164(LAN) and not await User.filter(phone=e164(LAN)).exists()
    # Kept: the settled dossier with its documents and result, the sign-in history within its period.
    kept = {line["kind"]: line for line in request.kept}
    assert {"settled_dossiers", "results", "sign_in_history"} <= set(kept)
    assert kept["settled_dossiers"]["until"] and kept["settled_dossiers"]["count"] == 1
    dossier = await Dossier.get(code=settled)
    assert dossier.applicant_id == user.id and await DossierDocument.filter(dossier_id=dossier.id).exists()
    assert await Result.filter(dossier_id=dossier.id).exists()
    assert await SignInEvent.filter(user_id=user.id).exists()
    assert not await SignInEvent.filter(id=old.id).exists()  # past its period
    # Erased: the draft and its files, devices, passkeys, the identity number.
    erased = {line["kind"]: line["count"] for line in request.erased}
    assert erased["drafts"] == 1 and erased["devices"] == 1 and erased["passkeys"] == 1 and erased["identity"] == 1
    assert not await Dossier.filter(code=draft).exists()
    for key in draft_files:
        assert not await portal.adapters.storage.exists(key)
    assert not await PushSubscription.filter(user_id=user.id).exists()
    assert not await Passkey.filter(user_id=user.id).exists()
    assert await Dossier.filter(code=theirs).exists()  # someone else's draft is not touched

    # The old session no longer opens anything; the number starts a new, empty account.
    assert (await lan.get("/my/data/close")).status_code in (302, 303, 401)
    await lan.sign_in(LAN)
    fresh = await User.get(phone=e164(LAN))
    assert fresh.id != user.id
    assert "Received" not in (await lan.get("/my/data/close")).text


async def test_a_request_waits_while_a_dossier_is_being_settled(portal):
    async with people(portal, LAN, OFFICER, ADMIN) as (lan, officer, admin):
        code = await drive(lan, officer, Status.IN_PROGRESS)
        await ask_to_close(lan)
        user = await User.get(phone=e164(LAN))
        request = await ClosureRequest.get(user_id=user.id)
        assert request.state is ClosureState.WAITING
        page = await lan.get("/my/data/close")
        assert "Waiting: a dossier is still being settled" in page.text
        assert f'<span lang="en">Birth registration</span> ({code})' in page.text  # which dossier, in words
        assert "Waiting: a dossier is still being settled" in (await lan.get("/my/data")).text  # /my/data says so
        await admin.post_form(f"/admin/closures/{request.id}/take")
        await admin.post_form(f"/admin/closures/{request.id}/complete")
        assert (await ClosureRequest.get(id=request.id)).state is ClosureState.WAITING
        assert "still being settled" in (await admin.get("/admin/closures")).text
        assert (await User.get(id=user.id)).closed_at is None  # nothing lost

        response = await take(lan, officer, code, "refuse")
        assert response.status_code == 200, response.text
        assert await closure.complete_due(portal.adapters.storage) == 1  # the worker's round
    request = await ClosureRequest.get(id=request.id)
    assert request.state is ClosureState.DONE  # by the worker, once the dossier was settled
    assert request.handler_id == (await User.get(phone=e164(ADMIN))).id  # still the person who handles it
    assert (await User.get(id=user.id)).closed_at is not None
    assert await Dossier.filter(code=code).exists()


async def test_the_worker_completes_a_request_when_due_and_a_withdrawn_one_never(portal):
    async with people(portal, LAN, MINH) as (lan, minh):
        await ask_to_close(lan)
        await ask_to_close(minh)
        withdrawn = await minh.post_form("/my/data/close/withdraw")
        assert withdrawn.status_code in (302, 303)
        assert "Your account stays open" in (await minh.get("/my/data/close")).text
        assert await closure.complete_due(portal.adapters.storage) == 0  # not due yet
        due = clock.now() + timedelta(days=rules().closure_due_days)
        assert await closure.complete_due(portal.adapters.storage, now=due) == 1
    lan_user = await User.get(phone__startswith="closed-")
    assert lan_user.closed_at is not None
    assert (await User.get(phone=e164(MINH))).closed_at is None
    states = sorted(r.state.value for r in await ClosureRequest.all())
    assert states == ["done", "withdrawn"]


async def test_two_requests_at_once_make_one(portal):
    """A double click or two tabs: both ask at the same moment, one request is made and both get it."""
    import asyncio

    async with people(portal, LAN) as (_lan,):
        user = await User.get(phone=e164(LAN))
        made = await asyncio.gather(*(closure.ask(user) for _ in range(3)))
    assert await ClosureRequest.filter(user_id=user.id).count() == 1
    assert sorted(new for _request, new in made) == [False, False, True]


async def test_only_the_administrator_who_took_a_request_closes_the_account(portal):
    async with people(portal, LAN, ADMIN) as (lan, admin):
        await ask_to_close(lan)
        user = await User.get(phone=e164(LAN))
        request = await ClosureRequest.get(user_id=user.id)
        other = await User.create(phone="84900000099", role=Role.ADMIN, full_name="Đỗ Văn Khác")
        await ClosureRequest.filter(id=request.id).update(handler_id=other.id)  # another administrator took it
        listing = (await admin.get("/admin/closures")).text
        assert "Take the request of" not in listing and "Close the account of" not in listing
        refused = await admin.get(f"/admin/closures/{request.id}/complete")
        assert refused.status_code in (302, 303)  # no confirmation page for someone else's request
        await admin.post_form(f"/admin/closures/{request.id}/complete")
        assert (await ClosureRequest.get(id=request.id)).state is ClosureState.RECEIVED
        assert (await User.get(id=user.id)).closed_at is None
        assert "only the administrator handling it can" in (await admin.get("/admin/closures")).text
