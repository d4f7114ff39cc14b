"""Signing in with a one-time code sent by SMS: the gateway, the limits, the redirects, CSRF."""

import dataclasses
import html
import re
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from backend.accounts.models import OneTimeCode, User
from backend.accounts.services import SignInError, verify_code
from backend.app import create_app
from backend.core import clock
from backend.sandboxes.models import SandboxSms
from tests.integration.helpers import without_csrf
from tests.support import CITIZEN, OFFICER, served

pytestmark = pytest.mark.integration
UNKNOWN = "0934567890"  # no account yet
WRONG = "The code is wrong or has expired"


def international(phone: str) -> str:
    return "84" + phone[1:]


async def ask_for_code(portal, phone: str, **extra) -> httpx.Response:
    return await portal.post_form("/sign-in", {"phone": phone, **extra})


async def enter_code(portal, code: str, **extra) -> httpx.Response:
    return await portal.post_form("/sign-in/code", {"code": code, **extra})


async def wrong_code(portal, phone: str) -> str:
    right = await portal.last_code(phone)
    return f"{(int(right) + 1) % 1_000_000:06d}"


async def is_signed_in(portal) -> bool:
    return (await portal.get("/my/dossiers")).status_code == 200


async def test_the_code_goes_through_the_sandbox_gateway(portal):
    response = await ask_for_code(portal, "0912 345 678")
    assert response.status_code in (302, 303) and response.headers["location"] == "/en/sign-in/code"
    outbox = (await portal.get("/dev/outbox.json", params={"to": international(CITIZEN)})).json()
    assert len(outbox) == 1
    assert re.search(r"\b\d{6}\b", outbox[0]["text"]), outbox[0]["text"]
    stored = await SandboxSms.get(to=international(CITIZEN))
    assert stored.text == outbox[0]["text"]
    assert CITIZEN in (await portal.get("/dev/outbox")).text
    code_page = await portal.get("/sign-in/code")
    assert code_page.status_code == 200 and CITIZEN in code_page.text
    signed = await enter_code(portal, await portal.last_code(CITIZEN))
    assert signed.status_code in (302, 303) and signed.headers["location"] == "/en/my/dossiers"
    assert await is_signed_in(portal)


async def test_the_answer_is_the_same_whether_or_not_the_number_has_an_account(portal):
    seen = []
    for phone in (CITIZEN, UNKNOWN):
        portal.client.cookies.clear()
        response = await ask_for_code(portal, phone)
        page = await portal.get("/sign-in/code")
        seen.append((response.status_code, response.headers.get("location"), page.status_code,
                     without_csrf(page.text).replace(phone, "PHONE")))
    assert seen[0] == seen[1]
    assert await SandboxSms.filter(to=international(UNKNOWN)).count() == 1, "an unknown number gets a code too"
    assert not await User.exists(phone=international(UNKNOWN)), "no account before the code is entered"
    assert (await enter_code(portal, await portal.last_code(UNKNOWN))).status_code in (302, 303)
    assert (await User.get(phone=international(UNKNOWN))).role == "citizen"


@pytest.mark.parametrize("raw", ["0212 345 678", "12345", "abc", "+1 202 555 0100", ""])
async def test_a_number_that_is_not_a_vietnamese_mobile_is_refused(portal, raw):
    response = await ask_for_code(portal, raw)
    assert response.status_code == 400
    assert "Enter a Vietnamese mobile number" in response.text and 'id="phone-error"' in response.text
    assert await SandboxSms.all().count() == 0


async def test_a_wrong_code_is_refused(portal):
    await ask_for_code(portal, CITIZEN)
    response = await enter_code(portal, await wrong_code(portal, CITIZEN))
    assert response.status_code == 400
    assert WRONG in html.unescape(response.text) and 'id="code-error"' in response.text
    assert (await OneTimeCode.get(phone=international(CITIZEN))).attempts == 1
    assert not await is_signed_in(portal)


async def test_after_too_many_wrong_codes_even_the_right_one_is_refused(portal, settings):
    await ask_for_code(portal, CITIZEN)
    bad = await wrong_code(portal, CITIZEN)
    for _ in range(settings.otp_max_attempts):
        assert (await enter_code(portal, bad)).status_code == 400
    response = await enter_code(portal, await portal.last_code(CITIZEN))
    assert response.status_code == 400 and "Too many wrong codes" in response.text
    assert not await is_signed_in(portal)


async def test_an_expired_code_is_refused(portal):
    await ask_for_code(portal, CITIZEN)
    await OneTimeCode.filter(phone=international(CITIZEN)).update(expires_at=clock.now() - timedelta(seconds=1))
    response = await enter_code(portal, await portal.last_code(CITIZEN))
    assert response.status_code == 400 and WRONG in html.unescape(response.text)
    assert not await is_signed_in(portal)


async def test_no_more_than_five_codes_an_hour(portal, settings):
    for _ in range(settings.otp_max_sends_per_hour):
        assert (await ask_for_code(portal, CITIZEN)).status_code in (302, 303)
    response = await ask_for_code(portal, CITIZEN)
    assert response.status_code == 429
    assert "Too many codes were sent to this number" in response.text
    assert await SandboxSms.filter(to=international(CITIZEN)).count() == settings.otp_max_sends_per_hour
    assert (await ask_for_code(portal, OFFICER)).status_code in (302, 303), "the limit is per number"


async def test_only_the_latest_code_works(portal):
    await ask_for_code(portal, CITIZEN)
    first = await portal.last_code(CITIZEN)
    await ask_for_code(portal, CITIZEN)
    second = await portal.last_code(CITIZEN)
    if first != second:
        assert (await enter_code(portal, first)).status_code == 400
    assert (await enter_code(portal, second)).status_code in (302, 303)


async def test_a_code_works_only_once(portal, settings):
    await ask_for_code(portal, CITIZEN)
    code = await portal.last_code(CITIZEN)
    assert (await enter_code(portal, code)).status_code in (302, 303)
    with pytest.raises(SignInError):
        await verify_code(international(CITIZEN), code, settings)
    # Through the pages too: a later sign-in cannot reuse it.
    await portal.sign_out()
    await ask_for_code(portal, CITIZEN)
    if await portal.last_code(CITIZEN) != code:
        assert (await enter_code(portal, code)).status_code == 400


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "http://evil.example/x",
                                    "javascript:alert(1)"])
async def test_next_only_goes_to_a_local_path(portal, target):
    form = await portal.get("/sign-in", params={"next": target})
    assert 'name="next" value=""' in form.text
    asked = await ask_for_code(portal, CITIZEN, next=target)
    assert asked.headers["location"] == "/en/sign-in/code"
    signed = await enter_code(portal, await portal.last_code(CITIZEN), next=target)
    assert signed.status_code in (302, 303)
    assert signed.headers["location"] == "/en/my/dossiers"


@pytest.mark.parametrize("target", ["/\\evil.example", "/\\/evil.example", "\\\\evil.example"])
async def test_a_backslash_does_not_lead_off_the_portal(portal, target):
    """Browsers read "\\" as "/" in a Location header: "/\\evil.example" would be "//evil.example"."""
    await ask_for_code(portal, CITIZEN, next=target)
    signed = await enter_code(portal, await portal.last_code(CITIZEN), next=target)
    assert signed.status_code in (302, 303)
    resolved = urljoin("http://portal.local/sign-in/code", signed.headers["location"].replace("\\", "/"))
    assert urlsplit(resolved).netloc == "portal.local", signed.headers["location"]


@pytest.mark.parametrize("target", ["/desk?view=overdue", "/desk?view=settled&page=2"])
async def test_next_brings_you_back_where_you_were(portal, target):
    """The whole chain a browser follows: the sign-in page, the code page, then the page asked for."""
    form = await portal.get("/sign-in", params={"next": target})
    assert f'name="next" value="{html.escape(target)}"' in form.text
    asked = await ask_for_code(portal, OFFICER, next=target)
    assert asked.status_code in (302, 303)
    code_page = await portal.get(asked.headers["location"])
    carried = html.unescape(re.search(r'name="next" value="([^"]*)"', code_page.text).group(1))
    assert carried == target
    signed = await enter_code(portal, await portal.last_code(OFFICER), next=carried)
    assert signed.headers["location"] == f"/en{target}"


async def test_the_outbox_and_the_sandboxes_exist_only_in_demo_mode(settings, tmp_path):
    quiet = dataclasses.replace(
        settings, demo_mode=False, data_dir=tmp_path / "production",
        sms_gateway_url="https://sms.example.vn", registry_url="https://registry.example.vn",
        payment_gateway_url="https://pay.example.vn", payment_hash_secret="a-real-secret-from-the-payment-gateway",
        postal_service_url="https://post.example.vn", postal_webhook_secret="a-real-secret-from-the-post-office",
        postal_api_key="a-real-key-from-the-post", sms_api_key="a-real-sms-key", registry_api_key="a-real-registry-key",
        base_url="https://dichvucong.example.vn", secure_cookies=True, secret_key="s" * 32,
        vapid_private_key_file=tmp_path / "vapid.pem",
    )
    async with served(quiet) as (_, client):
        assert (await client.get("/dev/outbox")).status_code == 404
        assert (await client.get("/dev/outbox.json")).status_code == 404
        assert "/dev/outbox.json" not in (await client.get("/schema/openapi.json")).json()["paths"]
        assert (await client.get("/healthz")).status_code == 200
        for sandbox in ("/sandbox/payment/paymentv2/vpcpay.html", "/sandbox/postal/courier"):
            assert (await client.get(sandbox)).status_code == 404, sandbox


def test_outside_demo_mode_the_sandbox_services_and_secrets_are_refused(settings):
    quiet = dataclasses.replace(settings, demo_mode=False, payment_gateway_url="https://pay.example.vn")
    with pytest.raises(ValueError) as refused:
        create_app(quiet)
    message = str(refused.value)
    assert "SMS_GATEWAY_URL is not set" in message and "PAYMENT_GATEWAY_URL" not in message
    assert "PAYMENT_HASH_SECRET is the sandbox secret" in message
    assert "POSTAL_WEBHOOK_SECRET is the sandbox secret" in message and "POSTAL_SERVICE_URL is empty" in message


async def test_a_form_without_its_csrf_token_is_refused(portal):
    await portal.get("/")
    response = await portal.client.post("/sign-in", data={"phone": CITIZEN})
    assert response.status_code == 403
    assert "This form had expired" in response.text
    assert await SandboxSms.all().count() == 0
    forged = await portal.client.post("/sign-in", data={"phone": CITIZEN, "_csrf_token": "forged"})
    assert forged.status_code == 403
    assert (await ask_for_code(portal, CITIZEN)).status_code in (302, 303), "with the token it works"


async def test_an_api_call_without_the_csrf_header_is_refused(portal):
    await portal.sign_in(CITIZEN)
    response = await portal.client.post("/api/v1/dossiers/HS-000000-AAAAAA/actions/withdraw", json={})
    assert response.status_code == 403
