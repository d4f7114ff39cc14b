"""Postal service adapter: book a shipment, and check the tracking events it sends back.

``POST {base}/v1/shipments`` with ``Authorization: Bearer <key>`` and::

    {"reference": dossier code, "recipient": {"name", "phone"},
     "address": {"street", "ward_code", "ward", "province_code", "province"}, "time_window",
     "cod_amount": VND to collect at the door (0 when paid), "handover_code_sha256", "callback_url"}

answers ``201 {"tracking_number", "status": "created"}`` (``200`` with the same number when that reference was
booked already, so a repeated request never makes a second parcel). ``handover_code_sha256`` is the hex SHA-256
of ``"<reference>:<code>"``: the courier checks the code the recipient gives before handing the parcel over.

Tracking events arrive at ``callback_url`` as ``POST`` JSON ``{"event_id", "tracking_number", "stage",
"occurred_at" (ISO 8601), "handover_verified", "handover_code", "cash_collected"}`` (the last three for
``delivered``), with ``X-Postal-Timestamp`` (Unix seconds) and ``X-Postal-Signature: v1=<hex>``, the
HMAC-SHA256 of ``"<timestamp>.<raw body>"`` under the shared webhook secret. The sandbox in
``backend.sandboxes.postal`` speaks the same protocol.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass

import httpx

from backend.core.http import JsonService

log = logging.getLogger(__name__)

TIMESTAMP_HEADER = "x-postal-timestamp"
SIGNATURE_HEADER = "x-postal-signature"
MAX_SKEW_SECONDS = 300  # older (or later) signatures are refused: a captured request cannot be replayed later


class PostalError(Exception):
    """The postal service did not book the shipment."""


@dataclass(frozen=True)
class Shipment:
    reference: str
    recipient: str
    phone: str
    street: str
    ward_code: str
    ward: str
    province_code: str
    province: str
    time_window: str
    cod_amount: int
    handover_code_sha256: str


def code_digest(reference: str, code: str) -> str:
    """What the post receives to check the handover code at the door (never the code itself)."""
    return hashlib.sha256(f"{reference}:{code}".encode()).hexdigest()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def verify_signature(secret: str, timestamp: str | None, signed: str | None, body: bytes, now: float) -> str | None:
    """None when the request is genuine and fresh; otherwise why it is refused (for the log)."""
    if not secret:
        return "no webhook secret configured"
    if not timestamp or not signed:
        return "signature headers missing"
    try:
        age = abs(now - int(timestamp))
    except ValueError:
        return "timestamp is not a number"
    if age > MAX_SKEW_SECONDS:
        return f"timestamp {age:.0f} s away from now"
    if not hmac.compare_digest(signature(secret, timestamp, body), signed.strip()):
        return "signature does not match"
    return None


class HttpPostalService(JsonService):

    async def create_shipment(self, shipment: Shipment, callback_url: str) -> str:
        """Book the parcel; returns its tracking number."""
        body = {
            "reference": shipment.reference,
            "recipient": {"name": shipment.recipient, "phone": shipment.phone},
            "address": {
                "street": shipment.street,
                "ward_code": shipment.ward_code,
                "ward": shipment.ward,
                "province_code": shipment.province_code,
                "province": shipment.province,
            },
            "time_window": shipment.time_window,
            "cod_amount": shipment.cod_amount,
            "handover_code_sha256": shipment.handover_code_sha256,
            "callback_url": callback_url,
        }
        try:
            response = await self.post_json("/v1/shipments", body)
            answer = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        except (httpx.HTTPError, ValueError) as exc:
            raise PostalError(f"postal service unreachable: {type(exc).__name__}") from exc
        number = answer.get("tracking_number") if isinstance(answer, dict) else None
        if response.status_code not in (200, 201) or not isinstance(number, str) or not number:
            log.error("Postal service answered HTTP %s", response.status_code)
            raise PostalError(f"postal service refused the shipment: HTTP {response.status_code}")
        return number
