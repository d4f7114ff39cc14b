"""SMS gateway adapter: a small JSON-over-HTTPS protocol, as most Vietnamese SMS brand-name gateways offer.

``POST {base}/v1/messages`` with ``Authorization: Bearer <key>`` and ``{"to", "sender", "text"}``
answers ``202 {"id", "status": "queued"}``. The sandbox in ``backend.sandboxes.sms`` speaks the
same protocol, so the code below is the code that runs against a real gateway.
"""

from __future__ import annotations

import httpx

from backend.core.http import JsonService
from backend.core.i18n import plain

SENDER = "DVCQG"


class SmsError(Exception):
    """The gateway did not accept the message."""


class HttpSmsGateway(JsonService):

    async def send(self, to: str, text: str) -> str:
        """Hand one message to the gateway; returns the gateway's message id."""
        text = plain(text)  # a text message carries no language marks
        try:
            response = await self.post_json("/v1/messages", {"to": to, "sender": SENDER, "text": text})
        except httpx.HTTPError as exc:
            raise SmsError(f"SMS gateway unreachable: {type(exc).__name__}") from exc
        if response.status_code != 202:
            raise SmsError(f"SMS gateway refused the message: HTTP {response.status_code}")
        return response.json()["id"]
