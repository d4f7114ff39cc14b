"""Sandbox payment gateway: the VNPay protocol (2.1.0) spoken locally, so the whole payment path runs in demos.

- ``GET /sandbox/payment/paymentv2/vpcpay.html?...``: checks the signed pay URL as the gateway does and shows a
  payment page (a plain form: works without JavaScript) where the citizen pays, fails or cancels. Abandoning is
  simply never coming back.
- ``POST /sandbox/payment/paymentv2/choose``: records the choice, calls the portal's IPN server to server (through
  the app's HTTP client), then redirects the browser to the return URL with the same signed parameters. A
  sandbox-only option loses the IPN, as a network would: the portal's query job must then find the result.
- ``POST /sandbox/payment/merchant_webapi/api/transaction``: querydr, signed both ways.

The merchant's IPN URL is registered with the gateway, not sent with each payment: here it is the portal's own
``base_url`` + ``/api/v1/payments/vnpay/ipn``.
"""

from __future__ import annotations

import logging
import secrets

import httpx
from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from backend.core.clock import VIETNAM, Clock
from backend.core.web import form_dict
from backend.payments.gateway import (
    QUERY_REQUEST_FIELDS,
    QUERY_RESPONSE_FIELDS,
    parse_vnp_date,
    pipe_hash,
    sign_query,
    signature_ok,
    vnd_from_wire,
    vnp_date,
)
from backend.sandboxes.payment_models import SandboxPayment
from backend.settings import Settings

log = logging.getLogger("portal.sandbox.payment")
IPN_PATH = "/api/v1/payments/vnpay/ipn"
# The citizen's choice -> (vnp_ResponseCode, vnp_TransactionStatus, sandbox status), as VNPay reports them.
CHOICES = {"succeed": ("00", "00", "success"), "fail": ("51", "02", "failed"), "cancel": ("24", "02", "cancelled")}
EXPIRED = ("11", "02", "failed")  # "the time to pay ran out"


def _page(request: Request, status_code: int = 200, **context) -> Template:
    return Template("sandboxes/payment.html", context={"request": request, **context}, status_code=status_code)


def _merchant(settings: Settings) -> tuple[str, str]:
    return settings.payment_tmn_code, settings.payment_hash_secret


@get("/paymentv2/vpcpay.html")
async def payment_page(
    request: Request, settings: NamedDependency[Settings], clock: NamedDependency[Clock]
) -> Template:
    params = dict(request.query_params)
    tmn_code, secret = _merchant(settings)
    amount = vnd_from_wire(params.get("vnp_Amount", ""))
    problem = ""
    if not signature_ok(params, secret) or params.get("vnp_TmnCode") != tmn_code:
        problem = "signature"
    elif params.get("vnp_Version") != "2.1.0" or params.get("vnp_Command") != "pay" or not amount:
        problem = "request"
    elif not params.get("vnp_TxnRef") or not params.get("vnp_ReturnUrl", "").startswith(("http://", "https://")):
        problem = "request"
    if problem:
        return _page(request, 400, problem=problem, txn=None)
    txn, _ = await SandboxPayment.get_or_create(
        tmn_code=tmn_code,
        txn_ref=params["vnp_TxnRef"][:100],
        defaults={
            "amount": amount, "order_info": params.get("vnp_OrderInfo", "")[:255],
            "return_url": params["vnp_ReturnUrl"][:1000], "ip_addr": params.get("vnp_IpAddr", "")[:64],
            "locale": params.get("vnp_Locale", "vn")[:4], "create_date": params.get("vnp_CreateDate", "")[:14],
            "expire_date": params.get("vnp_ExpireDate", "")[:14],
        },
    )
    if txn.amount != amount:  # the same reference sent again with another amount
        return _page(request, 400, problem="request", txn=None)
    return _page(request, problem="", txn=txn, expired=_expired(txn, clock))


def _expired(txn: SandboxPayment, clock: Clock) -> bool:
    """Past the link's vnp_ExpireDate on the portal's clock: the stand-in keeps the portal's time, so a test that
    fixes the portal's clock pays on the same day."""
    deadline = parse_vnp_date(txn.expire_date)
    return deadline is not None and clock.now() > deadline


def _result(txn: SandboxPayment, tmn_code: str) -> dict[str, str]:
    """The signed parameters the gateway sends back (IPN and return URL alike)."""
    paid = txn.status == "success"
    return {
        "vnp_Amount": str(txn.amount * 100),
        "vnp_BankCode": txn.bank_code,
        "vnp_BankTranNo": f"VNP{txn.transaction_no}" if paid else "",
        "vnp_CardType": "ATM" if paid else "",
        "vnp_OrderInfo": txn.order_info,
        "vnp_PayDate": txn.pay_date,
        "vnp_ResponseCode": txn.response_code,
        "vnp_TmnCode": tmn_code,
        "vnp_TransactionNo": txn.transaction_no if paid else "0",
        "vnp_TransactionStatus": "00" if paid else "02",
        "vnp_TxnRef": txn.txn_ref,
    }


@post("/paymentv2/choose", status_code=303)
async def choose(
    request: Request, settings: NamedDependency[Settings], http: NamedDependency[httpx.AsyncClient],
    clock: NamedDependency[Clock],
) -> Response:
    """The citizen's choice: record it (once), tell the portal (IPN), send the browser back (return URL)."""
    form = await form_dict(request)
    tmn_code, secret = _merchant(settings)
    txn = await SandboxPayment.get_or_none(tmn_code=tmn_code, txn_ref=str(form.get("txn_ref", "")))
    choice = CHOICES.get(str(form.get("choice", "")))
    if txn is None or choice is None:
        return _page(request, 400, problem="request", txn=None)
    if txn.status == "pending":
        code, _, status = EXPIRED if _expired(txn, clock) else choice
        paid = status == "success"
        updated = await SandboxPayment.filter(id=txn.id, status="pending").update(
            status=status, response_code=code, bank_code="NCB" if paid else "VNPAY",
            transaction_no=str(secrets.randbelow(90_000_000) + 10_000_000) if paid else "0",
            pay_date=vnp_date(clock.now().astimezone(VIETNAM)),
        )
        txn = await SandboxPayment.get(id=txn.id)
        if updated and form.get("lose_ipn") != "yes":
            await _notify(settings, http, _result(txn, tmn_code), secret)
    query = sign_query(_result(txn, tmn_code), secret)
    separator = "&" if "?" in txn.return_url else "?"
    return Redirect(f"{txn.return_url}{separator}{query}", status_code=303)


async def _notify(settings: Settings, http: httpx.AsyncClient, result: dict[str, str], secret: str) -> None:
    """The IPN: a GET to the merchant with the signed result (its answer is logged; the query job covers a loss)."""
    url = f"{settings.base_url.rstrip('/')}{IPN_PATH}?{sign_query(result, secret)}"
    try:
        response = await http.get(url, timeout=10)
        log.info("sandbox IPN for %s answered %s", result["vnp_TxnRef"], response.text[:200])
    except httpx.HTTPError as exc:
        log.warning("sandbox IPN for %s failed: %s", result["vnp_TxnRef"], type(exc).__name__)


@post("/merchant_webapi/api/transaction", status_code=200)
async def query_transaction(request: Request, settings: NamedDependency[Settings]) -> Response:
    """querydr: the transaction's state, signed; 97 for a bad signature, 91 for an unknown transaction."""
    tmn_code, secret = _merchant(settings)
    try:
        body = await request.json()
    except Exception:  # noqa: BLE001 - any unreadable body is a malformed request
        body = None
    if not isinstance(body, dict) or body.get("vnp_Command") != "querydr":
        return Response({"vnp_ResponseCode": "03", "vnp_Message": "Invalid data format"})
    expected = pipe_hash(secret, body, QUERY_REQUEST_FIELDS)
    if str(body.get("vnp_SecureHash", "")).lower() != expected or body.get("vnp_TmnCode") != tmn_code:
        return Response({"vnp_ResponseCode": "97", "vnp_Message": "Invalid Checksum"})
    txn = await SandboxPayment.get_or_none(tmn_code=tmn_code, txn_ref=str(body.get("vnp_TxnRef", "")))
    if txn is None:
        return Response({"vnp_ResponseCode": "91", "vnp_Message": "Transaction not found"})
    status = {"pending": "01", "success": "00"}.get(txn.status, "02")
    answer = {
        "vnp_ResponseId": secrets.token_hex(16),
        "vnp_Command": "querydr",
        "vnp_ResponseCode": "00",
        "vnp_Message": "QueryDR Success",
        "vnp_TmnCode": tmn_code,
        "vnp_TxnRef": txn.txn_ref,
        "vnp_Amount": str(txn.amount * 100),
        "vnp_BankCode": txn.bank_code,
        "vnp_PayDate": txn.pay_date,
        "vnp_TransactionNo": txn.transaction_no or "0",
        "vnp_TransactionType": "01",
        "vnp_TransactionStatus": status,
        "vnp_OrderInfo": txn.order_info,
        "vnp_PromotionCode": "",
        "vnp_PromotionAmount": "",
    }
    answer["vnp_SecureHash"] = pipe_hash(secret, answer, QUERY_RESPONSE_FIELDS)
    return Response(answer)


payment_sandbox_router = Router(
    path="/sandbox/payment", route_handlers=[payment_page, choose, query_transaction], include_in_schema=False
)
