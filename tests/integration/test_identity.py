"""Verified identity (level 2): the page, the outcomes, the limit, and the registry protocol over HTTP."""

import dataclasses
import html

import httpx
import pytest

from backend.accounts.models import User
from backend.identity.models import VerificationAttempt
from backend.identity.registry import HttpPopulationRegistry, Outcome
from backend.sandboxes.citizens import LAN_ID_NUMBER, MINH_ID_NUMBER, directory
from tests.support import CITIZEN, OTHER_CITIZEN, Portal, reset_database, served

pytestmark = pytest.mark.integration
UNKNOWN_NUMBER = "001190999999"
VERIFY = "/sandbox/registry/v1/citizens/verify"


def international(phone: str) -> str:
    return "84" + phone[1:]


async def verify(portal, number: str):
    return await portal.post_form("/account/identity", {"id_number": number})


async def attempts(phone: str) -> list[str]:
    return [a.outcome for a in await VerificationAttempt.filter(user__phone=international(phone)).order_by("id")]


async def test_a_matching_number_makes_the_account_level_2(portal):
    await portal.sign_in(CITIZEN)
    before = await portal.get("/account/identity")
    assert before.status_code == 200 and "Level 1" in before.text and 'id="id_number"' in before.text

    response = await verify(portal, "001 190 012 345")  # spaces as printed on the card
    assert response.status_code in (302, 303) and response.headers["location"] == "/en/account/identity?verified=1"
    user = await User.get(phone=international(CITIZEN))
    assert user.identity_number == LAN_ID_NUMBER and user.identity_verified_at is not None
    assert user.identity_level == 2
    assert await attempts(CITIZEN) == ["matched"]

    after = await portal.get("/account/identity?verified=1")
    assert "Level 2" in after.text and "Your identity is verified." in after.text
    assert "••••••••" in after.text and "2345" in after.text and LAN_ID_NUMBER not in after.text
    assert 'id="id_number"' not in after.text, "no form once verified"


NOT_VERIFIED = "We could not verify this number with your mobile number"


async def test_a_number_registered_with_another_phone_is_a_mismatch(portal):
    await portal.sign_in(OTHER_CITIZEN)
    response = await verify(portal, MINH_ID_NUMBER)
    assert response.status_code == 400
    text = html.unescape(response.text)
    assert NOT_VERIFIED in text and "does not match" not in text, "the same words as for a number that does not exist"
    assert "must be registered together in the national population database" in text and OTHER_CITIZEN in text
    assert "ask the police of your commune or ward to update it" in text
    assert f'value="{MINH_ID_NUMBER}"' in response.text, "the number typed is kept"
    assert (await User.get(phone=international(OTHER_CITIZEN))).identity_number is None
    assert await attempts(OTHER_CITIZEN) == ["mismatch"]


async def test_an_unknown_number_asks_to_check_the_digits(portal):
    assert UNKNOWN_NUMBER not in directory()
    await portal.sign_in(CITIZEN)
    response = await verify(portal, UNKNOWN_NUMBER)
    assert response.status_code == 400
    assert NOT_VERIFIED in response.text and "Check the 12 digits on your identity card" in response.text
    assert 'id="id_number-error"' in response.text and 'href="#id_number"' in response.text
    assert (await User.get(phone=international(CITIZEN))).identity_level == 1
    assert await attempts(CITIZEN) == ["unknown"]


@pytest.mark.parametrize("typed", ["12345", "00119001234", "0011900123456", "001190O12345", ""])
async def test_a_malformed_number_is_refused_next_to_the_field(portal, typed):
    await portal.sign_in(CITIZEN)
    response = await verify(portal, typed)
    assert response.status_code == 400
    assert "Enter the 12 digits of your personal identification number" in response.text
    assert 'id="id_number-error"' in response.text and 'aria-invalid="true"' in response.text
    assert f'value="{typed}"' in response.text
    assert await attempts(CITIZEN) == [], "a malformed number never reaches the registry"


async def test_a_number_verified_on_another_account_is_refused_and_its_owner_told_by_sms(portal):
    # As if Lan had verified an old account (Minh's row stands in for it) before changing phones.
    await User.filter(phone=international(OTHER_CITIZEN)).update(identity_number=LAN_ID_NUMBER)
    await portal.sign_in(CITIZEN)
    response = await verify(portal, LAN_ID_NUMBER)
    assert response.status_code == 400 and NOT_VERIFIED in response.text and "already in use" not in response.text
    assert "If you already verified another account of the portal, sign in with its mobile number" in response.text
    assert (await User.get(phone=international(CITIZEN))).identity_number is None
    assert await attempts(CITIZEN) == ["taken"]
    # The registry just confirmed this phone is the one registered with the number: only its owner reads why.
    outbox = (await portal.get("/dev/outbox.json", params={"to": international(CITIZEN)})).json()
    assert any("already verified on another account" in message["text"] for message in outbox)


async def test_a_stranger_number_does_not_reveal_whether_it_has_an_account(portal):
    await User.filter(phone=international(CITIZEN)).update(identity_number=LAN_ID_NUMBER)
    await portal.sign_in(OTHER_CITIZEN)
    response = await verify(portal, LAN_ID_NUMBER)
    assert response.status_code == 400 and NOT_VERIFIED in response.text and "already in use" not in response.text


async def test_no_more_than_five_answered_attempts_a_day(portal, settings):
    await portal.sign_in(CITIZEN)
    for _ in range(settings.identity_max_attempts_per_day):
        assert (await verify(portal, UNKNOWN_NUMBER)).status_code == 400
    response = await verify(portal, LAN_ID_NUMBER)
    assert response.status_code == 429 and "You have tried too many times" in response.text
    assert 'id="id_number"' not in response.text
    assert len(await attempts(CITIZEN)) == settings.identity_max_attempts_per_day, "the registry was not asked"
    assert (await User.get(phone=international(CITIZEN))).identity_level == 1
    await portal.sign_in(OTHER_CITIZEN)
    assert (await verify(portal, UNKNOWN_NUMBER)).status_code == 400, "the limit is per account"


async def test_an_unreachable_registry_gives_a_page_not_a_stack_trace(settings, tmp_path):
    # Through the test transport every host reaches the portal itself, where no registry answers at /v1/...
    down = dataclasses.replace(settings, registry_url="http://127.0.0.1:9", data_dir=tmp_path / "down")
    async with served(down) as (app, client):
        await reset_database(down.database_url)
        portal = Portal(client, app)
        await portal.sign_in(CITIZEN)
        assert (await client.post(VERIFY, json={})).status_code == 404, "no sandbox when a registry is configured"
        for _ in range(settings.identity_max_attempts_per_day + 1):
            response = await verify(portal, LAN_ID_NUMBER)
            assert response.status_code == 503
        assert "The national population database cannot be reached" in response.text
        assert f'value="{LAN_ID_NUMBER}"' in response.text, "the form stays, with the number typed"
        assert (await User.get(phone=international(CITIZEN))).identity_level == 1
        assert set(await attempts(CITIZEN)) == {"unavailable"}, "recorded, but an outage does not use up the limit"


async def test_a_refused_connection_is_unavailable():
    async with httpx.AsyncClient() as client:
        registry = HttpPopulationRegistry("http://127.0.0.1:9", "key", client, timeout=2)
        assert (await registry.lookup(LAN_ID_NUMBER, international(CITIZEN))).outcome is Outcome.UNAVAILABLE


async def test_the_sandbox_speaks_the_registry_protocol(portal, settings):
    key = {"Authorization": f"Bearer {settings.registry_api_key}"}
    body = {"id_number": LAN_ID_NUMBER, "phone": international(CITIZEN)}
    wrong = await portal.client.post(VERIFY, json=body, headers={"Authorization": "Bearer wrong"})
    assert wrong.status_code == 401 and wrong.json()["status"] == "unauthorized"
    assert (await portal.client.post(VERIFY, json=body)).status_code == 401

    matched = await portal.client.post(VERIFY, json=body, headers=key)
    assert matched.status_code == 200 and matched.json()["status"] == "matched"
    record = matched.json()["citizen"]
    assert (record["full_name"], record["sex"], record["birth_date"]) == ("Nguyễn Thị Lan", "female", "1990-05-14")
    assert record["permanent_address"] == {
        "street": "Số 12 phố Hàng Bạc",
        "ward": "Phường Hoàn Kiếm",
        "province": "Thành phố Hà Nội",
    }
    assert {m["relationship"] for m in record["household"]} == {"husband", "child"}

    mismatch = await portal.client.post(VERIFY, json={**body, "id_number": MINH_ID_NUMBER}, headers=key)
    assert mismatch.status_code == 409 and mismatch.json() == {"status": "phone_mismatch"}, "no data on a mismatch"
    unknown = await portal.client.post(VERIFY, json={**body, "id_number": UNKNOWN_NUMBER}, headers=key)
    assert unknown.status_code == 404 and unknown.json() == {"status": "not_found"}
    malformed = await portal.client.post(VERIFY, json={"id_number": "12"}, headers=key)
    assert malformed.status_code == 400 and malformed.headers["content-type"].startswith("application/json")


async def test_the_adapter_reads_the_record_through_http(portal, settings):
    registry = portal.adapters.population_registry
    result = await registry.lookup(LAN_ID_NUMBER, international(CITIZEN))
    assert result.outcome is Outcome.MATCHED
    lan = result.citizen
    assert lan.permanent_address.one_line() == "Số 12 phố Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội"
    assert lan.household_head_name == "Nguyễn Thị Lan" and len(lan.household) == 2
    assert (await registry.lookup(MINH_ID_NUMBER, international(OTHER_CITIZEN))).outcome is Outcome.MISMATCH
    assert (await registry.lookup(UNKNOWN_NUMBER, international(CITIZEN))).outcome is Outcome.UNKNOWN
    wrong_key = dataclasses.replace(registry, api_key="wrong")
    assert (await wrong_key.lookup(LAN_ID_NUMBER, international(CITIZEN))).outcome is Outcome.UNAVAILABLE


async def test_the_identity_page_needs_a_signed_in_account(portal):
    response = await portal.get("/account/identity")
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/en/sign-in")


async def test_verifying_from_an_application_leads_back_to_it(portal):
    await portal.sign_in(CITIZEN)
    target = "/dossiers/HS-000000-AAAAAA/form/person"
    form = await portal.get("/account/identity", params={"next": target})
    assert f'name="next" value="{target}"' in form.text
    response = await portal.post_form("/account/identity", {"id_number": LAN_ID_NUMBER, "next": target})
    assert response.headers["location"] == "/en/account/identity?verified=1&next=/dossiers/HS-000000-AAAAAA/form/person"
    assert f'href="/en{target}"' in (await portal.get(response.headers["location"])).text


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example"])
async def test_next_only_goes_to_a_local_path(portal, target):
    await portal.sign_in(CITIZEN)
    assert 'name="next" value=""' in (await portal.get("/account/identity", params={"next": target})).text
