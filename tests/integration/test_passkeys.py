"""Passkeys through the real endpoints and the real ``webauthn`` verification, with a software authenticator."""

from __future__ import annotations

import html

import pytest

from backend.accounts import passkeys
from backend.accounts.models import Passkey, SessionRecord, SignInEvent, SignInMethod
from tests.integration.helpers import people
from tests.softauthn import SoftAuthenticator
from tests.support import CITIZEN, OFFICER, OTHER_CITIZEN, Portal

pytestmark = pytest.mark.integration


async def add_passkey(portal: Portal, authenticator: SoftAuthenticator, name: str = "My phone", **create):
    options = (await portal.api("POST", "/account/passkeys/begin")).json()
    credential = authenticator.create(options, **create)
    return await portal.api("POST", "/account/passkeys/complete", json={"credential": credential, "name": name})


async def passkey_sign_in(portal: Portal, authenticator: SoftAuthenticator, next: str = "", **get):
    options = (await portal.api("POST", "/sign-in/passkey/begin")).json()
    credential = authenticator.get(options, **get)
    return await portal.api("POST", "/sign-in/passkey/complete", json={"credential": credential, "next": next})


async def is_signed_in(portal: Portal) -> bool:
    return (await portal.get("/account")).status_code == 200


async def test_register_then_sign_in_with_the_passkey_alone(portal: Portal):
    await portal.sign_in(CITIZEN)
    options = (await portal.api("POST", "/account/passkeys/begin")).json()
    assert options["rp"]["id"] == "localhost"
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert CITIZEN not in options["user"]["id"]  # the user handle carries no personal data

    authenticator = SoftAuthenticator()
    credential = authenticator.create(options)
    response = await portal.api(
        "POST", "/account/passkeys/complete", json={"credential": credential, "name": "Lan's phone"}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"redirect": "/en/account#passkeys"}
    account = html.unescape((await portal.get("/account")).text)
    assert "Passkey “Lan's phone” added" in account
    assert "Not used yet." in account

    await portal.sign_out()
    response = await passkey_sign_in(portal, authenticator, next="/my/dossiers")
    assert response.status_code == 200, response.text
    assert response.json() == {"redirect": "/en/my/dossiers"}
    assert (await portal.get("/my/dossiers")).status_code == 200
    stored = await Passkey.get(credential_id=authenticator.id)
    assert stored.sign_count == 1 and stored.last_used_at is not None
    events = await SignInEvent.filter(user_id=stored.user_id).order_by("id").values_list("method", flat=True)
    assert events == [SignInMethod.CODE, SignInMethod.PASSKEY]
    account = html.unescape((await portal.get("/account")).text)
    assert "Passkey “Lan's phone”" in account and "Last used" in account


async def test_officials_can_use_passkeys_too(portal: Portal):
    await portal.sign_in(OFFICER)
    authenticator = SoftAuthenticator()
    assert (await add_passkey(portal, authenticator)).status_code == 200
    await portal.sign_out()
    response = await passkey_sign_in(portal, authenticator)
    assert response.json() == {"redirect": "/en/desk"}
    assert (await portal.get("/desk")).status_code == 200


async def test_a_challenge_is_used_once(portal: Portal):
    await portal.sign_in(CITIZEN)
    authenticator = SoftAuthenticator()
    options = (await portal.api("POST", "/account/passkeys/begin")).json()
    credential = authenticator.create(options)
    first = await portal.api("POST", "/account/passkeys/complete", json={"credential": credential})
    assert first.status_code == 200
    again = await portal.api("POST", "/account/passkeys/complete", json={"credential": credential})
    assert again.status_code == 400
    assert "no longer valid" in again.json()["error"]

    await portal.sign_out()
    options = (await portal.api("POST", "/sign-in/passkey/begin")).json()
    assertion = authenticator.get(options)
    assert (await portal.api("POST", "/sign-in/passkey/complete", json={"credential": assertion})).status_code == 200
    await portal.sign_out()
    replay = await portal.api("POST", "/sign-in/passkey/complete", json={"credential": assertion})
    assert replay.status_code == 400
    assert not await is_signed_in(portal)


async def test_a_failed_attempt_also_spends_the_challenge(portal: Portal):
    await portal.sign_in(CITIZEN)
    authenticator = SoftAuthenticator()
    await add_passkey(portal, authenticator)
    await portal.sign_out()
    options = (await portal.api("POST", "/sign-in/passkey/begin")).json()
    bad = authenticator.get(options, origin="http://evil.example")
    assert (await portal.api("POST", "/sign-in/passkey/complete", json={"credential": bad})).status_code == 400
    good = authenticator.get(options)
    response = await portal.api("POST", "/sign-in/passkey/complete", json={"credential": good})
    assert response.status_code == 400 and "no longer valid" in response.json()["error"]


async def test_wrong_origin_is_refused(portal: Portal):
    await portal.sign_in(CITIZEN)
    authenticator = SoftAuthenticator()
    response = await add_passkey(portal, authenticator, origin="https://phishing.example")
    assert response.status_code == 400
    assert response.json()["error"] == "This passkey could not be checked, so it was not added. Try again."
    assert not await Passkey.exists(credential_id=authenticator.id)

    assert (await add_passkey(portal, authenticator)).status_code == 200
    await portal.sign_out()
    response = await passkey_sign_in(portal, authenticator, origin="http://localhost:9999")
    assert response.status_code == 400
    assert response.json()["error"] == "This passkey could not be checked. Try again."
    assert not await is_signed_in(portal)


async def test_user_verification_is_required(portal: Portal):
    await portal.sign_in(CITIZEN)
    authenticator = SoftAuthenticator(user_verified=False)
    assert (await add_passkey(portal, authenticator)).status_code == 400
    authenticator.user_verified = True
    assert (await add_passkey(portal, authenticator)).status_code == 200
    await portal.sign_out()
    authenticator.user_verified = False
    assert (await passkey_sign_in(portal, authenticator)).status_code == 400


async def test_unknown_and_removed_passkeys_cannot_sign_in(portal: Portal):
    stranger = SoftAuthenticator()
    response = await passkey_sign_in(portal, stranger)
    assert response.status_code == 400
    assert "not registered with the portal" in response.json()["error"]

    await portal.sign_in(CITIZEN)
    authenticator = SoftAuthenticator()
    await add_passkey(portal, authenticator)
    passkey = await Passkey.get(credential_id=authenticator.id)
    response = await portal.post_form(f"/account/passkeys/{passkey.id}/remove")
    assert response.status_code in (302, 303)
    assert "Passkey removed" in (await portal.get("/account")).text
    await portal.sign_out()
    response = await passkey_sign_in(portal, authenticator)
    assert response.status_code == 400
    assert "or it was removed" in response.json()["error"]


async def test_a_counter_that_goes_backwards_is_refused(portal: Portal):
    await portal.sign_in(CITIZEN)
    authenticator = SoftAuthenticator()
    await add_passkey(portal, authenticator)
    await portal.sign_out()
    assert (await passkey_sign_in(portal, authenticator, count=5)).status_code == 200
    await portal.sign_out()
    response = await passkey_sign_in(portal, authenticator, count=3)
    assert response.status_code == 400
    assert "may have been copied" in response.json()["error"]
    assert (await Passkey.get(credential_id=authenticator.id)).sign_count == 5


async def test_a_slow_ceremony_times_out(portal: Portal, monkeypatch):
    await portal.sign_in(CITIZEN)
    options = (await portal.api("POST", "/account/passkeys/begin")).json()
    monkeypatch.setattr(passkeys, "CEREMONY_SECONDS", -1)
    credential = SoftAuthenticator().create(options)
    response = await portal.api("POST", "/account/passkeys/complete", json={"credential": credential})
    assert response.status_code == 400
    assert response.json()["error"] == "It took too long to use the passkey. Start again."


async def test_malformed_answers_get_a_message_not_a_stack_trace(portal: Portal):
    await portal.api("POST", "/sign-in/passkey/begin")
    for body in ({}, {"credential": "nonsense"}, {"credential": {"id": 3}}):
        response = await portal.api("POST", "/sign-in/passkey/complete", json=body)
        assert response.status_code == 400, body
        assert response.json()["error"]
        await portal.api("POST", "/sign-in/passkey/begin")
    await portal.sign_in(CITIZEN)
    await portal.api("POST", "/account/passkeys/begin")
    response = await portal.api("POST", "/account/passkeys/complete", json={"credential": {"id": "x", "response": {}}})
    assert response.status_code == 400 and response.json()["error"]


async def test_rename_and_only_your_own_passkeys(portal: Portal):
    async with people(portal, CITIZEN, OTHER_CITIZEN) as (lan, minh):
        authenticator = SoftAuthenticator()
        await add_passkey(lan, authenticator, name="Old name")
        passkey = await Passkey.get(credential_id=authenticator.id)

        response = await lan.post_form(f"/account/passkeys/{passkey.id}/rename", {"name": "  Work   laptop "})
        assert response.status_code in (302, 303)
        assert (await Passkey.get(id=passkey.id)).name == "Work laptop"

        response = await lan.post_form(f"/account/passkeys/{passkey.id}/rename", {"name": " "})
        assert response.status_code == 400
        assert "Enter a name of 1 to 60 characters" in response.text
        assert f'href="#passkey-{passkey.id}-name"' in response.text

        assert (await minh.post_form(f"/account/passkeys/{passkey.id}/rename", {"name": "Mine"})).status_code == 404
        assert (await minh.post_form(f"/account/passkeys/{passkey.id}/remove")).status_code == 404
        assert await Passkey.exists(id=passkey.id)
        assert "Work laptop" not in (await minh.get("/account")).text


async def test_sign_out_everywhere_ends_every_session(portal: Portal):
    async with people(portal, CITIZEN, CITIZEN) as (phone, laptop):
        assert await is_signed_in(laptop)
        response = await phone.post_form("/account/sign-out-everywhere")
        assert response.status_code == 200
        assert "You are signed out everywhere" in response.text
        assert not await is_signed_in(phone)
        assert not await is_signed_in(laptop)
        history = await SignInEvent.filter(method=SignInMethod.SIGNED_OUT_EVERYWHERE).count()
        assert history == 1
        await laptop.sign_in(CITIZEN)
        assert await is_signed_in(laptop)


async def test_signing_in_gives_a_new_session_id(portal: Portal):
    await portal.post_form("/sign-in", {"phone": CITIZEN})
    before = portal.client.cookies.get("portal_session")
    assert before and await SessionRecord.exists(key=before)
    await portal.post_form("/sign-in/code", {"code": await portal.last_code(CITIZEN)})
    after = portal.client.cookies.get("portal_session")
    assert after and after != before
    assert not await SessionRecord.exists(key=before)
    assert await is_signed_in(portal)


async def test_pages_say_plainly_when_passkeys_cannot_be_used(portal: Portal):
    sign_in = (await portal.get("/sign-in")).text
    assert "Passkeys need JavaScript and a browser that supports them" in sign_in
    assert "<form data-passkey-form hidden>" in sign_in  # revealed by the script only where passkeys work
    await portal.sign_in(CITIZEN)
    account = (await portal.get("/account")).text
    assert "Adding a passkey needs JavaScript" in account
    assert "You have no passkeys yet." in account


async def test_after_a_code_sign_in_a_passkey_is_offered_until_dismissed(portal: Portal):
    await portal.sign_in(CITIZEN)
    assert "Next time, sign in with your fingerprint" in (await portal.get("/my/dossiers")).text
    await portal.post_form("/account/passkeys/not-now", {"back": "/my/dossiers"})
    assert "Next time, sign in with your fingerprint" not in (await portal.get("/my/dossiers")).text
