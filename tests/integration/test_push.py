"""Web Push end to end: the portal's worker sends with pywebpush to a push receiver on 127.0.0.1 that checks the
VAPID signature and decrypts each message (aes128gcm), as a phone's push service and browser do."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest

from backend.accounts.models import PushSubscription, User
from backend.core import clock
from backend.dossiers.constants import Status
from backend.dossiers.models import Dossier, NotificationOutbox
from backend.notifications.push import PublicOnlyResolver
from backend.notifications.runtime import outbox_worker
from backend.notifications.services import allowed_endpoint
from backend.notifications.worker import OutboxWorker, PeriodicJob
from backend.sandboxes.models import SandboxSms
from backend.sandboxes.push import PushReceiver
from tests.integration.helpers import drive, people, take
from tests.support import CITIZEN, OFFICER, Portal

pytestmark = pytest.mark.integration
LAN = "84" + CITIZEN[1:]


@pytest.fixture
async def receiver() -> AsyncIterator[PushReceiver]:
    service = await PushReceiver().start()
    yield service
    await service.stop()


@pytest.fixture
def settings(settings, receiver):
    """The demo portal takes local endpoints of its sandbox push service only: here, the receiver's."""
    return dataclasses.replace(settings, sandbox_push_url=f"{receiver.base_url}/push/")


@asynccontextmanager
async def worker_for(portal: Portal, **options) -> AsyncIterator[OutboxWorker]:
    settings = portal.settings
    async with outbox_worker(settings, portal.adapters.sms_gateway, []) as worker:
        for name, value in options.items():
            setattr(worker, name, value)
        yield worker


async def subscribe(citizen: Portal, receiver: PushReceiver, device: str):
    subscription = receiver.inbox.add(device).subscription(receiver.base_url)
    response = await citizen.api("POST", "/api/v1/push/subscriptions", json=subscription)
    assert response.status_code == 201, response.text
    return subscription


async def drain(worker: OutboxWorker, now=None) -> int:
    handled = 0
    while count := await worker.run_once(now):
        handled += count
    return handled


async def test_every_status_change_reaches_the_phone_decrypted_in_the_citizens_language(portal, receiver):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        await subscribe(citizen, receiver, "lan-phone")
        code = await drive(citizen, officer, Status.SUPPLEMENT_REQUESTED)
        assert (await take(citizen, officer, code, "resubmit")).status_code == 200
        assert (await take(citizen, officer, code, "approve")).status_code == 200
        async with worker_for(portal) as worker:
            assert await drain(worker) == 6  # submit, receive, supplement, resubmit, approve, result ready
    bodies = [m.payload["body"] for m in receiver.inbox.received]
    assert bodies == [
        "Your dossier has been sent. The agency will receive it soon.",
        "The agency has received your dossier and is processing it.",
        "The agency needs more from you. Open the dossier to see what to add.",
        "Your supplement has been sent to the agency.",
        "Your dossier has been approved.",
        "Your signed result is ready to download.",
    ], receiver.inbox.rejected
    first = receiver.inbox.received[0]
    assert first.payload == {"title": f"Dossier {code}", "body": bodies[0], "url": f"/en/my/dossiers/{code}",
                             "tag": f"dossier-{code}", "lang": "en"}, "nothing personal beyond what it shows"
    assert first.claims["sub"].startswith("mailto:") and first.claims["k"] == portal.adapters.vapid.public_key
    assert first.ttl > 0
    rows = await NotificationOutbox.filter(dossier__code=code)
    assert {(r.state, r.channel, r.attempts) for r in rows} == {("sent", "push", 1)}
    assert await SandboxSms.filter(to=LAN, text__contains=code).count() == 0, "push reached the phone: no SMS"


async def test_a_vietnamese_citizen_is_told_in_vietnamese(portal, receiver):
    await portal.sign_in(CITIZEN)
    await subscribe(portal, receiver, "lan-phone")
    code = await drive(portal, portal, Status.DRAFT)
    response = await portal.api("POST", f"/api/v1/dossiers/{code}/actions/submit",
                                json={"declaration": True, "result_form": "online"})
    assert response.status_code == 200, response.text
    await Dossier.filter(code=code).update(language="vi")  # the language is taken at submission: say Vietnamese
    async with worker_for(portal) as worker:
        await drain(worker)
    (message,) = receiver.inbox.received
    assert message.payload["lang"] == "vi" and message.payload["url"] == f"/vi/my/dossiers/{code}"
    assert message.payload["title"] != f"Dossier {code}" and code in message.payload["title"]


async def test_a_gone_subscription_is_removed_and_the_news_goes_by_sms(portal, receiver):
    await portal.sign_in(CITIZEN)
    await subscribe(portal, receiver, "old-phone")
    receiver.inbox.answers["old-phone"] = [410]
    code = await drive(portal, portal, Status.SUBMITTED)
    async with worker_for(portal) as worker:
        await drain(worker)
    assert await PushSubscription.all().count() == 0
    row = await NotificationOutbox.get(dossier__code=code)
    assert (row.state, row.channel) == ("sent", "sms") and "410" in row.last_error
    (sms,) = await SandboxSms.filter(to=LAN, text__contains=code)
    assert "Your dossier has been sent" in sms.text and f"/en/my/dossiers/{code}" in sms.text


async def test_a_citizen_without_devices_gets_an_sms(portal):
    await portal.sign_in(CITIZEN)
    code = await drive(portal, portal, Status.SUBMITTED)
    async with worker_for(portal) as worker:
        await drain(worker)
    assert await SandboxSms.filter(to=LAN, text__contains=code).count() == 1
    assert (await NotificationOutbox.get(dossier__code=code)).channel == "sms"


async def test_an_account_without_a_phone_is_not_texted_and_the_news_is_not_retried(portal):
    """A citizen who filed in person with a helper (issue 20) or a closed account: no number to text."""
    await portal.sign_in(CITIZEN)
    code = await drive(portal, portal, Status.SUBMITTED)
    await User.filter(phone=LAN).update(phone="id001060009999")
    async with worker_for(portal) as worker:
        await drain(worker)
    row = await NotificationOutbox.get(dossier__code=code)
    assert (row.state, row.channel, row.attempts) == ("sent", "none", 1)
    assert await SandboxSms.filter(text__contains=code).count() == 0


async def test_failures_are_retried_with_backoff_and_delivered_once(portal, receiver):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        await subscribe(citizen, receiver, "flaky")
        receiver.inbox.answers["flaky"] = [503, 500]
        code = await drive(citizen, officer, Status.SUBMITTED)
    now = clock.now()
    async with worker_for(portal) as worker:
        assert await worker.run_once(now) == 1
        row = await NotificationOutbox.get(dossier__code=code)
        assert (row.state, row.attempts) == ("pending", 1) and row.next_attempt_at > now
        assert await worker.run_once(now + timedelta(seconds=1)) == 0, "not due before the backoff"
        assert await worker.run_once(now + worker.retry_delay(1)) == 1
        assert await worker.run_once(now + worker.retry_delay(1) + worker.retry_delay(2)) == 1
        assert await drain(worker, now + timedelta(hours=2)) == 0
    row = await NotificationOutbox.get(dossier__code=code)
    assert (row.state, row.attempts, row.channel) == ("sent", 3, "push")
    assert len(receiver.inbox.received) == 1


async def test_a_receiver_down_for_a_while_loses_nothing_and_doubles_nothing(portal, receiver):
    async with people(portal, CITIZEN, OFFICER) as (citizen, officer):
        await subscribe(citizen, receiver, "lan-phone")
        await receiver.stop()  # the push service is unreachable: connections are refused
        codes = [await drive(citizen, officer, Status.IN_PROGRESS) for _ in range(3)]
    now = clock.now()
    async with worker_for(portal) as worker:
        assert await drain(worker, now) == 6
        assert await NotificationOutbox.filter(state="pending", attempts=1).count() == 6
        await receiver.start()  # back, on the same address
        assert await drain(worker, now + worker.retry_delay(1)) == 6
        assert await drain(worker, now + timedelta(days=1)) == 0
    assert await NotificationOutbox.filter(state="sent", channel="push").count() == 6
    tags = sorted(m.payload["tag"] for m in receiver.inbox.received)
    assert tags == sorted(f"dossier-{c}" for c in codes for _ in range(2)), "each change exactly once"


async def test_push_failing_past_the_last_attempt_falls_back_to_sms(portal, receiver):
    await portal.sign_in(CITIZEN)
    await subscribe(portal, receiver, "broken")
    receiver.inbox.answers["broken"] = [500] * 10
    code = await drive(portal, portal, Status.SUBMITTED)
    later = clock.now()
    async with worker_for(portal, max_attempts=3) as worker:
        for _ in range(3):
            later += timedelta(hours=2)
            await drain(worker, later)
    row = await NotificationOutbox.get(dossier__code=code)
    assert (row.state, row.channel, row.attempts) == ("sent", "sms", 3)
    assert await SandboxSms.filter(to=LAN, text__contains=code).count() == 1
    assert await PushSubscription.all().count() == 1, "a temporary failure does not remove the device"


def _slowed(deliver):
    async def slow(row, now):
        await asyncio.sleep(0.02)
        await deliver(row, now)

    return slow


async def test_two_workers_never_send_the_same_notification(portal, receiver):
    await portal.sign_in(CITIZEN)
    await subscribe(portal, receiver, "lan-phone")
    user = await User.get(phone=LAN)
    dossier = await Dossier.get(code=await drive(portal, portal, Status.DRAFT))
    await Dossier.filter(id=dossier.id).update(language="en")  # a draft's language is set when it is sent
    await NotificationOutbox.bulk_create([
        NotificationOutbox(dossier=dossier, recipient=user, event="receive", payload={"code": f"X{n}"})
        for n in range(60)
    ])
    async with worker_for(portal, batch=7, name="one") as one, worker_for(portal, batch=7, name="two") as two:
        # Each delivery takes a moment, as a real push service's answer does: on a busy machine one worker could
        # otherwise drain all 60 before the other's first claim, and the test would prove nothing about two.
        for worker in (one, two):
            worker.deliver = _slowed(worker.deliver)
        counts = await asyncio.gather(drain(one), drain(two))
    assert sum(counts) == 60 and all(counts), counts
    assert sorted(m.payload["title"] for m in receiver.inbox.received) == sorted(f"Dossier X{n}" for n in range(60))


async def test_subscriptions_are_the_citizens_to_add_and_remove(portal, receiver):
    await portal.sign_in(CITIZEN)
    subscription = await subscribe(portal, receiver, "lan-phone")
    page = await portal.get("/account")
    assert "Notifications" in page.text and "Get notifications on this device" in page.text
    row = await PushSubscription.get(endpoint=subscription["endpoint"])
    assert f"/account/notifications/{row.id}/remove" in page.text
    bad = dict(subscription, endpoint="ftp://push.example/1")
    response = await portal.api("POST", "/api/v1/push/subscriptions", json=bad)
    assert response.status_code == 400 and "cannot send notifications" in response.json()["error"]
    short = {**subscription, "keys": {**subscription["keys"], "auth": "AAAA"}}
    assert (await portal.api("POST", "/api/v1/push/subscriptions", json=short)).status_code == 400
    response = await portal.api("DELETE", "/api/v1/push/subscriptions", json={"endpoint": subscription["endpoint"]})
    assert response.json()["removed"] is True
    assert await PushSubscription.all().count() == 0
    await subscribe(portal, receiver, "again")
    row = await PushSubscription.get()
    response = await portal.post_form(f"/account/notifications/{row.id}/remove")
    assert response.status_code in (302, 303) and await PushSubscription.all().count() == 0
    key = (await portal.get("/api/v1/push/key")).json()["public_key"]
    assert key == portal.adapters.vapid.public_key and len(key) == 87


async def test_subscribing_needs_a_signed_in_citizen(portal, receiver):
    subscription = receiver.inbox.add("anon").subscription(receiver.base_url)
    response = await portal.api("POST", "/api/v1/push/subscriptions", json=subscription)
    assert response.status_code == 401
    assert json.loads(response.text)


async def test_only_the_browsers_push_services_are_accepted(portal, receiver):
    await portal.sign_in(CITIZEN)
    keys = receiver.inbox.add("keys").subscription(receiver.base_url)["keys"]
    for endpoint, expected in (
        ("https://fcm.googleapis.com/fcm/send/abc:def", 201),
        ("https://updates.push.services.mozilla.com/wpush/v2/gAAAA", 201),
        ("https://web.push.apple.com/QGu7", 201),
        ("https://10.0.0.1/push", 400),
        ("https://fcm.googleapis.com.attacker.example/push", 400),
        ("https://user@fcm.googleapis.com/fcm/send/x", 400),
        ("http://fcm.googleapis.com/fcm/send/x", 400),
        ("file:///etc/passwd", 400),
    ):
        response = await portal.api("POST", "/api/v1/push/subscriptions", json={"endpoint": endpoint, "keys": keys})
        assert response.status_code == expected, (endpoint, response.text)
    sandbox = "http://localhost:8000/sandbox/push/"
    assert not allowed_endpoint("http://127.0.0.1:8000/sandbox/push/x", demo=False, sandbox=sandbox), "demo only"
    assert allowed_endpoint("http://127.0.0.1:8000/sandbox/push/x", demo=True, sandbox=sandbox)
    assert allowed_endpoint("https://push.gov.example/x", demo=False, extra_hosts=("push.gov.example",))


async def test_ten_devices_at_most(portal, receiver):
    await portal.sign_in(CITIZEN)
    subscriptions = [await subscribe(portal, receiver, f"phone-{n}") for n in range(10)]
    eleventh = receiver.inbox.add("phone-10").subscription(receiver.base_url)
    response = await portal.api("POST", "/api/v1/push/subscriptions", json=eleventh)
    assert response.status_code == 400 and "Ten devices" in response.json()["error"]
    again = await portal.api("POST", "/api/v1/push/subscriptions", json=subscriptions[0])
    assert again.status_code == 201, "a device already on the list can subscribe again"


async def test_the_sender_never_connects_to_a_private_address():
    resolver = PublicOnlyResolver(allow_loopback=False)
    try:
        with pytest.raises(OSError, match="no public address"):
            await resolver.resolve("localhost", 80)
    finally:
        await resolver.close()
    permissive = PublicOnlyResolver(allow_loopback=True)
    try:
        assert await permissive.resolve("localhost", 80)
    finally:
        await permissive.close()


async def test_the_worker_runs_its_periodic_jobs_beside_the_deliveries(portal):
    runs: list[str] = []

    async def slow_job() -> None:
        runs.append("job")
        await asyncio.sleep(0.5)  # a slow gateway: the notifications must not wait for it

    stop = asyncio.Event()
    async with worker_for(portal, jobs=[PeriodicJob("slow", timedelta(hours=1), slow_job)]) as worker:
        task = asyncio.create_task(worker.run_forever(stop, idle=0.05))
        await asyncio.sleep(0.3)
        stop.set()
        await asyncio.wait_for(task, timeout=5)
    assert runs == ["job"], "once per period"


async def test_a_push_service_that_redirects_is_not_followed(portal, receiver):
    from aiohttp import web

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect(f"{receiver.base_url}/push/inside")

    app = web.Application()
    app.router.add_post("/push/{name}", redirect)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        await portal.sign_in(CITIZEN)
        port = runner.addresses[0][1]
        device = receiver.inbox.add("inside").subscription(receiver.base_url)
        device["endpoint"] = f"http://127.0.0.1:{port}/push/outside"
        # The API takes no such endpoint (not the sandbox's port); stored directly, as a push service's would be.
        assert (await portal.api("POST", "/api/v1/push/subscriptions", json=device)).status_code == 400
        await PushSubscription.create(user=await User.get(phone=LAN), endpoint=device["endpoint"], **device["keys"])
        code = await drive(portal, portal, Status.SUBMITTED)
        async with worker_for(portal) as worker:
            await drain(worker)
    finally:
        await runner.cleanup()
    assert receiver.inbox.received == [], "the redirect was not followed"
    row = await NotificationOutbox.get(dossier__code=code)
    assert row.channel == "sms" and "redirected" in row.last_error


async def test_signing_out_everywhere_stops_every_devices_notifications(portal, receiver):
    await portal.sign_in(CITIZEN)
    for device in ("phone", "tablet"):
        await subscribe(portal, receiver, device)
    response = await portal.post_form("/account/sign-out-everywhere")
    assert response.status_code == 200
    assert await PushSubscription.all().count() == 0
