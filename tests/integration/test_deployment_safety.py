"""Issue 14, findings 4, 8, 10, 11, 13 and 15: demo mode kept to this machine, production settings checked at
startup, one key per purpose, sessions only when needed and purged, push endpoints owned, private pages not
cached, the CSRF token renewed at sign-in, 405 with Allow."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import httpx
import pytest
from litestar.middleware.csrf import generate_csrf_token
from tortoise import connections

from backend import manage
from backend.accounts.models import OneTimeCode, PushSubscription, SessionRecord, User
from backend.app import create_app
from backend.core import clock
from backend.core.keys import CSRF, HANDOVER_CODES, PASSKEY_HANDLES, USER_TAGS, derive_key
from backend.deployment import UnsafeSettings, demo_exposure_warning, listen_host, problems
from backend.dossiers.constants import Status
from backend.dossiers.models import DossierDocument, NotificationOutbox
from backend.notifications.housekeeping import LOCK, exclusive, lock_key, purge_expired
from backend.sandboxes.push import SandboxDevice
from backend.settings import Settings
from tests.integration.helpers import BIRTH, drive, people
from tests.support import CITIZEN, ENGLISH, OTHER_CITIZEN, Portal, fill_draft

pytestmark = pytest.mark.integration


def production(tmp_path, **changes) -> Settings:
    """Settings a deployer could start the portal with."""
    ready = Settings(
        data_dir=tmp_path, base_url="https://dichvucong.example.vn", secure_cookies=True, secret_key="k" * 40,
        sms_gateway_url="https://sms.example.vn", sms_api_key="real-sms-key",
        registry_url="https://registry.example.vn", registry_api_key="real-registry-key",
        payment_gateway_url="https://pay.example.vn", payment_hash_secret="a-real-secret-from-the-payment-gateway",
        postal_service_url="https://post.example.vn", postal_api_key="real-postal-key",
        postal_webhook_secret="a-real-secret-from-the-post-office", vapid_private_key_file=tmp_path / "vapid.pem",
    )
    return dataclasses.replace(ready, **changes)


def browser_at(portal: Portal, address: str) -> Portal:
    """Another browser on the same portal, connecting from ``address``."""
    transport = httpx.ASGITransport(app=portal.app, client=(address, 50000))
    return Portal(httpx.AsyncClient(transport=transport, base_url=portal.client.base_url, headers=ENGLISH), portal.app)


# --- Finding 4: demo mode is this machine's ---------------------------------------------------------------------


async def test_the_demo_outbox_and_sandboxes_answer_only_this_machine(portal):
    await portal.post_form("/sign-in", {"phone": CITIZEN})  # a code in the outbox, sent through the SMS sandbox
    outsider = browser_at(portal, "203.0.113.7")
    try:
        for path in ("/dev/outbox.json", "/dev/outbox", "/sandbox/postal/courier",
                     "/sandbox/payment/paymentv2/vpcpay.html"):
            response = await outsider.client.get(path)
            assert response.status_code == 404, path
            assert CITIZEN[1:] not in response.text
        refused = await outsider.client.post("/sandbox/sms/v1/messages", json={"to": "84912345678", "text": "x"})
        assert refused.status_code == 404
        assert (await outsider.get("/procedures")).status_code == 200, "the portal itself answers anyone"
    finally:
        await outsider.client.aclose()
    assert (await portal.client.get("/dev/outbox.json")).status_code == 200, "this machine still reads it"
    await portal.sign_in(CITIZEN)  # and the portal's adapters still reach their sandboxes


def test_demo_mode_listens_on_this_machine_unless_told_otherwise(tmp_path, monkeypatch, capsys):
    demo = Settings(demo_mode=True, secret_key="x")
    assert listen_host(demo, {}) == "127.0.0.1"
    assert listen_host(production(tmp_path), {}) == "0.0.0.0"
    assert demo_exposure_warning(demo, "127.0.0.1") is None and demo_exposure_warning(demo, "::1") is None
    assert demo_exposure_warning(production(tmp_path), "0.0.0.0") is None
    warning = demo_exposure_warning(demo, "0.0.0.0")
    assert warning and len(warning.splitlines()) >= 4 and "0.0.0.0" in warning

    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    for name in ("HOST", "SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DEMO_MODE", "1")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    manage.main(["serve"])
    assert calls[-1]["host"] == "127.0.0.1"
    assert "DEMO MODE" not in capsys.readouterr().err
    monkeypatch.setenv("HOST", "0.0.0.0")
    manage.main(["serve"])
    assert calls[-1]["host"] == "0.0.0.0"
    assert "DEMO MODE IS LISTENING ON 0.0.0.0" in capsys.readouterr().err


# --- Finding 13: production settings are checked, every problem at once ---------------------------------------


def test_outside_demo_mode_startup_names_every_unsafe_setting(tmp_path):
    assert problems(production(tmp_path)) == []
    create_app(production(tmp_path))  # starts

    bare = Settings.from_env({"DATA_DIR": str(tmp_path / "bare")})
    assert bare.secret_key == "" and not (tmp_path / "bare" / "secret_key").exists(), "no secret made up"
    with pytest.raises(UnsafeSettings) as refused:
        create_app(bare)
    message = str(refused.value)
    for expected in ("SMS_GATEWAY_URL is not set", "REGISTRY_URL is not set", "SMS_API_KEY is the sandbox key",
                     "REGISTRY_API_KEY is the sandbox key", "SECURE_COOKIES is off", "SECRET_KEY is not set",
                     "VAPID_PRIVATE_KEY_FILE is not set", "BASE_URL does not start with https://",
                     "PAYMENT_HASH_SECRET is the sandbox secret", "POSTAL_WEBHOOK_SECRET is the sandbox secret"):
        assert expected in message, expected
    assert len(message.splitlines()) > 10, "one problem a line"

    plain = production(tmp_path, sms_gateway_url="http://sms.example.vn", registry_url="http://registry.example.vn",
                       secret_key="short")
    found = problems(plain)
    assert any(p.startswith("SMS_GATEWAY_URL does not start with https://") for p in found)
    assert any(p.startswith("REGISTRY_URL does not start with https://") for p in found)
    assert any("SECRET_KEY is shorter" in p for p in found)


def test_the_worker_refuses_unsafe_settings_too(tmp_path, monkeypatch):
    for name in ("DEMO_MODE", "SECRET_KEY", "SMS_GATEWAY_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    with pytest.raises(UnsafeSettings, match="SECRET_KEY is not set"):
        manage.main(["worker"])


# --- Finding 13: one key per purpose -----------------------------------------------------------------------------


async def test_each_purpose_has_its_own_key_and_csrf_uses_its_own(portal):
    secret = portal.settings.secret_key
    keys = {purpose: derive_key(secret, purpose) for purpose in (CSRF, HANDOVER_CODES, PASSKEY_HANDLES, USER_TAGS)}
    assert len(set(keys.values())) == 4 and all(len(k) == 32 for k in keys.values())
    assert secret.encode() not in keys.values()
    assert derive_key(secret, CSRF) == keys[CSRF], "the same key after a restart"
    assert derive_key(secret + "x", CSRF) != keys[CSRF]

    # A token signed with SECRET_KEY itself is refused: CSRF tokens are signed with the CSRF key.
    raw = generate_csrf_token(secret)
    portal.client.cookies.set("portal_csrf", raw)
    refused = await portal.client.post("/en/sign-in", data={"phone": CITIZEN, "_csrf_token": raw})
    assert refused.status_code == 403
    derived = generate_csrf_token(keys[CSRF].hex())
    portal.client.cookies.set("portal_csrf", derived)
    taken = await portal.client.post("/en/sign-in", data={"phone": CITIZEN, "_csrf_token": derived})
    assert taken.status_code in (302, 303)


# --- Finding 11: sessions only when something is kept; housekeeping ---------------------------------------------


async def test_pages_seen_without_signing_in_write_no_session(portal):
    for path in ("/", "/procedures", "/sign-in", "/track", "/accessibility", "/sign-in/code"):
        response = await portal.get(path)
        assert response.status_code in (200, 302), path
        assert "portal_session" not in response.headers.get("set-cookie", ""), path
    assert await SessionRecord.all().count() == 0
    assert not portal.client.cookies.get("portal_session")
    assert portal.client.cookies.get("portal_csrf"), "forms still carry a CSRF token"

    await portal.sign_in(CITIZEN)  # the forms work without a session row
    assert await SessionRecord.all().count() == 1
    await portal.post_form("/sign-out")
    assert await SessionRecord.all().count() == 0


async def test_housekeeping_deletes_what_expired_and_only_that(portal):
    now = clock.now()
    await SessionRecord.create(key="old", value=b"{}", expires_at=now - timedelta(minutes=1))
    await SessionRecord.create(key="live", value=b"{}", expires_at=now + timedelta(hours=1))
    old_code = await OneTimeCode.create(phone="84912345678", code_hash="x", expires_at=now)
    await OneTimeCode.filter(id=old_code.id).update(created_at=now - timedelta(days=2))
    recent = await OneTimeCode.create(phone="84912345678", code_hash="y", expires_at=now - timedelta(minutes=1))
    async with people(portal, CITIZEN, "0901000001") as (citizen, officer):
        await drive(citizen, officer, Status.SUBMITTED)
    rows = await NotificationOutbox.all().order_by("id")
    assert rows
    await NotificationOutbox.filter(id=rows[0].id).update(state="sent", sent_at=now - timedelta(days=31))
    await SessionRecord.filter(key__not_in=["old", "live"]).delete()

    # Another process holds the lock: this one skips the round and deletes nothing.
    if connections.get("default").capabilities.dialect == "postgres":
        import asyncpg

        url = portal.settings.database_url.replace("postgres://", "postgresql://", 1)
        other = await asyncpg.connect(url)
        try:
            await other.execute("SELECT pg_advisory_lock($1)", lock_key(LOCK))
            assert await purge_expired(now) is None
        finally:
            await other.close()
    else:
        async with exclusive(LOCK) as held:
            assert held is not None
            assert await purge_expired(now) is None
    assert await SessionRecord.exists(key="old")

    purged = []
    counts = await purge_expired(now, [("other table", lambda when: _record(purged, when))])
    assert counts == {"sessions": 1, "sign-in codes": 1, "sent notifications": 1, "other table": 7}
    assert purged == [now]
    assert await SessionRecord.filter(key="live").exists() and not await SessionRecord.exists(key="old")
    assert await OneTimeCode.filter(id=recent.id).exists(), "codes of the last day count against the limits"
    assert await NotificationOutbox.all().count() == len(rows) - 1


async def _record(calls: list, when) -> int:
    calls.append(when)
    return 7


async def test_the_worker_runs_the_housekeeping(portal):
    from backend.notifications.runtime import periodic_jobs

    await SessionRecord.create(key="old", value=b"{}", expires_at=clock.now() - timedelta(minutes=1))
    async with httpx.AsyncClient() as client:
        job = next(j for j in periodic_jobs(portal.settings, client) if j.name == "housekeeping")
    counts = await job.run()
    assert counts["sessions"] == 1 and "rate-limit counters" in counts and "idempotency keys" in counts


# --- Finding 10: a push endpoint belongs to one account ---------------------------------------------------------


async def test_one_accounts_device_cannot_be_taken_by_another(portal):
    phone = SandboxDevice.derived("shared-phone", "t").subscription("http://localhost:8000/sandbox/push")
    async with people(portal, CITIZEN, OTHER_CITIZEN) as (lan, binh):
        assert (await lan.api("POST", "/api/v1/push/subscriptions", json=phone)).status_code == 201
        taken = await binh.api("POST", "/api/v1/push/subscriptions", json=phone)
        assert taken.status_code == 409 and "another account" in taken.json()["error"]
        row = await PushSubscription.get(endpoint=phone["endpoint"])
        assert row.user_id == (await User.get(phone="84" + CITIZEN[1:])).id, "still Lan's"
        assert (await lan.api("POST", "/api/v1/push/subscriptions", json=phone)).status_code == 201, "hers again"
        # Lan signs out on that phone (the page unsubscribes it): then Binh may turn notifications on.
        await lan.api("DELETE", "/api/v1/push/subscriptions", json={"endpoint": phone["endpoint"]})
        assert (await binh.api("POST", "/api/v1/push/subscriptions", json=phone)).status_code == 201


async def test_in_demo_mode_a_local_endpoint_is_the_sandbox_push_service_only(portal):
    keys = SandboxDevice.derived("d", "t").subscription("http://localhost:8000/sandbox/push")["keys"]
    await portal.sign_in(CITIZEN)
    for endpoint, expected in (
        ("http://localhost:8000/sandbox/push/push/d", 201),
        ("http://127.0.0.1:8000/sandbox/push/push/e", 201),
        ("http://127.0.0.1:6379/sandbox/push/push/d", 400),
        ("http://127.0.0.1:8000/dev/outbox", 400),
        ("http://127.0.0.1:8000/sandbox/push/../../admin", 400),
        ("http://localhost:5432/", 400),
    ):
        response = await portal.api("POST", "/api/v1/push/subscriptions", json={"endpoint": endpoint, "keys": keys})
        assert response.status_code == expected, (endpoint, response.text)


# --- Findings 8 and 15: private pages not cached, CSRF renewed at sign-in, 405 with Allow -------------------------


async def test_personal_pages_are_not_stored_by_caches_public_ones_are_left_alone(portal):
    for path in ("/", "/procedures"):
        assert "no-store" not in (await portal.get(path)).headers.get("cache-control", ""), path
    await portal.sign_in(CITIZEN)
    code = await fill_draft(portal, BIRTH)
    document = await DossierDocument.filter(dossier__code=code).first()
    for path in ("/my/dossiers", f"/my/dossiers/{code}", "/account", f"/dossiers/{code}/files/{document.id}"):
        response = await portal.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store", path
    static = await portal.client.get("/static/css/portal.css")
    assert "no-store" not in static.headers.get("cache-control", ""), "the same file for everyone"


async def test_signing_in_renews_the_csrf_token_and_old_forms_say_they_expired(portal):
    await portal.post_form("/sign-in", {"phone": CITIZEN})
    before = portal.csrf()
    await portal.post_form("/sign-in/code", {"code": await portal.last_code(CITIZEN)})
    after = portal.csrf()
    assert after != before
    stale = await portal.client.post("/en/sign-out", data={"_csrf_token": before})
    assert stale.status_code == 403 and "This form had expired" in stale.text
    assert (await portal.get("/account")).status_code == 200, "still signed in"
    fresh = await portal.get("/account")
    assert after in fresh.text, "pages now carry the new token"


async def test_a_method_not_allowed_says_which_are(portal):
    for path in ("/en/procedures", "/api/v1/procedures"):
        response = await portal.client.delete(path)
        assert response.status_code == 405, path
        assert "GET" in response.headers["allow"], path
