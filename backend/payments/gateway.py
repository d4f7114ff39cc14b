"""Payment gateways: the interface the portal needs, and the adapter for the VNPay protocol (version 2.1.0).

The protocol, as VNPay documents it (sandbox.vnpayment.vn/apis/docs):
- Pay: the merchant redirects the browser to ``/paymentv2/vpcpay.html?<vnp_* parameters>&vnp_SecureHash=...``.
  The hash is HMAC-SHA512 (hex) with the merchant's secret over the parameters sorted by name, each written
  ``urlencode(name)=urlencode(value)`` (PHP's urlencode: a space is ``+``) and joined with ``&``: the very query
  string that is sent. ``vnp_Amount`` is the amount in VND times 100; dates are GMT+7 ``yyyyMMddHHmmss``.
- Return URL and IPN: the gateway sends the result as signed ``vnp_*`` query parameters, hashed the same way
  (every ``vnp_*`` parameter except vnp_SecureHash and vnp_SecureHashType). The IPN (server to server, GET) is
  the truth; the merchant answers it with ``{"RspCode": ..., "Message": ...}``.
- Query (querydr): a JSON POST to ``/merchant_webapi/api/transaction``, signed over its fields joined with
  ``|`` in a fixed order; the answer is signed the same way over its own fields.

The adapter does not subclass ``JsonService``: VNPay authenticates by signatures, not by a bearer key (sending
the secret in a header would disclose it).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable
from urllib.parse import quote_plus

import httpx

from backend.core.clock import VIETNAM

VERSION = "2.1.0"
PAY_PATH = "/paymentv2/vpcpay.html"
API_PATH = "/merchant_webapi/api/transaction"
SANDBOX_SECRET = "SANDBOXSECRETPORTAL0000000000001"
MIN_SECRET_LENGTH = 32  # VNPay's secrets are 32 characters; a shorter one can be guessed
UNSIGNED = ("vnp_SecureHash", "vnp_SecureHashType")
QUERY_REQUEST_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
                        "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
QUERY_RESPONSE_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                         "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                         "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode",
                         "vnp_PromotionAmount")


# -- signatures ------------------------------------------------------------------------------------------------


def urlencode_php(value: Any) -> str:
    """PHP's ``urlencode``, which VNPay's reference code uses: letters, digits and ``-_.`` stay; a space is ``+``."""
    return quote_plus(str(value), safe="").replace("~", "%7E")


def canonical_query(params: dict[str, Any]) -> str:
    """The signed string: ``vnp_*`` parameters except the hash, sorted by name, urlencoded, empty ones left out."""
    items = sorted((k, v) for k, v in params.items() if k.startswith("vnp_") and k not in UNSIGNED and v not in
                   ("", None))
    return "&".join(f"{urlencode_php(k)}={urlencode_php(v)}" for k, v in items)


def hmac_sha512(secret: str, data: str) -> str:
    return hmac.new(secret.encode(), data.encode("utf-8"), hashlib.sha512).hexdigest()


def sign_query(params: dict[str, Any], secret: str) -> str:
    """The query string to send: the canonical parameters and their ``vnp_SecureHash``."""
    query = canonical_query(params)
    return f"{query}&vnp_SecureHash={hmac_sha512(secret, query)}"


_HEX_HASH = re.compile(r"[0-9a-fA-F]{128}")  # an HMAC-SHA512 written in hex


def same_hash(given: Any, expected: str) -> bool:
    """``given`` is the hex hash ``expected`` (any case). Anything else (not text, not hex, accents) is a mismatch.

    ``hmac.compare_digest`` raises on non-ASCII text: the shape is checked first, then bytes are compared.
    """
    if not isinstance(given, str) or not _HEX_HASH.fullmatch(given):
        return False
    return hmac.compare_digest(given.lower().encode("ascii"), expected.encode("ascii"))


def signature_ok(params: dict[str, Any], secret: str) -> bool:
    return same_hash(params.get("vnp_SecureHash"), hmac_sha512(secret, canonical_query(params)))


def pipe_hash(secret: str, body: dict[str, Any], fields: tuple[str, ...]) -> str:
    """querydr's signature: the fields' values in the documented order joined with ``|`` (absent ones empty)."""
    return hmac_sha512(secret, "|".join("" if body.get(f) is None else str(body[f]) for f in fields))


def vnp_date(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S")


def parse_vnp_date(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=VIETNAM)
    except (TypeError, ValueError):
        return None


def vnd_from_wire(value: Any) -> int | None:
    """``vnp_Amount`` (hundredths of a dong, digits only) -> whole VND; None when it is not that."""
    text = str(value)
    if not text.isdigit() or int(text) % 100:
        return None
    return int(text) // 100


def insecure_settings(settings: Any) -> list[str]:
    """What is wrong with the payment settings, in sentences for the operator (empty: nothing).

    In demo mode the local sandbox and its published secret are expected. Outside demo mode, or whenever a real
    gateway is configured, the published sandbox secret would let anyone sign "paid" for any payment.
    """
    problems: list[str] = []
    secret = settings.payment_hash_secret or ""
    real_gateway = bool(settings.payment_gateway_url)
    if not secret:
        problems.append("PAYMENT_HASH_SECRET is empty")
    elif secret == SANDBOX_SECRET and (real_gateway or not settings.demo_mode):
        problems.append("PAYMENT_HASH_SECRET is the sandbox secret, published in the repository: anyone could "
                        "forge a payment")
    if not settings.demo_mode:
        if secret and len(secret) < MIN_SECRET_LENGTH:
            problems.append(f"PAYMENT_HASH_SECRET is shorter than {MIN_SECRET_LENGTH} characters: use the secret "
                            "the gateway gave (VNPay's are 32)")
        if not real_gateway:
            problems.append("PAYMENT_GATEWAY_URL is not set: payments would go to the local sandbox, which runs "
                            "only in demo mode")
        elif not settings.payment_gateway_url.startswith("https://"):
            problems.append("PAYMENT_GATEWAY_URL does not start with https://")
    return problems


# -- what the portal reads from a gateway ----------------------------------------------------------------------


@dataclass(frozen=True)
class Callback:
    """A signed result for one transaction, from the IPN, the return URL or a query."""

    txn_ref: str
    amount: int | None  # VND; None when the field is malformed
    response_code: str
    transaction_status: str
    transaction_no: str = ""
    bank_code: str = ""
    tmn_code: str = ""

    @property
    def succeeded(self) -> bool:
        return self.response_code == "00" and self.transaction_status == "00"

    @property
    def cancelled(self) -> bool:
        return self.response_code == "24"

    @property
    def unfinished(self) -> bool:
        """The gateway has no result yet (querydr: transaction status 01, not completed)."""
        return self.transaction_status == "01"


class GatewayUnavailable(Exception):
    """The gateway could not be reached or gave an answer that cannot be trusted."""


@runtime_checkable  # handlers are given one by dependency injection, which checks its type
class PaymentGateway(Protocol):
    """What the portal needs from a payment gateway."""

    tmn_code: str

    def payment_url(self, *, txn_ref: str, amount: int, order_info: str, return_url: str, ip_addr: str,
                    created: datetime, expires: datetime, locale: str) -> str:
        """Where to send the citizen's browser to pay ``amount`` VND."""

    def verify(self, params: dict[str, str]) -> Callback | None:
        """The result carried by signed callback parameters, or None when the signature is not ours."""

    async def query(self, *, txn_ref: str, order_info: str, created: datetime, ip_addr: str) -> Callback | None:
        """Ask the gateway about one transaction; None when it does not know it."""


@dataclass
class VnpayGateway:
    """The VNPay protocol (2.1.0) over HTTP: signed pay URLs, signed callbacks, querydr."""

    base_url: str
    tmn_code: str
    hash_secret: str
    client: httpx.AsyncClient
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, settings: Any, client: httpx.AsyncClient) -> VnpayGateway:
        """The gateway of ``settings``; refuses the settings ``insecure_settings`` finds a problem with."""
        if problems := insecure_settings(settings):
            raise ValueError("Payment settings refused: " + "; ".join(problems))
        return cls(settings.payment_base_url, settings.payment_tmn_code, settings.payment_hash_secret, client)

    def payment_url(self, *, txn_ref: str, amount: int, order_info: str, return_url: str, ip_addr: str,
                    created: datetime, expires: datetime, locale: str) -> str:
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": amount * 100,
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": txn_ref,
            "vnp_OrderInfo": order_info,
            "vnp_OrderType": "other",
            "vnp_Locale": "vn" if locale == "vi" else "en",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": ip_addr,
            "vnp_CreateDate": vnp_date(created),
            "vnp_ExpireDate": vnp_date(expires),
        }
        return f"{self.base_url.rstrip('/')}{PAY_PATH}?{sign_query(params, self.hash_secret)}"

    def verify(self, params: dict[str, str]) -> Callback | None:
        if not signature_ok(params, self.hash_secret):
            return None
        return Callback(
            txn_ref=str(params.get("vnp_TxnRef", "")),
            amount=vnd_from_wire(params.get("vnp_Amount", "")),
            response_code=str(params.get("vnp_ResponseCode", "")),
            transaction_status=str(params.get("vnp_TransactionStatus", "")),
            transaction_no=str(params.get("vnp_TransactionNo", "")),
            bank_code=str(params.get("vnp_BankCode", "")),
            tmn_code=str(params.get("vnp_TmnCode", "")),
        )

    async def query(self, *, txn_ref: str, order_info: str, created: datetime, ip_addr: str) -> Callback | None:
        body = {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": VERSION,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": txn_ref,
            "vnp_OrderInfo": order_info,
            "vnp_TransactionDate": vnp_date(created),
            "vnp_CreateDate": vnp_date(datetime.now(VIETNAM)),
            "vnp_IpAddr": ip_addr,
        }
        body["vnp_SecureHash"] = pipe_hash(self.hash_secret, body, QUERY_REQUEST_FIELDS)
        try:
            response = await self.client.post(f"{self.base_url.rstrip('/')}{API_PATH}", json=body,
                                              timeout=self.timeout)
            answer = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise GatewayUnavailable(f"querydr failed: {type(exc).__name__}") from exc
        if not isinstance(answer, dict) or response.status_code != 200:
            raise GatewayUnavailable(f"querydr answered HTTP {response.status_code}")
        code = str(answer.get("vnp_ResponseCode", ""))
        if code == "91":  # transaction not found
            return None
        if code != "00":
            raise GatewayUnavailable(f"querydr refused the request: {code}")
        expected = pipe_hash(self.hash_secret, answer, QUERY_RESPONSE_FIELDS)
        if not same_hash(answer.get("vnp_SecureHash"), expected):
            raise GatewayUnavailable("querydr answer has a wrong signature")
        if str(answer.get("vnp_TxnRef")) != txn_ref:
            raise GatewayUnavailable("querydr answered about another transaction")
        return Callback(
            txn_ref=txn_ref,
            amount=vnd_from_wire(answer.get("vnp_Amount", "")),
            response_code=str(answer.get("vnp_TransactionStatus", "")),  # its status is the payment's result
            transaction_status=str(answer.get("vnp_TransactionStatus", "")),
            transaction_no=str(answer.get("vnp_TransactionNo", "")),
            bank_code=str(answer.get("vnp_BankCode", "")),
            tmn_code=str(answer.get("vnp_TmnCode", "")),
        )
