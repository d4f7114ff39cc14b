"""A citizen's steps through the payment: the check page, the sandbox gateway's page, the gateway's callbacks."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from backend.catalogue.fees import fee_quote
from backend.catalogue.models import Procedure
from tests.support import Portal, procedure_definition

IPN = "/api/v1/payments/vnpay/ipn"


def params_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


async def has_fee(procedure_code: str) -> bool:
    return fee_quote(await Procedure.get(code=procedure_code)).charged


async def start_paying(citizen: Portal, code: str, procedure_code: str, option: str | None = None) -> str:
    """Confirm the check page of a complete draft; returns the gateway URL the portal redirects to."""
    definition = await procedure_definition(procedure_code)
    procedure = await Procedure.get(code=procedure_code)
    form = {"declaration": "yes", "result_form": definition["result_forms"][0]}
    if procedure.fee_options:
        form["fee_option"] = option or procedure.fee_options[0]["key"]
    response = await citizen.post_form(f"/dossiers/{code}/submit", form)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert "/sandbox/payment/paymentv2/vpcpay.html?" in location, location
    return location


def local(url: str) -> str:
    """The sandbox gateway is this same app: reach it on the test client's host, so cookies stay on one host."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


async def open_gateway(citizen: Portal, url: str) -> httpx.Response:
    """The browser arrives on the gateway's page (this is when the sandbox takes the transaction)."""
    response = await citizen.client.get(local(url))
    assert response.status_code == 200, response.text
    return response


async def choose(citizen: Portal, url: str, choice: str, *, lose_ipn: bool = False) -> str:
    """Press a button on the gateway's page; returns the return URL the gateway sends the browser back to."""
    form = {"txn_ref": params_of(url)["vnp_TxnRef"], "choice": choice}
    if lose_ipn:
        form["lose_ipn"] = "yes"
    response = await citizen.client.post("/sandbox/payment/paymentv2/choose", data=form)
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def back_from_gateway(citizen: Portal, return_url: str) -> httpx.Response:
    return await citizen.client.get(local(return_url))


async def send_ipn(portal: Portal, params: dict[str, str]) -> dict:
    """The gateway's server-to-server notification, as it would send it."""
    response = await portal.client.get(f"{IPN}?{urlencode(params)}")
    assert response.status_code == 200, response.text
    return response.json()


async def pay_and_submit(citizen: Portal, code: str, procedure_code: str) -> str:
    """Send a complete draft of a procedure with a fee the way a citizen does: pay it at the (sandbox) gateway."""
    url = await start_paying(citizen, code, procedure_code)
    await open_gateway(citizen, url)
    return await choose(citizen, url, "succeed")
