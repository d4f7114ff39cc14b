"""Limits kept in the database (issue 14, findings 2, 5 and 15): counted atomically before the action, per number,
per account, per client address and per network; identity answers that do not tell which numbers exist."""

from __future__ import annotations

import asyncio
import dataclasses
import difflib
import html
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
import pytest
from tortoise import connections
from tortoise.transactions import in_transaction
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from backend.accounts.models import User
from backend.accounts.services import CodeSender, SignInError, SignInLimited, verify_code
from backend.core import clock
from backend.identity.models import VerificationAttempt
from backend.limits.models import RateCounter
from backend.limits.services import HOUR, Limit, Refused, client_keys, purge_expired, take
from backend.sandboxes.citizens import LAN_ID_NUMBER
from backend.sandboxes.models import SandboxSms
from backend.settings import Settings
from tests.support import CITIZEN, ENGLISH, OTHER_CITIZEN, Portal, reset_database, served

pytestmark = pytest.mark.integration
UNKNOWN_NUMBER = "001190999999"


@asynccontextmanager
async def browser(app, address: str) -> AsyncIterator[Portal]:
    """A browser whose requests come from ``address`` (the ASGI scope's client, as uvicorn sets it)."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.local", headers=ENGLISH) as client:
        yield Portal(client, app)


@asynccontextmanager
async def portal_with(settings, tmp_path, **limits) -> AsyncIterator[Portal]:
    """A portal of its own with some limits changed (settings are read once, when the app is made)."""
    changed = dataclasses.replace(settings, data_dir=tmp_path / "changed", **limits)
    async with served(changed) as (app, client):
        await reset_database(changed.database_url)
        yield Portal(client, app)


def numbers(count: int, start: int = 0) -> list[str]:
    return [f"09120{n:05d}" for n in range(start, start + count)]


async def texts_sent() -> int:
    return await SandboxSms.filter(to__startswith="849120").count()


async def test_a_limit_counted_fifty_times_at_once_lets_exactly_its_number_through(portal: Portal):
    limit = Limit("test", 7, HOUR)
    results = await asyncio.gather(*(take((limit, "k")) for _ in range(50)), return_exceptions=True)
    assert sum(r is None for r in results) == 7 and all(isinstance(r, Refused) for r in results if r is not None)
    refused = next(r for r in results if r is not None)
    assert 0 < refused.retry_after <= HOUR
    assert (await RateCounter.get()).hits == 7, "refused requests are not counted"


async def test_codes_to_twenty_numbers_from_one_address_stop_at_its_limit(portal: Portal, settings):
    allowed = settings.sign_in_codes_per_ip_per_hour
    async with browser(portal.app, "203.0.113.7") as pumper:
        statuses = [(await pumper.post_form("/sign-in", {"phone": n})).status_code for n in numbers(20)]
        refused = await pumper.post_form("/sign-in", {"phone": "0912 099 999"})
    assert statuses == [302] * allowed + [429] * (20 - allowed)
    assert await texts_sent() == allowed
    assert refused.status_code == 429 and "Too many requests came from your internet connection" in refused.text
    assert 'value="0912 099 999"' in refused.text, "the number typed is kept"
    assert "Too many codes were sent to this number" not in refused.text, "the limit per number was not reached"
    async with browser(portal.app, "198.51.100.20") as neighbour:  # another network: not held back
        assert (await neighbour.post_form("/sign-in", {"phone": numbers(1, 19)[0]})).status_code == 302


async def test_a_forwarded_for_header_does_not_make_a_new_client(portal: Portal, settings):
    async with browser(portal.app, "203.0.113.8") as pumper:
        for n, number in enumerate(numbers(settings.sign_in_codes_per_ip_per_hour + 1)):
            response = await pumper.post_form("/sign-in", {"phone": number}, headers={"x-forwarded-for": f"10.9.{n}.1"})
    assert response.status_code == 429, "the portal reads the client address uvicorn resolved, never the header"


async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(portal: Portal, settings):
    """What `manage serve` does with FORWARDED_ALLOW_IPS set to the proxy's address (uvicorn's middleware)."""
    behind_proxy = ProxyHeadersMiddleware(portal.app, trusted_hosts="10.0.0.2")
    allowed = settings.sign_in_codes_per_ip_per_hour
    async with browser(behind_proxy, "10.0.0.2") as proxy:
        first = [(await proxy.post_form("/sign-in", {"phone": n}, headers={"x-forwarded-for": "203.0.113.9"}))
                 .status_code for n in numbers(allowed + 1)]
        other = await proxy.post_form("/sign-in", {"phone": numbers(1, 50)[0]},
                                      headers={"x-forwarded-for": "198.51.100.9"})
    assert first == [302] * allowed + [429] and other.status_code == 302
    async with browser(behind_proxy, "192.0.2.66") as stranger:  # not the proxy: its header is not believed
        spoofed = [(await stranger.post_form("/sign-in", {"phone": n}, headers={"x-forwarded-for": f"10.1.{i}.1"}))
                   .status_code for i, n in enumerate(numbers(allowed + 1, 60))]
    assert spoofed[-1] == 429


async def test_one_network_shares_a_limit_across_its_addresses(settings, tmp_path):
    async with portal_with(settings, tmp_path, sign_in_codes_per_ip_per_hour=2, network_limit_factor=3) as tight:
        app, statuses = tight.app, []
        for host in range(1, 5):  # four addresses of 203.0.113.0/24, each within its own limit of 2
            async with browser(app, f"203.0.113.{host}") as person:
                statuses += [(await person.post_form("/sign-in", {"phone": n})).status_code
                             for n in numbers(2, host * 10)]
        assert statuses == [302] * 6 + [429] * 2, "6 codes a network: 3 times an address's 2"
        async with browser(app, "203.0.114.1") as elsewhere:
            assert (await elsewhere.post_form("/sign-in", {"phone": numbers(1, 99)[0]})).status_code == 302
        codes = []
        for host, number in zip("aabbccd", numbers(7, 200), strict=True):  # four addresses of one IPv6 /64
            async with browser(app, f"2001:db8:1:2:{host}::1") as person:
                codes.append((await person.post_form("/sign-in", {"phone": number})).status_code)
        assert codes == [302] * 6 + [429], "an IPv6 /64 is one network"


def test_an_address_and_its_network():
    assert client_keys("203.0.113.77") == ("203.0.113.77", "203.0.113.0/24")
    assert client_keys("::ffff:203.0.113.77") == ("203.0.113.77", "203.0.113.0/24"), "IPv4 seen through IPv6"
    assert client_keys("2001:db8:1:2:3:4:5:6") == ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")
    assert client_keys("testclient") == client_keys(None) == ("unknown", "unknown")


async def test_codes_to_one_number_sent_at_once_stop_at_the_limit_per_number(portal: Portal, settings):
    sender = CodeSender(settings, portal.adapters.sms_gateway)
    # Twenty clients on twenty networks: only the limit per number can hold them (it was count-then-insert).
    results = await asyncio.gather(*(sender.send("84912000123", f"198.51.{n}.1") for n in range(20)),
                                   return_exceptions=True)
    assert sum(r is None for r in results) == settings.otp_max_sends_per_hour
    assert await SandboxSms.filter(to="84912000123").count() == settings.otp_max_sends_per_hour
    assert all("sent to this number" in str(r) for r in results if r is not None)


async def test_codes_tried_from_one_address_are_limited_whatever_the_numbers(portal: Portal, settings):
    allowed = settings.code_tries_per_ip_per_hour
    for n, phone in enumerate(numbers(allowed)):
        with pytest.raises(SignInError) as wrong:
            await verify_code("84" + phone[1:], "000000", settings, "203.0.113.5")
        assert not isinstance(wrong.value, SignInLimited), n
    with pytest.raises(SignInLimited):
        await verify_code("84912099999", "000000", settings, "203.0.113.5")
    with pytest.raises(SignInError) as elsewhere:
        await verify_code("84912099999", "000000", settings, "198.51.100.5")
    assert not isinstance(elsewhere.value, SignInLimited)


async def test_the_code_page_says_so_with_429(settings, tmp_path):
    async with portal_with(settings, tmp_path, code_tries_per_ip_per_hour=1) as portal:
        await portal.post_form("/sign-in", {"phone": CITIZEN})
        assert (await portal.post_form("/sign-in/code", {"code": "000000"})).status_code == 400
        response = await portal.post_form("/sign-in/code", {"code": "000000"})
    assert response.status_code == 429 and "Too many requests came from your internet connection" in response.text


async def test_forty_identity_checks_at_once_ask_the_registry_five_times(portal: Portal, settings):
    await portal.sign_in(CITIZEN)
    responses = await asyncio.gather(
        *(portal.post_form("/account/identity", {"id_number": UNKNOWN_NUMBER}) for _ in range(40))
    )
    allowed = settings.identity_max_attempts_per_day
    assert await VerificationAttempt.all().count() == allowed, "each attempt row is one question to the registry"
    assert sorted(r.status_code for r in responses) == [400] * allowed + [429] * (40 - allowed)
    page = await portal.get("/account/identity")
    assert 'id="id_number"' not in page.text, "no checks left today: no form"


async def test_identity_checks_from_one_address_are_limited_across_accounts(settings, tmp_path):
    async with portal_with(settings, tmp_path, identity_checks_per_ip_per_hour=2) as portal:
        for phone in (CITIZEN, OTHER_CITIZEN, "0912000777"):
            await portal.sign_in(phone)
            response = await portal.post_form("/account/identity", {"id_number": UNKNOWN_NUMBER})
        assert await VerificationAttempt.all().count() == 2
    assert response.status_code == 429 and "Too many requests came from your internet connection" in response.text
    assert f'value="{UNKNOWN_NUMBER}"' in response.text, "the form stays, with the number typed"


def answer(response: httpx.Response, typed: str, phone: str) -> tuple[int, str]:
    """Status and the page's main content, without what differs by person: the number typed, their phone, the
    form's CSRF token."""
    main = re.search(r"<main.*</main>", response.text, re.S).group(0)
    main = re.sub(r'name="_csrf_token" value="[^"]*"', "", html.unescape(main))
    return response.status_code, main.replace(typed, "TYPED").replace(phone, "PHONE")


async def test_taken_mismatch_and_unknown_get_the_same_answer(portal: Portal):
    # Lan's number is already verified on another account (Minh's row stands in for her old account).
    await User.filter(phone="84" + OTHER_CITIZEN[1:]).update(identity_number=LAN_ID_NUMBER)
    await portal.sign_in(CITIZEN)
    taken = answer(await portal.post_form("/account/identity", {"id_number": LAN_ID_NUMBER}), LAN_ID_NUMBER, CITIZEN)
    await User.filter(phone="84" + OTHER_CITIZEN[1:]).update(identity_number=None)
    await User.filter(phone="84" + CITIZEN[1:]).update(identity_number=LAN_ID_NUMBER)
    await portal.sign_in(OTHER_CITIZEN)  # a stranger typing Lan's number, held by Lan's account
    mismatch = answer(await portal.post_form("/account/identity", {"id_number": LAN_ID_NUMBER}), LAN_ID_NUMBER,
                      OTHER_CITIZEN)
    unknown = answer(await portal.post_form("/account/identity", {"id_number": UNKNOWN_NUMBER}), UNKNOWN_NUMBER,
                     OTHER_CITIZEN)
    for other in (mismatch, unknown):
        difference = "\n".join(difflib.unified_diff(taken[1].splitlines(), other[1].splitlines(), lineterm=""))
        assert taken == other, difference
    assert taken[0] == 400 and "We could not verify this number with your mobile number" in taken[1]
    assert [a.outcome for a in await VerificationAttempt.all().order_by("id")] == ["taken", "mismatch", "unknown"]


async def test_the_status_api_answers_429_with_retry_after(portal: Portal, settings, monkeypatch):
    url = "/api/v1/dossiers/HS-000000-AAAAAA/status"
    for _ in range(settings.status_lookups_per_ip_per_minute):
        assert (await portal.client.get(url)).status_code == 404
    refused = await portal.client.get(url)
    assert refused.status_code == 429 and refused.headers["content-type"].startswith("application/json")
    retry_after = int(refused.headers["retry-after"])
    assert 1 <= retry_after <= 60 and "internet connection" in refused.json()["detail"]
    async with browser(portal.app, "198.51.100.30") as other:
        assert (await other.client.get(url)).status_code == 404, "another client is not held back"
    later = clock.now() + timedelta(seconds=retry_after)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert (await portal.client.get(url)).status_code == 404, "Retry-After tells the truth"


async def test_the_track_page_shares_the_status_limit_and_keeps_the_code(portal: Portal, settings):
    for _ in range(settings.status_lookups_per_ip_per_minute):
        assert (await portal.get("/vi/track?code=HS-000000-AAAAAA")).status_code == 404
    refused = await portal.get("/vi/track?code=HS-000000-AAAAAA")
    assert refused.status_code == 429 and 'href="#code"' in refused.text, "the error leads to the code field"
    assert 'value="HS-000000-AAAAAA"' in refused.text, "the code typed is kept"
    assert (await portal.get("/vi/track")).status_code == 200, "the empty page is not counted"


async def test_result_checks_by_upload_are_limited_per_address(portal: Portal, settings):
    upload = {"file": ("result.pdf", b"not a PDF at all")}
    for _ in range(settings.result_checks_per_ip_per_hour):
        assert (await portal.post_form("/results/verify", files=upload)).status_code == 400
    refused = await portal.post_form("/results/verify", files=upload)
    assert refused.status_code == 429 and "Too many requests came from your internet connection" in refused.text
    assert 'href="#file"' in refused.text, "the error leads to the file field"


async def test_purge_deletes_only_the_windows_that_have_ended(portal: Portal):
    minute = Limit("short", 5, 60)
    await take((minute, "a"), now=clock.now() - timedelta(minutes=5))
    await take((Limit("long", 5, HOUR), "a"))
    assert await purge_expired(clock.now()) == 1
    assert [c.bucket.split("@")[0] for c in await RateCounter.all()] == ["long:a"]


def test_limits_are_read_from_the_environment(tmp_path):
    env = {"DEMO_MODE": "1", "DATA_DIR": str(tmp_path), "SIGN_IN_CODES_PER_IP_PER_HOUR": "50",
           "NETWORK_LIMIT_FACTOR": "5"}
    settings = Settings.from_env(env)
    assert settings.sign_in_codes_per_ip_per_hour == 50 and settings.network_limit_factor == 5
    assert settings.status_lookups_per_ip_per_minute == Settings.status_lookups_per_ip_per_minute
    with pytest.raises(ValueError, match="CODE_TRIES_PER_IP_PER_HOUR"):
        Settings.from_env({**env, "CODE_TRIES_PER_IP_PER_HOUR": "0"})


@pytest.mark.skipif(os.environ.get("TEST_ENGINE") != "postgres", reason="PostgreSQL's commits")
async def test_a_count_on_its_own_does_not_wait_for_the_disk_and_one_in_a_transaction_does(portal, statements):
    limit = Limit("commit", 5, HOUR)
    await take((limit, "alone"))
    assert ["synchronous_commit" in sql for sql in statements if "rate_counter" in sql] == [True]
    async with in_transaction() as conn:  # the transaction's other writes keep their durable commit
        await take((limit, "inside"))
        assert (await conn.execute_query_dict("SHOW synchronous_commit"))[0]["synchronous_commit"] == "on"
    shown = {row["synchronous_commit"] for _ in range(10)
             for row in await connections.get("default").execute_query_dict("SHOW synchronous_commit")}
    assert shown == {"on"}, "the connections' own setting is left alone"
