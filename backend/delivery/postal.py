"""Postal service adapter: book a shipment, and check the tracking events it sends back.

``POST {base}/v1/shipments`` with ``Authorization: Bearer <key>`` and::

    {"reference": dossier code, "recipient": {"name", "phone"},
     "address": {"street", "ward_code", "ward", "province_code", "province"}, "time_window",
     "cod_amount": VND to collect at the door (0 when paid), "callback_url"}

answers ``201 {"tracking_number", "status": "created"}`` (``200`` with the same number when that reference was
booked already, so a repeated request never makes a second parcel). The post receives nothing about the handover
code (not even a digest: six digits are guessed from any hash in a fraction of a second).

Tracking events arrive at ``callback_url`` as ``POST`` JSON ``{"event_id", "tracking_number", "stage",
"occurred_at" (ISO 8601 with an offset), "handover_code", "cash_collected"}`` (the last two for ``delivered``:
the code the recipient showed, as the postman typed it), with ``X-Postal-Timestamp`` (Unix seconds) and
``X-Postal-Signature: v1=<hex>``, the HMAC-SHA256 of ``"<timestamp>.<raw body>"`` under the shared webhook secret.
The portal checks the code and answers the courier's device in the JSON body: ``200 {"status": "recorded"}``
(or ``"stale"``: kept, but older than the parcel's current stage, or ``"duplicate"``), ``422 {"status":
"rejected", "detail": "wrong_code", "tries_left": n}``, ``423 {"status": "rejected", "detail": "handover_locked",
"tries_left": 0}`` after too many wrong codes (the agency issues a new one). The sandbox in
``backend.sandboxes.postal`` speaks the same protocol.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from typing import Any

import httpx

from backend.core.http import JsonService

log = logging.getLogger(__name__)

TIMESTAMP_HEADER = "x-postal-timestamp"
SIGNATURE_HEADER = "x-postal-signature"
MAX_SKEW_SECONDS = 300  # older (or later) signatures are refused: a captured request cannot be replayed later
_SIGNATURE_SHAPE = re.compile(r"v1=[0-9a-fA-F]{64}")
SANDBOX_API_KEY = "sandbox-postal-key"
SANDBOX_WEBHOOK_SECRET = "sandbox-postal-webhook-secret"
MIN_SECRET_LENGTH = 32


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
    if not _SIGNATURE_SHAPE.fullmatch(signed.strip()):  # compare_digest raises on non-ASCII text
        return "signature is not v1=<64 hex digits>"
    if not hmac.compare_digest(signature(secret, timestamp, body), signed.strip().lower()):
        return "signature does not match"
    return None


def insecure_settings(settings: Any) -> list[str]:
    """What is unsafe about the postal settings, in plain English for the operator (not translated); empty when
    nothing is.

    In demo mode without POSTAL_SERVICE_URL the local sandbox and its published key and secret are expected.
    Whenever a real postal service is configured (demo mode too), and always outside demo mode, the published
    sandbox secret would let anyone forge a "delivered" event, and the sandbox key cannot be a real one.
    """
    real_service = bool(settings.postal_service_url)
    if settings.demo_mode and not real_service:
        return []
    problems = []
    secret = settings.postal_webhook_secret or ""
    if not secret:
        problems.append("POSTAL_WEBHOOK_SECRET is empty: tracking events cannot be authenticated")
    elif secret == SANDBOX_WEBHOOK_SECRET:
        problems.append("POSTAL_WEBHOOK_SECRET is the sandbox secret: anyone can forge tracking events")
    elif len(secret) < MIN_SECRET_LENGTH:
        problems.append(f"POSTAL_WEBHOOK_SECRET is shorter than {MIN_SECRET_LENGTH} characters")
    if not settings.postal_api_key or settings.postal_api_key == SANDBOX_API_KEY:
        problems.append("POSTAL_API_KEY is the sandbox key")
    if not real_service:
        problems.append("POSTAL_SERVICE_URL is empty: parcels are booked with the sandbox postal service")
    elif not settings.postal_service_url.startswith("https://"):
        problems.append("POSTAL_SERVICE_URL is not https: the API key and addresses travel in clear")
    return problems


class HttpPostalService(JsonService):

    @classmethod
    def from_settings(cls, settings: Any, client: httpx.AsyncClient) -> HttpPostalService:
        """The postal service of ``settings``; refuses the settings ``insecure_settings`` finds a problem with."""
        if problems := insecure_settings(settings):
            raise ValueError("Postal settings refused: " + "; ".join(problems))
        return cls(settings.postal_url, settings.postal_api_key, client)

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
