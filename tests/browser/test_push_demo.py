"""The served portal as `make run` runs it: its own outbox worker pushes every change of Lan's dossier to her
sandbox phone through pywebpush (VAPID, aes128gcm) over real HTTP, and /dev/outbox shows what the phone
decrypted. Minh has no device: his news comes by text message."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.browser.http_user import HttpUser

pytestmark = pytest.mark.browser
BIRTH = "1.001193"


def wait_for(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.3)
    raise AssertionError("timed out")


def test_a_dossier_change_reaches_the_sandbox_phone_and_a_citizen_without_devices_gets_an_sms(portal_url):
    with HttpUser(portal_url, "0912345678") as lan:
        lan.sign_in()
        code = lan.submit(BIRTH)
    outbox = wait_for(lambda: (page := httpx.get(f"{portal_url}/dev/outbox").text).count(code) and page)
    assert "Your dossier has been sent. The agency will receive it soon." in outbox
    sms = httpx.get(f"{portal_url}/dev/outbox.json", params={"to": "84912345678"}).json()
    assert not [m for m in sms if code in m["text"]], "the push reached her phone: no SMS"

    with HttpUser(portal_url, "0987654321") as minh:
        minh.sign_in()
        code = minh.submit(BIRTH)
    texts = wait_for(lambda: [m["text"] for m in httpx.get(f"{portal_url}/dev/outbox.json",
                                                             params={"to": "84987654321"}).json() if code in m["text"]])
    assert f"/my/dossiers/{code}" in texts[0]
