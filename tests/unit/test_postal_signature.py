"""The postal webhook's signature: HMAC-SHA256 over "<timestamp>.<body>", refused when stale or forged."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import json

import httpx
import pytest

from backend.delivery.codes import code_matches, handover_code, hash_code, new_hash
from backend.delivery.postal import (
    MAX_SKEW_SECONDS,
    HttpPostalService,
    Shipment,
    insecure_settings,
    signature,
    verify_signature,
)
from backend.settings import Settings

pytestmark = pytest.mark.unit

SECRET, BODY, NOW = "shared-secret", b'{"stage":"accepted"}', 1_780_000_000


def test_signature_is_the_documented_hmac() -> None:
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature(SECRET, str(NOW), BODY) == f"v1={expected}"


def test_a_genuine_fresh_request_passes() -> None:
    assert verify_signature(SECRET, str(NOW), signature(SECRET, str(NOW), BODY), BODY, NOW + 5) is None


@pytest.mark.parametrize(
    ("timestamp", "signed", "body", "now"),
    [
        (str(NOW), signature("other-secret", str(NOW), BODY), BODY, NOW),  # wrong secret
        (str(NOW), signature(SECRET, str(NOW), BODY), BODY + b" ", NOW),  # body changed
        (str(NOW), signature(SECRET, str(NOW - 1), BODY), BODY, NOW),  # timestamp changed
        (str(NOW), signature(SECRET, str(NOW), BODY), BODY, NOW + MAX_SKEW_SECONDS + 1),  # replayed later
        (None, signature(SECRET, str(NOW), BODY), BODY, NOW),  # header missing
        ("soon", "v1=00", BODY, NOW),
        (str(NOW), "v1=" + "é" * 64, BODY, NOW),  # not ASCII: compare_digest would raise TypeError
        (str(NOW), "v1=" + "0" * 63, BODY, NOW),  # not 64 hex digits
        (str(NOW), signature(SECRET, str(NOW), BODY).replace("v1=", "v2="), BODY, NOW),
    ],
)
def test_forged_or_stale_requests_are_refused(timestamp, signed, body, now) -> None:
    assert verify_signature(SECRET, timestamp, signed, body, now) is not None


def test_no_secret_refuses_everything() -> None:
    assert verify_signature("", str(NOW), signature("", str(NOW), BODY), BODY, NOW) is not None


async def test_handover_code_six_digits_hash_only() -> None:
    code = handover_code("secret", "HS-251125-ABCDEF", "00ff")
    assert len(code) == 6 and code.isdigit()
    assert code == handover_code("secret", "HS-251125-ABCDEF", "00ff")
    assert code != handover_code("secret", "HS-251125-ABCDEF", "00fe")
    stored = await new_hash(code)
    assert code not in stored and await code_matches(code, stored) and stored != hash_code(code)  # salted
    assert not await code_matches(f"{(int(code) + 1) % 1_000_000:06d}", stored)
    assert not await code_matches("", stored)


async def test_checking_a_code_leaves_the_event_loop_free_for_other_requests() -> None:
    """scrypt takes tens of milliseconds of CPU: in a worker thread, other coroutines run meanwhile."""
    stored, ticks = hash_code("123456"), 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.001)
            ticks += 1

    running = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    try:
        for _ in range(3):
            assert await code_matches("123456", stored)
            await new_hash("123456")
    finally:
        running.cancel()
    assert ticks >= 3, ticks


async def test_the_post_receives_nothing_about_the_handover_code() -> None:
    """No digest of the code: six digits are found from any hash of them in a fraction of a second."""
    sent: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(201, json={"tracking_number": "EB000000001VN", "status": "created"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        postal = HttpPostalService("http://post.test", "key", client)
        shipment = Shipment("HS-1", "Lan", "84912345678", "12 Hàng Bông", "00004", "Ba Đình", "01", "Hà Nội",
                            "afternoon", 0)
        assert await postal.create_shipment(shipment, "http://portal.test/api/v1/postal/events") == "EB000000001VN"
    body = json.loads(sent[0])
    assert not any("code" in key or "handover" in key for key in body), body
    assert not any(field.name.startswith("handover") for field in dataclasses.fields(Shipment))


def test_insecure_settings_name_the_sandbox_defaults() -> None:
    demo = Settings(secret_key="x")
    problems = insecure_settings(demo)
    assert "POSTAL_WEBHOOK_SECRET is the sandbox secret: anyone can forge tracking events" in problems
    assert "POSTAL_API_KEY is the sandbox key" in problems
    assert any(p.startswith("POSTAL_SERVICE_URL is empty") for p in problems)
    assert any("shorter" in p for p in insecure_settings(dataclasses.replace(demo, postal_webhook_secret="short")))
    assert any("is empty" in p for p in insecure_settings(dataclasses.replace(demo, postal_webhook_secret="")))
    real = dataclasses.replace(demo, postal_webhook_secret="s" * 40, postal_api_key="live-key",
                               postal_service_url="https://api.post.example/")
    assert insecure_settings(real) == []
    assert insecure_settings(dataclasses.replace(real, postal_service_url="http://api.post.example/")) != []


async def test_a_real_postal_service_is_refused_with_the_sandbox_secrets_in_demo_mode_too() -> None:
    demo = Settings(secret_key="x", demo_mode=True)
    async with httpx.AsyncClient() as client:
        # Demo mode with the local sandbox: its published key and secret are expected.
        assert insecure_settings(demo) == []
        assert HttpPostalService.from_settings(demo, client).base_url == "http://localhost:8000/sandbox/postal"

        real = dataclasses.replace(demo, postal_service_url="https://api.post.example/")
        problems = insecure_settings(real)
        assert "POSTAL_WEBHOOK_SECRET is the sandbox secret: anyone can forge tracking events" in problems
        assert "POSTAL_API_KEY is the sandbox key" in problems
        with pytest.raises(ValueError, match="Postal settings refused: .*sandbox secret.*sandbox key"):
            HttpPostalService.from_settings(real, client)

        ready = dataclasses.replace(real, postal_webhook_secret="s" * 40, postal_api_key="live-key")
        assert insecure_settings(ready) == []
        service = HttpPostalService.from_settings(ready, client)
        assert (service.base_url, service.api_key) == ("https://api.post.example/", "live-key")
        # Outside demo mode the sandbox is refused too.
        assert insecure_settings(dataclasses.replace(demo, demo_mode=False)) != []
